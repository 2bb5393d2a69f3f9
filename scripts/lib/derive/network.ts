/**
 * Network edges, planned once per environment from the catalog: which namespaces the
 * platform owns (every component in them is rendered by this repo), and for each, the
 * traffic its default-deny lets through — talksTo edges, Prometheus scrapes, the ingress
 * controller, the API server, and internet egress for the components that list hosts.
 */
import type { Plan } from '../plan/plan.ts';

export interface NsRule {
  /** Peer namespace (ingress source or egress destination). */
  namespace: string;
  ports: number[];
  /** Why: the edges this rule stands for. */
  reason: string;
}

export interface NamespaceTraffic {
  namespace: string;
  ingress: NsRule[];
  egress: NsRule[];
  /** Components whose pods may reach the API server. */
  apiServer: string[];
  /** Components whose pods may reach the internet on 443, with their hosts. */
  internet: { component: string; hosts: string[] }[];
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** Namespaces whose every component is rendered here (operators' own namespaces are left to their charts). */
export function ownedNamespaces(plan: Plan): string[] {
  return plan.namespaces.filter((ns) => plan.apps.filter((a) => a.app.namespace === ns).every((a) => a.app.source.type === 'local'));
}

function add(rules: NsRule[], namespace: string, ports: number[], reason: string): void {
  const r = rules.find((x) => x.namespace === namespace);
  if (!r) rules.push({ namespace, ports: [...ports].sort((a, b) => a - b), reason });
  else {
    r.ports = [...new Set([...r.ports, ...ports])].sort((a, b) => a - b);
    if (!r.reason.split('; ').includes(reason)) r.reason = [...r.reason.split('; '), reason].sort().join('; ');
  }
}

export function planTraffic(plan: Plan): NamespaceTraffic[] {
  const owned = ownedNamespaces(plan);
  const cfg = plan.env.config;
  const traffic = new Map<string, NamespaceTraffic>(owned.map((ns) => [ns, { namespace: ns, ingress: [], egress: [], apiServer: [], internet: [] }]));
  const monitoring = plan.byName.get('kube-prometheus-stack')?.app.namespace;
  const ingressNs = cfg.cluster.ingressNamespace ?? 'ingress-nginx';
  for (const a of plan.apps) {
    const from = a.app.namespace;
    for (const t of a.app.talksTo) {
      const b = plan.byName.get(t.component);
      if (!b) continue;
      const edge = `${a.name} -> ${b.name}`;
      traffic.get(from) && add(traffic.get(from)!.egress, b.app.namespace, t.ports, edge);
      traffic.get(b.app.namespace) && add(traffic.get(b.app.namespace)!.ingress, from, t.ports, edge);
    }
    const mine = traffic.get(from);
    if (!mine) continue;
    if (a.app.metricsPorts.length && monitoring) add(mine.ingress, monitoring, a.app.metricsPorts, `Prometheus scrapes ${a.name}`);
    if (a.app.exposedPorts.length) add(mine.ingress, ingressNs, a.app.exposedPorts, `ingress controller -> ${a.name}`);
    if (a.app.callsApiServer) mine.apiServer.push(a.name);
    if (a.app.egress.length) mine.internet.push({ component: a.name, hosts: a.app.egress });
  }
  // The collector's general trace store (components.otel-collector.traceStore), when in-cluster.
  const collector = plan.byName.get('otel-collector');
  const store = collector ? (collector.settings.traceStore as { endpoint?: string; namespace?: string } | undefined) : undefined;
  const mine = collector && traffic.get(collector.app.namespace);
  if (store?.namespace && store.endpoint && mine) add(mine.egress, store.namespace, [Number(store.endpoint.split(':').pop())], 'otel-collector -> trace store');
  return [...traffic.values()];
}

export function deriveNetwork(plan: Plan) {
  return {
    network: {
      owned: ownedNamespaces(plan),
      traffic: planTraffic(plan),
      privateRanges: PRIVATE,
      apiServerCidrs: plan.env.config.cluster.apiServerCidrs ?? [],
      /** cluster.apiServerPorts (the environment schema's default when unset): the allow-api-server NetworkPolicies' ports. */
      apiServerPorts: plan.env.config.cluster.apiServerPorts ?? [],
    },
  };
}

export type NetworkFacts = ReturnType<typeof deriveNetwork>;
