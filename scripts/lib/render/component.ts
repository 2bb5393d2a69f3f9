/**
 * Render one local component for one environment: every template in its overlay folder
 * becomes a file in generated/<env>/<name>/, plus the overlay's kustomization.yaml
 * on top of apps/<name>/base/. The overlay folder is apps/<name>/overlays/, or overlays/_shared/<t>/
 * for a component whose catalog entry says `source: { type: local, templates: <t> }` (the
 * four MCP server components share one).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toYaml, normalizeRenderedYaml } from './yaml-out.ts';
import { componentBase, type ProjectPaths } from '../paths.ts';
import { compileTemplate, templateErrorPos } from './handlebars.ts';
import { loadPartials, PartialError } from './partials.ts';
import { projectHelpers } from './dashboards.ts';
import { failed, ok, type Finding, type Result, type WithFindings } from '../findings.ts';
import { overlayDir } from '../config/catalog.ts';
import { readRepoText } from '../fs/safe-read.ts';
import { COMPONENT_LABEL } from './labels.ts';

export const COMMON_LABELS = { 'app.kubernetes.io/part-of': 'catalyst-lab', 'app.kubernetes.io/managed-by': 'catalyst-gitops' };

const MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * Objects another controller stamps with its own managed-by (Kagenti sets
 * `app.kubernetes.io/managed-by: kagenti-operator` on an agent's Deployment) say so in their
 * template; the common label would overwrite it and Argo CD would show a permanent diff. One
 * labels entry per (kind, value) puts the template's value back on that kind's metadata only.
 */
function ownManagers(objects: unknown[]): Record<string, unknown>[] {
  const byKind = new Map<string, string>();
  for (const o of objects as ({ kind?: string; metadata?: { labels?: Record<string, string> } } | null)[]) {
    const v = o?.metadata?.labels?.[MANAGED_BY];
    if (o?.kind && v && v !== COMMON_LABELS[MANAGED_BY]) byKind.set(o.kind, v);
  }
  return [...byKind].map(([kind, v]) => ({ pairs: { [MANAGED_BY]: v }, fields: [{ path: 'metadata/labels', kind, create: true }] }));
}

export interface RenderedFile {
  /** Path under generated/<env>/. */
  path: string;
  text: string;
  /** The objects of a rendered template, as parsed (absent for the generated kustomization). */
  objects?: unknown[];
}

/** Render a template file to text; a Handlebars error becomes a finding at the template's line. */
export function renderTemplate(paths: ProjectPaths, file: string, context: object): Result<string> {
  const abs = join(paths.root, file);
  try {
    const runtime = { partials: loadPartials(paths).partials, helpers: projectHelpers(paths) };
    return ok(compileTemplate(readRepoText(abs, paths.root))(context, runtime));
  } catch (err) {
    if (err instanceof PartialError) {
      return failed([{ file: err.file, line: err.line, col: err.col, path: '', message: `template error: ${err.message} (rendering ${file})` }]);
    }
    const message = err instanceof Error ? err.message : String(err);
    const pos = templateErrorPos(message);
    return failed([{ file, line: pos.line, col: pos.col, path: '', message: `template error: ${(message.split('\n')[0] ?? '').replace(/ - \d+:\d+$/, '')}` }]);
  }
}

export function renderLocalComponent(
  paths: ProjectPaths,
  name: string,
  context: object,
  sharedTemplates?: string,
): WithFindings<{ files: RenderedFile[]; objects: unknown[] }> {
  const findings: Finding[] = [];
  const files: RenderedFile[] = [];
  const objects: unknown[] = [];
  const resources: string[] = [];
  const patches: string[] = [];
  const folder = overlayDir(name, sharedTemplates);
  const dir = join(paths.root, folder);
  const templates = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml.hbs')).sort() : [];
  for (const t of templates) {
    if (t === 'values.yaml.hbs') continue;
    const file = `${folder}/${t}`;
    const out = t.replace(/\.hbs$/, '');
    if (out === 'kustomization.yaml') {
      findings.push({ file, line: 1, col: 1, path: '', message: 'kustomization.yaml is generated; put resources in other templates' });
      continue;
    }
    const r = renderTemplate(paths, file, context);
    if (!r.ok) {
      findings.push(...r.findings);
      continue;
    }
    const n = normalizeRenderedYaml(r.value, file);
    if (!n.ok) {
      findings.push(...n.findings);
      continue;
    }
    if (n.value.objects.length === 0) continue;
    objects.push(...n.value.objects);
    files.push({ path: `${name}/${out}`, text: n.value.text, objects: n.value.objects });
    (out.startsWith('patch-') ? patches : resources).push(out);
  }
  // generated/<env>/<name>/ is three levels below the root, where apps/<name>/base/ is.
  const base = existsSync(join(paths.root, componentBase(name))) ? [`../../../${componentBase(name)}`] : [];
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    labels: [{ pairs: { ...COMMON_LABELS, [COMPONENT_LABEL]: name }, includeSelectors: false, includeTemplates: true }, ...ownManagers(objects)],
    resources: [...base, ...resources],
  };
  if (patches.length) kustomization.patches = patches.map((p) => ({ path: p }));
  files.push({ path: `${name}/kustomization.yaml`, text: toYaml([kustomization]) });
  return { files, objects, findings };
}
