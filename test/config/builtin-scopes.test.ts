/**
 * The built-in kinds' scopes are derived, not listed: data/kubernetes/builtin-scopes.json is what
 * scripts/kube-scopes.ts derives from @kubernetes/client-node (a dependency bump that changes a
 * scope fails here until `npm run kube-scopes` is run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { BUILTIN_SCOPES_FILE, builtinClusterScoped, builtinNamespaced, renderBuiltinScopes } from '../../scripts/lib/config/kube/builtin-scopes.ts';
import { deriveBuiltinScopes } from '../../scripts/kube-scopes.ts';

describe('built-in kind scopes', () => {
  const derived = deriveBuiltinScopes();

  it('the committed file is what the Kubernetes models give', () => {
    expect(readFileSync(join(ROOT, BUILTIN_SCOPES_FILE), 'utf8')).toBe(renderBuiltinScopes(derived));
  });

  it('reads kinds, not subresources, with their group', () => {
    expect(derived.cluster).toEqual(expect.arrayContaining(['/Namespace', '/ComponentStatus', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'apiextensions.k8s.io/CustomResourceDefinition', 'scheduling.k8s.io/PriorityClass']));
    expect(derived.namespaced).toEqual(expect.arrayContaining(['/Pod', '/Binding', 'apps/Deployment', 'rbac.authorization.k8s.io/RoleBinding', 'events.k8s.io/Event', 'authorization.k8s.io/LocalSubjectAccessReview']));
    const all = [...derived.cluster, ...derived.namespaced];
    // Subresources of a kind are not kinds: Pod's status, binding and eviction; a ServiceAccount's token.
    for (const sub of ['/PodStatus', '/PodBinding', '/PodEviction', '/ServiceAccountToken', 'apps/DeploymentScale', '/PodLog']) expect(all).not.toContain(sub);
    expect(derived.cluster.filter((k) => derived.namespaced.includes(k))).toEqual([]);
  });

  it('the runtime reads the file', () => {
    expect(builtinClusterScoped().has('storage.k8s.io/StorageClass')).toBe(true);
    expect(builtinNamespaced().has('batch/Job')).toBe(true);
    expect(builtinClusterScoped().has('cert-manager.io/ClusterIssuer')).toBe(false);
  });
});
