/**
 * Which kinds are cluster-scoped: the built-in Kubernetes kinds (data/kubernetes/builtin-scopes.json, from the Kubernetes models) and the custom kinds whose
 * CustomResourceDefinition is among the hydrated objects (spec.scope `Cluster` / `Namespaced`).
 */
import { groupOf } from '../../findings.ts';
import { builtinClusterScoped, builtinNamespaced } from '../../config/kube/builtin-scopes.ts';
import { isRecord, str, type K8sObject, type ScopeOf } from './types.ts';

/** Built-in namespaced kinds, as `<group>/<Kind>` (core group: `/<Kind>`), from the Kubernetes models. */
export const namespacedCoreKinds = (): ReadonlySet<string> => builtinNamespaced();

const key = (group: string, kind: string): string => `${group}/${kind}`;

/** Scopes declared by CustomResourceDefinitions among the objects: `group/Kind` -> cluster-scoped. */
export function crdScopes(objects: readonly K8sObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = isRecord(o.spec) ? o.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    const group = str(spec.group);
    const kind = str(names.kind);
    const scope = str(spec.scope);
    if (!kind || (scope !== 'Cluster' && scope !== 'Namespaced')) continue;
    out.set(key(group, kind), scope === 'Cluster');
  }
  return out;
}

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
