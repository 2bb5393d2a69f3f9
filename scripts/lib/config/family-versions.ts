/**
 * Versions a family shares, declared once: a helm or git source with `versionOf: <entry>` takes
 * that entry's version (helm `version`, git `targetRevision`), so the five KServe entries move with
 * one line of apps/kserve/app.yaml. Image pins the tool itself needs (KServe's storage initializer)
 * are the owning entry's `images`, where `{version}` is its source version: no image in scripts/.
 */
import type { Finding } from '../findings.ts';
import type { YamlSource } from './yaml-source.ts';

/** What the version rules read of a catalog entry (catalog.ts VersionedApp). */
interface VersionedApp {
  src: YamlSource;
  source: { type: 'local' } | { type: 'helm'; version: string; versionOf?: string } | { type: 'git'; targetRevision: string; versionOf?: string };
  images: Record<string, string>;
}

type Pos = (app: VersionedApp, pointer: string) => { line: number; col: number };

/** The pinned version of an entry's own source (helm version, git targetRevision), if it states one. */
export function sourceVersion(app: VersionedApp): string | undefined {
  const s = app.source;
  return s.type === 'helm' ? s.version : s.type === 'git' ? s.targetRevision : undefined;
}

/** Fill in `versionOf` versions and `{version}` in images; findings for a reference that cannot be followed. */
export function resolveFamilyVersions(catalog: Map<string, VersionedApp>, pos: Pos): Finding[] {
  const out: Finding[] = [];
  const at = (app: VersionedApp, pointer: string, message: string): void => {
    const p = pos(app, pointer);
    out.push({ file: app.src.file, line: p.line, col: p.col, path: pointer, message });
  };
  for (const app of catalog.values()) {
    const s = app.source;
    if (s.type === 'local' || !s.versionOf) continue;
    const from = catalog.get(s.versionOf);
    const fromSource = from?.source;
    const own = from && fromSource && fromSource.type !== 'local' && !fromSource.versionOf ? sourceVersion(from) : undefined;
    if (!own) {
      at(app, '/source/versionOf', `versionOf "${s.versionOf}": ${from ? `apps/${s.versionOf}/app.yaml states no version of its own (a helm or git source with version/targetRevision, not versionOf)` : 'not in apps/'}`);
      continue;
    }
    if (s.type === 'helm') s.version = own;
    else s.targetRevision = own;
  }
  for (const app of catalog.values()) {
    const v = sourceVersion(app);
    for (const [role, image] of Object.entries(app.images)) {
      if (image.includes('{version}') && !v) at(app, `/images/${role}`, `{version} needs a helm or git source with a version`);
      else app.images[role] = image.replaceAll('{version}', v ?? '');
    }
  }
  return out;
}

/** Every image the catalog pins, by role (`images.<role>` of the entries), e.g. for the operator expansion's defaults. */
export function catalogImages(apps: Iterable<{ images: Record<string, string> }>): Record<string, string> {
  return Object.fromEntries([...apps].flatMap((a) => Object.entries(a.images)));
}

/** The image the catalog pins for a role (`images.<role>` of the one entry that owns it), or an error saying where it belongs. */
export function catalogImage(apps: Iterable<{ name: string; images: Record<string, string> }>, role: string): string {
  const owners = [...apps].filter((a) => a.images[role]);
  if (owners.length !== 1) throw new Error(`images.${role}: ${owners.length ? `declared by ${owners.map((a) => `apps/${a.name}/app.yaml`).join(' and ')}; one entry owns an image` : 'no catalog entry declares it, and the tool needs it'}`);
  return owners[0]!.images[role]!;
}
