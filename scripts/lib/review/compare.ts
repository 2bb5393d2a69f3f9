/** Base and head snapshots of one environment -> what changes in the cluster. */
import { toYaml } from '../render/yaml-out.ts';
import type { K8sObject } from '../findings.ts';
import { withoutNoise } from './noise.ts';
import { newClusterScopedKinds, objectHighlights } from './security.ts';
import { objectLabel, type EnvSnapshot, type SnapObject } from '../verify/snapshot/index.ts';
import { unifiedDiff } from '../tools/unified-diff.ts';

export interface ObjectChange {
  key: string;
  label: string;
  apiVersion: string;
  component: string;
  change: 'added' | 'removed' | 'changed';
  /** An object an operator creates from a custom resource (not applied by Argo CD): its operator. */
  operator?: string;
  /** Unified diff of the object's YAML (noise folded); the whole object for added/removed. */
  diff: string;
}

export interface EnvDiff {
  env: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  components: { added: string[]; removed: string[]; rewaved: { name: string; from: number; to: number }[] };
  objects: ObjectChange[];
  /** Objects whose only differences were folded noise (checksum annotations). */
  noiseOnly: number;
  security: string[];
  /** Apps (components) whose hydrated output changes. */
  affected: string[];
  notes: string[];
  /** What an admin must do by hand for the change to take effect (root.yaml is applied, never synced). */
  admin: string[];
}

const EMPTY: EnvSnapshot = { env: '', findings: [], components: new Map(), objects: new Map() };

export function compareEnv(env: string, base: EnvSnapshot | undefined, head: EnvSnapshot | undefined): EnvDiff {
  const b = base ?? EMPTY;
  const h = head ?? EMPTY;
  const components = {
    added: [...h.components.keys()].filter((c) => !b.components.has(c)).sort(),
    removed: [...b.components.keys()].filter((c) => !h.components.has(c)).sort(),
    rewaved: [...h.components]
      .filter(([c, w]) => b.components.has(c) && b.components.get(c) !== w)
      .map(([name, to]) => ({ name, from: b.components.get(name)!, to }))
      .sort((x, y) => x.name.localeCompare(y.name)),
  };
  const objects: ObjectChange[] = [];
  const security: string[] = [];
  let noiseOnly = 0;
  const noisy: string[] = [];
  const keys = [...new Set([...b.objects.keys(), ...h.objects.keys()])].sort();
  for (const key of keys) {
    const bo = b.objects.get(key);
    const ho = h.objects.get(key);
    const change = compareObject(key, bo, ho);
    if (change === 'noise') {
      noiseOnly++;
      noisy.push((ho ?? bo)!.component);
    }
    else if (change) objects.push(change);
    if (ho && change && change !== 'noise') security.push(...objectHighlights(bo?.obj, ho.obj));
  }
  security.push(...newClusterScopedKinds(b.objects.values(), h.objects.values()));
  const affected = [...new Set([...objects.map((o) => o.component), ...noisy, ...components.added, ...components.removed])].sort();
  const changed = objects.length || noiseOnly || components.added.length || components.removed.length || components.rewaved.length;
  const status = !base ? 'added' : !head ? 'removed' : changed ? 'changed' : 'unchanged';
  const notes = [
    ...(base?.findings.length ? [`base does not render (${base.findings.length} finding(s)); compared as empty`] : []),
    ...(head?.findings.length ? [`head does not render (${head.findings.length} finding(s)); compared as empty`] : []),
  ];
  const fromRoot = objects.filter((o) => o.component === 'root');
  const admin =
    fromRoot.length && head
      ? [`an Argo CD admin must re-apply generated/${env}/root.yaml (${fromRoot.map((o) => `${o.change} ${o.label}`).join(', ')}): Argo CD does not sync it, so the change takes effect only then`]
      : [];
  return { env, status, components, objects, noiseOnly, security: [...new Set(security)], affected, notes, admin };
}

function yamlOf(o: K8sObject): string {
  return toYaml([withoutNoise(o)]);
}

function compareObject(key: string, b: SnapObject | undefined, h: SnapObject | undefined): ObjectChange | 'noise' | undefined {
  const any = (h ?? b)!;
  const base = { key, label: objectLabel(any.obj), apiVersion: any.obj.apiVersion, component: any.component, ...(any.operator ? { operator: any.operator } : {}) };
  if (!b) return { ...base, change: 'added', diff: unifiedDiff('', yamlOf(h!.obj)) };
  if (!h) return { ...base, change: 'removed', diff: unifiedDiff(yamlOf(b.obj), '') };
  const raw = JSON.stringify(b.obj) !== JSON.stringify(h.obj);
  if (!raw) return undefined;
  const diff = unifiedDiff(yamlOf(b.obj), yamlOf(h.obj));
  return diff ? { ...base, change: 'changed', diff } : 'noise';
}
