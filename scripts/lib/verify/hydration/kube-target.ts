/**
 * The target cluster as `helm template` sees it (`--kube-version`, `--api-versions`), from the
 * environment config:
 * - kubeVersion: `cluster.kubernetesVersion`, default DEFAULT_KUBE_VERSION;
 * - apiVersions: for every API group that an enabled component installs CRDs for
 *   (`crds.installs` in apps/<name>/app.yaml), each `group/version` and `group/version/Kind` that the
 *   project's schemas/crds/<group>/ holds, plus `cluster.apiVersions`. Built-in Kubernetes
 *   API versions need no listing: helm's own default set already has them.
 * A group the catalog installs but schemas/crds does not describe contributes nothing (helm then
 * answers `.Capabilities.APIVersions.Has "<group>/<v>"` with false, as on a cluster without the CRD).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';

export const DEFAULT_KUBE_VERSION = '1.35.0';

export interface KubeTarget {
  kubeVersion: string;
  apiVersions: string[];
}

/** `<group>/<version>` and `<group>/<version>/<Kind>` of every schema file of `group`. */
export function schemaApiVersions(crdSchemaDir: string, group: string): string[] {
  const dir = join(crdSchemaDir, group);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const m = /^[a-z0-9-]+_([a-z0-9]+)\.json$/.exec(f);
    if (!m) continue;
    out.push(`${group}/${m[1]}`);
    const kind = schemaKind(join(dir, f));
    if (kind) out.push(`${group}/${m[1]}/${kind}`);
  }
  return out;
}

/** The kind a strict schema pins (`properties.kind.enum[0]` or `const`). */
function schemaKind(file: string): string | undefined {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { properties?: { kind?: { enum?: unknown[]; const?: unknown } } };
    const k = s.properties?.kind?.const ?? s.properties?.kind?.enum?.[0];
    return typeof k === 'string' && /^[A-Za-z0-9]+$/.test(k) ? k : undefined;
  } catch {
    return undefined;
  }
}

export function kubeTarget(plan: Plan, crdSchemaDir: string): KubeTarget {
  const cluster = plan.env.config.cluster;
  const groups = new Set(plan.apps.flatMap((a) => a.app.crds?.installs ?? []));
  const versions = new Set<string>();
  for (const g of [...groups].sort()) for (const v of schemaApiVersions(crdSchemaDir, g)) versions.add(v);
  for (const v of cluster.apiVersions ?? []) versions.add(v);
  return { kubeVersion: cluster.kubernetesVersion ?? DEFAULT_KUBE_VERSION, apiVersions: [...versions].sort() };
}
