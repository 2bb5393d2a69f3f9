/**
 * FLOW001 over the catalog's `talksTo` edges that reach or leave operator-created pods (Llama
 * Stack -> PostgreSQL and the MCP gateway, the MCP gateway proxy -> its broker/router, CNPG
 * instances between themselves, …): the pods of a component are the workloads rendered with its
 * `catalyst.dev/component` label and the pods operators create from its custom resources (the
 * resource carries the label). Edges between rendered pods only are the edge policies' own
 * business (their NetworkPolicies are generated from the same edges); the models' own edges are
 * flows.ts'. One finding per edge, source and destination workload, port.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import { connectionAllowed, type PodRef } from './network-policy.ts';
import { expandedFinding, podsOf } from './pod-rules.ts';
import { isMap, label, str, type ExpandedObject, type JsonMap, type SourceObject } from './types.ts';
import { FLOW001 } from './flows.ts';

const COMPONENT = 'catalyst.dev/component';

interface ComponentPod {
  ref: PodRef;
  what: string;
  /** The expanded object it belongs to (undefined: rendered by the project). */
  expanded?: ExpandedObject;
  from: SourceObject;
}

function refOf(namespace: string, meta: JsonMap, spec: JsonMap): PodRef {
  const named: Record<string, number> = {};
  for (const c of (Array.isArray(spec.containers) ? spec.containers : []) as JsonMap[]) for (const p of (Array.isArray(c.ports) ? c.ports : []) as JsonMap[]) if (str(p.name)) named[str(p.name)] = Number(p.containerPort);
  return { namespace, labels: (isMap(meta.labels) ? meta.labels : {}) as Record<string, string>, namedPorts: named };
}

const componentOf = (o: K8sObject): string => str(o.metadata?.labels?.[COMPONENT]);

function podsByComponent(objects: SourceObject[], expanded: ExpandedObject[]): Map<string, ComponentPod[]> {
  const out = new Map<string, ComponentPod[]>();
  const add = (c: string, p: ComponentPod) => {
    if (!c) return;
    if (!out.has(c)) out.set(c, []);
    out.get(c)!.push(p);
  };
  for (const o of objects) for (const p of podsOf(o.obj)) add(componentOf(o.obj), { ref: refOf(str(o.obj.metadata?.namespace), p.meta, p.spec), what: label(o.obj), from: o });
  for (const e of expanded) for (const p of podsOf(e.obj)) add(componentOf(e.from.obj), { ref: refOf(str(e.obj.metadata?.namespace), p.meta, p.spec), what: `${label(e.obj)} (operator-created)`, expanded: e, from: e.from });
  return out;
}

/** FLOW001 for every talksTo edge with an operator-created pod at either end (models' own edges aside). */
export function componentFlowFindings(objects: SourceObject[], expanded: ExpandedObject[], namespaces: K8sObject[], talksTo: { from: string; to: string; ports: number[] }[]): Finding[] {
  const policies = [...objects.map((o) => o.obj), ...expanded.map((e) => e.obj)].filter((o) => o.kind === 'NetworkPolicy');
  const pods = podsByComponent(objects, expanded);
  const out: Finding[] = [];
  for (const t of talksTo) {
    if (t.from === 'models' && t.to === 'models') continue;
    for (const src of pods.get(t.from) ?? []) {
      for (const dst of pods.get(t.to) ?? []) {
        if (!src.expanded && !dst.expanded) continue;
        if (src === dst) continue;
        for (const port of t.ports) {
          const v = connectionAllowed(policies, namespaces, src.ref, dst.ref, port);
          if (v.allowed) continue;
          const what = `flow talksTo ${t.from} -> ${t.to} from the pods of ${src.what} to the pods of ${dst.what} on TCP ${port} is not allowed: ${v.reason}`;
          const at = dst.expanded ?? src.expanded!;
          out.push(expandedFinding(FLOW001, at, what));
        }
      }
    }
  }
  return out;
}
