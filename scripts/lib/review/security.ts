/**
 * Changes a reviewer must not miss, called out above the object diffs:
 * - an AppProject widened (a new source repo, destination, or cluster/namespace resource kind allowed);
 * - kinds of cluster-scoped object the env did not have before;
 * - NetworkPolicy egress rules that reach the internet (no `to`, or an ipBlock outside private ranges);
 * - image and chart version changes.
 */
import type { K8sObject } from '../findings.ts';
import { namespacedCoreKinds } from '../verify/admission/index.ts';
import { objectLabel, type SnapObject } from '../verify/snapshot/index.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const key = (v: unknown): string => JSON.stringify(v);

function added(before: unknown, after: unknown): unknown[] {
  const had = new Set(list(before).map(key));
  return list(after).filter((x) => !had.has(key(x)));
}

const FENCE_WIDER = ['sourceRepos', 'destinations', 'clusterResourceWhitelist', 'namespaceResourceWhitelist', 'sourceNamespaces'];
const FENCE_NARROWER = ['clusterResourceBlacklist', 'namespaceResourceBlacklist'];
const shown = (x: unknown): string => (typeof x === 'string' ? x : key(x));

/**
 * One line per AppProject whose fence widens, its additions grouped by field: a new env's
 * projects are one line each (what they allow, counted), not one line per repo, destination and kind.
 */
export function appProjectWidened(b: K8sObject | undefined, h: K8sObject): string[] {
  const bs = (isObj(b?.spec) ? b.spec : {}) as Obj;
  const hs = (isObj(h.spec) ? h.spec : {}) as Obj;
  const name = h.metadata.name ?? '?';
  if (!b) {
    const allowed = FENCE_WIDER.filter((f) => list(hs[f]).length).map((f) => `${list(hs[f]).length} ${f}`);
    return [`AppProject ${name} is new: it allows ${allowed.join(', ') || 'nothing'}`];
  }
  const parts: string[] = [];
  for (const field of FENCE_WIDER) {
    const more = added(bs[field], hs[field]);
    if (more.length) parts.push(`${field} + ${more.map(shown).join(', ')}`);
  }
  for (const field of FENCE_NARROWER) {
    const fewer = added(hs[field], bs[field]);
    if (fewer.length) parts.push(`${field} - ${fewer.map(shown).join(', ')}`);
  }
  return parts.length ? [`AppProject ${name} widened: ${parts.join('; ')}`] : [];
}

const PRIVATE = [/^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^127\./, /^169\.254\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, /^f[cd]/i, /^fe80:/i, /^::1\//];

/** Does an egress rule reach addresses outside the cluster's private ranges? */
export function reachesInternet(rule: unknown): boolean {
  if (!isObj(rule)) return false;
  const to = list(rule.to);
  if (!to.length) return true;
  return to.some((peer) => {
    const cidr = isObj(peer) && isObj(peer.ipBlock) ? String(peer.ipBlock.cidr ?? '') : '';
    return cidr !== '' && !PRIVATE.some((re) => re.test(cidr));
  });
}

function internetEgress(b: K8sObject | undefined, h: K8sObject): string[] {
  const bSpec = isObj(b?.spec) ? b.spec : {};
  const hSpec = isObj(h.spec) ? h.spec : {};
  return added(bSpec.egress, hSpec.egress)
    .filter(reachesInternet)
    .map((r) => `new internet egress in ${objectLabel(h)}: ${key(r)}`);
}

/** Every `image:` string in an object, by its JSON path. */
function images(o: K8sObject | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      // List items by name when they have one (containers), so a reorder is not a change.
      v.forEach((x, i) => walk(x, `${path}/${isObj(x) && typeof x.name === 'string' ? x.name : i}`));
    } else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'image' && typeof x === 'string') out.set(path, x);
        else walk(x, `${path}/${k}`);
      }
    }
  };
  walk(o, '');
  return out;
}

function imageChanges(b: K8sObject | undefined, h: K8sObject | undefined): string[] {
  const bi = images(b);
  const hi = images(h);
  const out: string[] = [];
  const label = objectLabel((h ?? b)!);
  for (const [p, img] of hi) {
    const was = bi.get(p);
    if (was === undefined && b) out.push(`image added in ${label}: ${img}`);
    else if (was !== undefined && was !== img) out.push(`image changed in ${label}: ${was} → ${img}`);
  }
  return out;
}

function chartChange(b: K8sObject | undefined, h: K8sObject): string[] {
  const src = (o: K8sObject | undefined): Obj => (o && isObj(o.spec) && isObj(o.spec.source) ? o.spec.source : {});
  const bs = src(b);
  const hs = src(h);
  const chart = (s: Obj): string => (typeof s.chart === 'string' ? s.chart : isObj(s.helm) ? String(s.repoURL ?? '') : '');
  if (!b || !chart(hs) || !chart(bs)) return [];
  if (chart(bs) === chart(hs) && bs.targetRevision === hs.targetRevision) return [];
  return [`chart changed in Application ${h.metadata.name ?? '?'}: ${chart(bs)}@${String(bs.targetRevision)} → ${chart(hs)}@${String(hs.targetRevision)}`];
}

/** Highlights for one object present in head (b undefined when it is new). */
export function objectHighlights(b: K8sObject | undefined, h: K8sObject): string[] {
  const out: string[] = [];
  if (h.kind === 'AppProject' && h.apiVersion.startsWith('argoproj.io/')) out.push(...appProjectWidened(b, h));
  if (h.kind === 'NetworkPolicy') out.push(...internetEgress(b, h));
  if (h.kind === 'Application' && h.apiVersion.startsWith('argoproj.io/')) out.push(...chartChange(b, h));
  out.push(...imageChanges(b, h));
  return out;
}

/** Kinds of cluster-scoped (namespace-less) object in head that base did not have. */
export function newClusterScopedKinds(base: Iterable<SnapObject>, head: Iterable<SnapObject>): string[] {
  // Chart output may leave namespaced objects without a namespace (helm fills it at apply time).
  const namespaced = (o: K8sObject): boolean => namespacedCoreKinds().has(`${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`);
  const kinds = (xs: Iterable<SnapObject>): Set<string> =>
    new Set([...xs].filter((x) => !x.obj.metadata?.namespace && !namespaced(x.obj)).map((x) => `${x.obj.kind} (${x.obj.apiVersion})`));
  const had = kinds(base);
  return [...kinds(head)].filter((k) => !had.has(k)).sort().map((k) => `new cluster-scoped kind: ${k}`);
}
