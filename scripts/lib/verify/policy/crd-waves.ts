/**
 * Every custom resource must come in a strictly later wave than the component that
 * installs its CRD (or from that component itself).
 */
import type { Plan } from '../../plan/plan.ts';
import type { Finding, SourcedObject } from '../../findings.ts';

export const COMPONENT_LABEL = 'catalyst.dev/component';

export function groupOfApiVersion(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

export function crdWaveFindings(plan: Plan, objects: SourcedObject[]): Finding[] {
  const installers = new Map<string, string[]>();
  for (const a of plan.apps) for (const g of a.app.crds.installs) installers.set(g, [...(installers.get(g) ?? []), a.name]);
  const out: Finding[] = [];
  for (const o of objects) {
    const group = groupOfApiVersion(o.obj.apiVersion);
    const owners = installers.get(group);
    const component = o.obj.metadata.labels?.[COMPONENT_LABEL];
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
        name: o.obj.metadata.name,
        path: '/apiVersion',
        rule: 'WAVE001',
        message: `${o.obj.kind} (${group}) is in component "${component}" at wave ${me.wave}, not after ${owners.join('/')} which installs its CRD`,
      });
    }
  }
  return out;
}
