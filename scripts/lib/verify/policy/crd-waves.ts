/**
 * Every custom resource must come in a strictly later wave than the component that
 * installs its CRD (or from that component itself). Installers are the catalog's
 * `crds.installs` and, across the whole platform, every Application whose hydrated objects
 * include a CustomResourceDefinition of the group.
 */
import type { Plan } from '../../plan/plan.ts';
import type { Finding, SourcedObject } from '../../findings.ts';
import { COMPONENT_LABEL } from '../../render/labels.ts';

export function groupOfApiVersion(apiVersion: unknown): string {
  // An object without apiVersion (a broken chart or overlay) has no group; it never crashes the rule.
  if (typeof apiVersion !== 'string') return '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

export interface CrdWaveOptions {
  /** The component that applies an object; default: its `catalyst.dev/component` label. */
  componentOf?: (o: SourcedObject) => string | undefined;
  /** More installers: API group -> components (from hydrated CRDs). */
  installers?: Map<string, string[]>;
}

/** API group -> components whose objects include a CRD of that group. */
export function hydratedInstallers(apps: { component: string; objects: SourcedObject[] }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of apps) {
    for (const o of a.objects) {
      if (o.obj.kind !== 'CustomResourceDefinition' || groupOfApiVersion(o.obj.apiVersion) !== 'apiextensions.k8s.io') continue;
      const group = (o.obj.spec as { group?: unknown } | undefined)?.group;
      if (typeof group !== 'string') continue;
      const list = out.get(group) ?? [];
      if (!list.includes(a.component)) out.set(group, [...list, a.component]);
    }
  }
  return out;
}

export function crdWaveFindings(plan: Plan, objects: SourcedObject[], opts: CrdWaveOptions = {}): Finding[] {
  const installers = new Map<string, string[]>();
  const add = (g: string, n: string): void => {
    const list = installers.get(g) ?? [];
    if (!list.includes(n)) installers.set(g, [...list, n]);
  };
  for (const a of plan.apps) for (const g of a.app.crds.installs) add(g, a.name);
  for (const [g, names] of opts.installers ?? []) for (const n of names) if (plan.byName.has(n)) add(g, n);
  const componentOf = opts.componentOf ?? ((o: SourcedObject) => o.obj.metadata?.labels?.[COMPONENT_LABEL]);
  const out: Finding[] = [];
  for (const o of objects) {
    const group = groupOfApiVersion(o.obj.apiVersion);
    const owners = installers.get(group);
    const component = componentOf(o);
    if (!owners || !component) continue;
    const me = plan.byName.get(component);
    if (!me || owners.includes(component)) continue;
    const earlier = owners.some((n) => plan.byName.get(n)!.wave < me.wave);
    if (!earlier) {
      out.push({
        file: o.file,
        line: o.line,
        col: o.line ? 1 : 0,
        kind: o.obj.kind,
        name: o.obj.metadata?.name,
        path: '/apiVersion',
        rule: 'WAVE001',
        message: `${o.obj.kind} (${group}) is in component "${component}" at wave ${me.wave}, not after ${owners.join('/')} which installs its CRD`,
      });
    }
  }
  return out;
}
