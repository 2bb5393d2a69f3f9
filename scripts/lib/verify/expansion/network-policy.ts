/**
 * Does the cluster let one pod reach another on a TCP port? The NetworkPolicy semantics of
 * kubernetes/api@v0.35.0 networking/v1/types.go (and the reference docs "Network Policies"):
 * - a pod is isolated for ingress (egress) when some policy of its namespace selects it and lists
 *   Ingress (Egress) in policyTypes (absent policyTypes: Ingress, plus Egress when it has egress rules);
 * - an isolated pod admits a connection when any selecting policy has a rule whose peers match the
 *   other pod (no `from`/`to`: every peer) and whose ports match (no ports: every port; `endPort`
 *   makes a range; a named port resolves against the destination container's ports);
 * - a peer with podSelector alone means pods of the policy's namespace; namespaceSelector alone,
 *   every pod of the matching namespaces; both, matching pods in matching namespaces. ipBlock
 *   peers are not matched against pods (pod IPs are not known before the cluster runs).
 * The connection needs both: egress from the source and ingress to the destination.
 */
import type { K8sObject } from '../../findings.ts';
import { isMap, str, type JsonMap } from './types.ts';

export interface PodRef {
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports of the pod (for named policy ports). */
  namedPorts?: Record<string, number>;
}

type Labels = Record<string, string>;

/** metav1.LabelSelector matching (matchLabels and matchExpressions). An empty selector matches everything. */
export function selectorMatches(sel: unknown, labels: Labels): boolean {
  if (!isMap(sel)) return false;
  const ml = isMap(sel.matchLabels) ? sel.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as JsonMap[]) : []) {
    const key = str(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    const op = str(e.operator);
    if (op === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

function policyTypes(spec: JsonMap): string[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.map(String);
  return Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(peer: JsonMap, policyNs: string, other: PodRef, nsLabels: (ns: string) => Labels): boolean {
  if (isMap(peer.ipBlock)) return false;
  const nsOk = isMap(peer.namespaceSelector) ? selectorMatches(peer.namespaceSelector, nsLabels(other.namespace)) : other.namespace === policyNs;
  const podOk = isMap(peer.podSelector) ? selectorMatches(peer.podSelector, other.labels) : true;
  return nsOk && podOk;
}

function portMatches(ports: unknown, port: number, dest: PodRef): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return (ports as JsonMap[]).some((p) => {
    if ((str(p.protocol) || 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    const start = typeof p.port === 'string' && !/^\d+$/.test(p.port) ? dest.namedPorts?.[p.port] : Number(p.port);
    if (start === undefined) return false;
    const end = typeof p.endPort === 'number' ? p.endPort : start;
    return port >= start && port <= end;
  });
}

export interface Verdict {
  allowed: boolean;
  /** Why not: which direction no policy allows. */
  reason?: string;
}

/** One direction: does `pod` admit traffic with `other` (ingress: from other; egress: to other)? */
function admits(policies: K8sObject[], dir: 'Ingress' | 'Egress', pod: PodRef, other: PodRef, port: number, dest: PodRef, nsLabels: (ns: string) => Labels): boolean {
  const selecting = policies.filter((p) => str(p.metadata?.namespace) === pod.namespace && isMap(p.spec) && selectorMatches(p.spec.podSelector ?? {}, pod.labels) && policyTypes(p.spec as JsonMap).includes(dir));
  if (!selecting.length) return true;
  const key = dir === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = dir === 'Ingress' ? 'from' : 'to';
  return selecting.some((p) =>
    ((p.spec as JsonMap)[key] as JsonMap[] | undefined ?? []).some((rule) => {
      const peers = rule[peersKey];
      const peerOk = !Array.isArray(peers) || peers.length === 0 || (peers as JsonMap[]).some((x) => peerMatches(x, pod.namespace, other, nsLabels));
      return peerOk && portMatches(rule.ports, port, dest);
    }),
  );
}

/** Is a TCP connection from `src` to `dst` on `port` allowed by the NetworkPolicies? */
export function connectionAllowed(policies: K8sObject[], namespaces: K8sObject[], src: PodRef, dst: PodRef, port: number): Verdict {
  const nsByName = new Map(namespaces.map((n) => [str(n.metadata?.name), n]));
  const nsLabels = (ns: string): Labels => ({ ...(nsByName.get(ns)?.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': ns });
  if (!admits(policies, 'Egress', src, dst, port, dst, nsLabels)) return { allowed: false, reason: `no NetworkPolicy of namespace ${src.namespace} selecting the source pods allows egress to them on ${port}` };
  if (!admits(policies, 'Ingress', dst, src, port, dst, nsLabels)) return { allowed: false, reason: `no NetworkPolicy of namespace ${dst.namespace} selecting the destination pods allows ingress from the source on ${port}` };
  return { allowed: true };
}
