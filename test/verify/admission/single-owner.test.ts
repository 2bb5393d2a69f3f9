/** PLAT002: an object rendered by two Applications. */
import { describe, expect, it } from 'vitest';
import { checkSingleOwner } from '../../../scripts/lib/verify/admission/single-owner.ts';
import { app, input, obj } from './helpers.ts';

describe('PLAT002 single owner', () => {
  it('reports one finding per shared object, naming both apps and both sources', () => {
    const a = app('alpha', 'p', 'catalyst-a', [obj('v1', 'ConfigMap', 'shared', 'catalyst-x'), obj('v1', 'Namespace', 'catalyst-x')]);
    const b = app('beta', 'p', 'catalyst-b', [obj('v1', 'ConfigMap', 'shared', 'catalyst-x'), obj('v1', 'Namespace', 'catalyst-x', 'ignored')]);
    const f = checkSingleOwner(input([b, a]));
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({ rule: 'PLAT002', file: 'generated/beta.yaml', line: 1, kind: 'ConfigMap', name: 'shared' });
    expect(f[0]!.message).toBe(
      'core/ConfigMap catalyst-x/shared is rendered by 2 apps, "alpha" and "beta" (alpha: generated/alpha.yaml:1; beta: generated/beta.yaml:1); Argo CD lets only one app own an object',
    );
    // A cluster-scoped kind ignores a stray metadata.namespace, as Argo CD does.
    expect(f[1]!.message).toMatch(/^core\/Namespace catalyst-x is rendered by 2 apps/);
  });

  it('compares namespaced objects after defaulting to each app destination', () => {
    const a = app('alpha', 'p', 'catalyst-x', [obj('v1', 'Service', 'api')]);
    const b = app('beta', 'p', 'catalyst-x', [obj('v1', 'Service', 'api', 'catalyst-x')]);
    const c = app('gamma', 'p', 'catalyst-y', [obj('v1', 'Service', 'api')]);
    const f = checkSingleOwner(input([a, b, c]));
    expect(f.map((x) => x.message.split(' is ')[0])).toEqual(['core/Service catalyst-x/api']);
  });

  it('stays quiet for same names in other groups, kinds or namespaces, and for one app repeating itself', () => {
    const a = app('alpha', 'p', 'ns', [obj('v1', 'ConfigMap', 'x'), obj('v1', 'Secret', 'x'), obj('v1', 'ConfigMap', 'x')]);
    const b = app('beta', 'p', 'ns', [obj('example.com/v1', 'ConfigMap', 'x'), obj('v1', 'ConfigMap', 'x', 'other')]);
    expect(checkSingleOwner(input([a, b]))).toEqual([]);
  });

  it('lists every owner when more than two apps render it', () => {
    const objs = () => [obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader')];
    const f = checkSingleOwner(input([app('c', 'p', 'n', objs()), app('a', 'p', 'n', objs()), app('b', 'p', 'n', objs())]));
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('rendered by 3 apps, "a", "b" and "c"');
    expect(f[0]!.file).toBe('generated/c.yaml');
  });
});
