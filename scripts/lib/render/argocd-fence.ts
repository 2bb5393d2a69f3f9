/**
 * The fence of an environment's child AppProject (overlays/_argocd/root.hbs writes it): what
 * every component Application is held in, computed exactly from what the enabled components
 * install (apps/<name>/app.yaml `namespacedResources` and `clusterResources`, hooks included) and
 * where they install it.
 *
 * Argo CD 3.3 (pkg/apis/application/v1alpha1/app_project_types.go IsGroupKindNamePermitted):
 * a namespaced object needs its kind in `namespaceResourceWhitelist` (absent = every kind, so it
 * is always written out) and its namespace among `destinations`; a cluster-scoped object needs a
 * `clusterResourceWhitelist` entry, which may be narrowed to a name. The namespaced list cannot
 * be narrowed per namespace, so the fence has no destination in the Argo CD namespace or in
 * kube-system: charts are configured to stay in their own namespaces instead (their values in
 * overlays/), and the root Application has a project of its own (argocd-root.ts).
 */
import type { Plan } from '../plan/plan.ts';
import { sourceRepo } from './argocd.ts';

export interface KindEntry {
  group: string;
  kind: string;
  name?: string;
}

export interface Fence {
  sourceRepos: string[];
  destinations: { server: string; namespace: string }[];
  namespaceResourceWhitelist: KindEntry[];
  clusterResourceWhitelist: KindEntry[];
  /** What controllers make in the fence without an owner reference, kept out of OrphanedResourceWarning. */
  orphanedIgnore: KindEntry[];
}

/**
 * Objects controllers write into the platform's namespaces without an ownerReference, which
 * Argo CD would list as orphaned for ever (argo-cd@v3.3.14:controller/appcontroller.go
 * isKnownOrphanedResourceExclusion ignores only kube-root-ca.crt, the default ServiceAccount and
 * the kubernetes Service): istiod's root-certificate ConfigMap in every namespace, the TLS
 * Secrets cert-manager issues for Ingresses (named `<host label>-tls` by the templates) and for
 * the charts' webhook Certificates (`*-cert`: kserve, llmisvc, kagenti).
 * glob patterns (github.com/gobwas/glob, as Argo CD matches them).
 */
export const ORPHANED_IGNORE: KindEntry[] = [
  { group: '', kind: 'ConfigMap', name: 'istio-ca-root-cert' },
  { group: '', kind: 'Secret', name: '*-tls' },
  { group: '', kind: 'Secret', name: '*-cert' },
];

const byKind = (x: KindEntry, y: KindEntry): number =>
  x.group.localeCompare(y.group) || x.kind.localeCompare(y.kind) || (x.name ?? '').localeCompare(y.name ?? '');

/** Union of kind entries; an entry without a name covers every named entry of its kind. */
export function unionKinds(entries: readonly KindEntry[]): KindEntry[] {
  const unnamed = new Set(entries.filter((e) => !e.name).map((e) => `${e.group}/${e.kind}`));
  const out = new Map<string, KindEntry>();
  for (const e of entries) {
    const gk = `${e.group}/${e.kind}`;
    if (e.name && unnamed.has(gk)) continue;
    const entry: KindEntry = e.name ? { group: e.group, kind: e.kind, name: e.name } : { group: e.group, kind: e.kind };
    out.set(`${gk}/${e.name ?? ''}`, entry);
  }
  return [...out.values()].sort(byKind);
}

export function fenceOf(plan: Plan): Fence {
  const cfg = plan.env.config;
  const namespaces = [...new Set(plan.apps.map((a) => a.app.namespace))].sort();
  return {
    sourceRepos: [...new Set([cfg.repo.url, ...plan.apps.map((a) => sourceRepo(plan, a))])].sort(),
    destinations: namespaces.map((namespace) => ({ server: cfg.cluster.server, namespace })),
    namespaceResourceWhitelist: unionKinds(plan.apps.flatMap((a) => a.app.namespacedResources)),
    clusterResourceWhitelist: unionKinds(plan.apps.flatMap((a) => a.app.clusterResources)),
    orphanedIgnore: ORPHANED_IGNORE,
  };
}
