/**
 * Which kinds are cluster-scoped: the built-in Kubernetes kinds (data/kubernetes/builtin-scopes.json, from the Kubernetes models) and the custom kinds whose
 * CustomResourceDefinition is among the hydrated objects (spec.scope `Cluster` / `Namespaced`).
 */
import { builtinClusterScoped, builtinNamespaced, crdScopes } from '../../config/kube/builtin-scopes.ts';
import type { K8sObject, ScopeOf } from './types.ts';

export { crdScopes };

/** Built-in namespaced kinds, as `<group>/<Kind>` (core group: `/<Kind>`), from the Kubernetes models. */
export const namespacedCoreKinds = (): ReadonlySet<string> => builtinNamespaced();

const key = (group: string, kind: string): string => `${group}/${kind}`;

/**
 * A `clusterScopedKinds` callback: built-in kinds first, then the CRDs found in `objects`, then
 * `extra` (e.g. CRDs installed outside the platform); undefined for anything else.
 */
export function clusterScopedKindsFrom(objects: readonly K8sObject[], extra: Readonly<Record<string, boolean>> = {}): ScopeOf {
  const cluster = builtinClusterScoped();
  const namespaced = builtinNamespaced();
  const crds = crdScopes(objects);
  return (group, kind) => {
    const k = key(group, kind);
    if (cluster.has(k)) return true;
    if (namespaced.has(k)) return false;
    if (crds.has(k)) return crds.get(k);
    return extra[k];
  };
}
