/**
 * Traffic as data: the flows each component declares in its catalog entry (apps/<name>/app.yaml:
 * `talksTo` between components, `podFlows` between the pods of one model when it uses a
 * capability) checked against the rendered NetworkPolicies (network-policy.ts), on the pods the
 * project renders and the pods operators create:
 *  - FLOW001 a declared flow the policies do not allow (the pods would time out);
 *  - FLOW002 a port a flow policy (annotation catalyst.dev/flows) opens that none of its named
 *    flows needs for that model.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import { connectionAllowed, type PodRef } from './network-policy.ts';
import { expandedFinding, podsOf } from './pod-rules.ts';
import { isMap, str, type ExpandedObject, type JsonMap, type SourceObject } from './types.ts';

export const FLOW001 = 'FLOW001';
export const FLOW002 = 'FLOW002';

export interface DeclaredPodFlow {
  name: string;
  when: 'multiNode' | 'prefill';
  ports: { port: number; endPort?: number }[];
}

export interface DeclaredFlows {
  /** The models component's podFlows (apps/models/app.yaml). */
  podFlows: DeclaredPodFlow[];
  /** talksTo edges: from component, to component, ports. */
  talksTo: { from: string; to: string; ports: number[] }[];
}

interface Pods {
  ref: PodRef;
  what: string;
}

function podRef(obj: K8sObject, meta: JsonMap, spec: JsonMap): PodRef {
  const named: Record<string, number> = {};
  for (const c of (Array.isArray(spec.containers) ? spec.containers : []) as JsonMap[]) for (const p of (Array.isArray(c.ports) ? c.ports : []) as JsonMap[]) if (str(p.name)) named[str(p.name)] = Number(p.containerPort);
  return { namespace: str(obj.metadata?.namespace), labels: (isMap(meta.labels) ? meta.labels : {}) as Record<string, string>, namedPorts: named };
}

/** The pods of one LLMInferenceService, by role. */
function modelPods(expanded: ExpandedObject[], cr: K8sObject): Record<string, Pods[]> {
  const out: Record<string, Pods[]> = { leader: [], worker: [], decode: [], prefill: [], scheduler: [] };
  for (const e of expanded) {
    if (e.from.obj !== cr) continue;
    for (const p of podsOf(e.obj)) {
      const comp = str((p.meta.labels as Record<string, string> | undefined)?.['app.kubernetes.io/component']);
      const what = `${e.obj.kind} ${e.obj.metadata?.name ?? ''}${p.role ? ` (${p.role})` : ''}`;
      const pod = { ref: podRef(e.obj, p.meta, p.spec), what };
      if (p.role) out[p.role]!.push(pod);
      else if (comp.endsWith('-prefill')) out.prefill!.push(pod);
      else if (comp.endsWith('router-scheduler')) out.scheduler!.push(pod);
      else out.decode!.push(pod);
    }
  }
  return out;
}

const portsOf = (f: DeclaredPodFlow) => f.ports.flatMap((p) => (p.endPort ? [p.port, p.endPort] : [p.port]));

/** FLOW001 and FLOW002 over one env. */
export function flowFindings(objects: SourceObject[], expanded: ExpandedObject[], namespaces: K8sObject[], declared: DeclaredFlows): Finding[] {
  const policies = [...objects.map((o) => o.obj), ...expanded.map((e) => e.obj)].filter((o) => o.kind === 'NetworkPolicy');
  const out: Finding[] = [];
  const check = (e: ExpandedObject, flow: string, a: Pods[], b: Pods[], ports: number[]) => {
    for (const src of a.slice(0, 1)) for (const dst of b.slice(0, 1)) for (const port of ports) {
      const v = connectionAllowed(policies, namespaces, src.ref, dst.ref, port);
      if (!v.allowed) out.push(expandedFinding(FLOW001, e, `flow ${flow} from the pods of ${src.what} to the pods of ${dst.what} on TCP ${port} is not allowed: ${v.reason}`));
    }
  };
  const models = objects.filter((o) => o.obj.kind === 'LLMInferenceService');
  for (const m of models) {
    const first = expanded.find((e) => e.from.obj === m.obj);
    if (!first) continue;
    const spec = isMap(m.obj.spec) ? m.obj.spec : {};
    const pods = modelPods(expanded, m.obj);
    for (const f of declared.podFlows) {
      if (f.when === 'multiNode' && spec.worker) {
        check(first, f.name, pods.leader!, pods.worker!, portsOf(f));
        check(first, f.name, pods.worker!, pods.leader!, portsOf(f));
      }
      if (f.when === 'prefill' && spec.prefill) {
        check(first, f.name, pods.decode!, pods.prefill!, portsOf(f));
        check(first, f.name, pods.prefill!, pods.decode!, portsOf(f));
      }
    }
    // talksTo models -> models: the endpoint picker reads the model pods' metrics and the gateway routes to them.
    for (const t of declared.talksTo.filter((x) => x.from === 'models' && x.to === 'models')) check(first, `talksTo ${t.from} -> ${t.to}`, pods.scheduler!, [...pods.decode!, ...pods.leader!], t.ports);
  }
  out.push(...undeclaredPorts(objects, declared));
  return out;
}

/** FLOW002: every port of a flow policy belongs to one of the flows it names, for the model it selects. */
function undeclaredPorts(objects: SourceObject[], declared: DeclaredFlows): Finding[] {
  const out: Finding[] = [];
  const models = new Map(objects.filter((o) => o.obj.kind === 'LLMInferenceService').map((o) => [`${o.obj.metadata?.namespace}/${o.obj.metadata?.name}`, o.obj]));
  for (const o of objects) {
    const names = o.obj.kind === 'NetworkPolicy' ? o.obj.metadata?.annotations?.['catalyst.dev/flows'] : undefined;
    if (names === undefined) continue;
    const spec = isMap(o.obj.spec) ? o.obj.spec : {};
    const sel = isMap(spec.podSelector) && isMap(spec.podSelector.matchLabels) ? spec.podSelector.matchLabels : {};
    const model = models.get(`${o.obj.metadata?.namespace}/${str(sel['catalyst.dev/model'])}`);
    const mspec = model && isMap(model.spec) ? model.spec : {};
    const uses = { multiNode: Boolean(mspec.worker), prefill: Boolean(mspec.prefill) };
    const allowed = declared.podFlows.filter((f) => names.split(',').map((s) => s.trim()).includes(f.name) && uses[f.when]).flatMap((f) => f.ports);
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of (Array.isArray(spec[dir]) ? spec[dir] : []) as JsonMap[]) {
        for (const p of (Array.isArray(rule.ports) ? rule.ports : [undefined]) as (JsonMap | undefined)[]) {
          const port = p?.port;
          const end = p?.endPort;
          if (allowed.some((a) => a.port === port && (a.endPort ?? undefined) === (end ?? undefined))) continue;
          const which = port === undefined ? 'every port' : `TCP ${String(port)}${end ? `-${String(end)}` : ''}`;
          out.push({
            file: o.file, line: o.line, col: 0, path: '', rule: FLOW002, kind: 'NetworkPolicy', name: o.obj.metadata?.name ?? '',
            message: `NetworkPolicy ${o.obj.metadata?.namespace}/${o.obj.metadata?.name}: ${dir} opens ${which}, which none of its flows (${names}) needs${model ? ` for model ${model.metadata?.name}` : ' (it selects no model)'}`,
          });
        }
      }
    }
  }
  return out;
}
