/** PLAT001: AppProject admission mirrors Argo CD 3.3 (kind lists, destinations with globs and negation). */
import { describe, expect, it } from 'vitest';
import { destinationMatched, groupKindNamePermitted, readProjectSpec, type ProjectDestination } from '../../../scripts/lib/verify/admission/argo-project.ts';
import { checkProjectAdmission } from '../../../scripts/lib/verify/admission/project-admission.ts';
import { app, input, loadYamlObjects, obj } from './helpers.ts';

const projects = loadYamlObjects('projects.yaml');
const spec = (name: string) => readProjectSpec(projects.find((p) => p.metadata.name === name)!);
const IN = 'https://kubernetes.default.svc';

function dests(...d: [server: string, namespace: string, name?: string][]) {
  return { ...spec('locked'), destinations: d.map(([server, namespace, name]) => ({ server, namespace, name: name ?? '' })) };
}
const to = (server: string, namespace: string, name = ''): ProjectDestination => ({ server, namespace, name });

describe('isDestinationMatched', () => {
  it.each([
    ['exact server and namespace', dests([IN, 'default']), to(IN, 'default'), true],
    ['other namespace', dests([IN, 'default']), to(IN, 'kube-system'), false],
    ['other server', dests(['https://other', 'default']), to(IN, 'default'), false],
    ['namespace *', dests([IN, '*']), to(IN, 'anything'), true],
    ['server glob', dests(['https://*.default.svc', 'default']), to(IN, 'default'), true],
    ['namespace prefix glob needs the suffix', dests([IN, 'team-*']), to(IN, 'team'), false],
    ['by cluster name', dests(['', '*', 'prod']), to('', 'x', 'prod'), true],
    ['by another cluster name', dests(['', '*', 'prod']), to('', 'x', 'dev'), false],
    ['alternatives', dests([IN, 'tenant-{a,b}']), to(IN, 'tenant-b'), true],
    ['negated server vetoes', dests(['!' + IN, '*']), to(IN, 'x'), false],
    ['negated other server permits', dests(['!https://other', 'default']), to(IN, 'default'), true],
    ['negated namespace alone permits the rest', dests([IN, '!kube-system']), to(IN, 'default'), true],
    ['negated namespace vetoes its own', dests([IN, '!kube-system']), to(IN, 'kube-system'), false],
    ['deny entry after an allow entry still vetoes', dests(['*', '*'], ['*', '!kube-system']), to(IN, 'kube-system'), false],
    ['deny server entry vetoes only where its namespace matches', dests(['*', 'team'], ['!https://x', 'other']), to('https://x', 'team'), true],
    ['negated alternatives', dests([IN, '!{kube-system,argocd}'], ['https://eks', '*']), to('https://eks', 'kube-system'), true],
    ['negated name vetoes', dests(['', '*', '!prod']), to('', 'x', 'prod'), false],
  ])('%s', (_label, project, dst, want) => {
    expect(destinationMatched(project, dst)).toBe(want);
  });
});

describe('IsGroupKindNamePermitted', () => {
  const platform = spec('platform');
  it('cluster-scoped kinds need a whitelist entry; names and blacklist globs apply', () => {
    expect(groupKindNamePermitted(platform, '', 'Namespace', 'x', false).permitted).toBe(true);
    expect(groupKindNamePermitted(platform, 'rbac.authorization.k8s.io', 'ClusterRole', 'x', false).permitted).toBe(true);
    expect(groupKindNamePermitted(platform, 'apiextensions.k8s.io', 'CustomResourceDefinition', 'widgets.catalyst.dev', false).permitted).toBe(true);
    expect(groupKindNamePermitted(platform, 'apiextensions.k8s.io', 'CustomResourceDefinition', 'gateways.istio.io', false)).toEqual({
      permitted: false,
      cause: 'it matches no clusterResourceWhitelist entry',
    });
    const black = groupKindNamePermitted(platform, 'rbac.authorization.k8s.io', 'ClusterRoleBinding', 'cluster-admin-x', false);
    expect(black.permitted).toBe(false);
    expect(black.cause).toContain('clusterResourceBlacklist');
    expect(groupKindNamePermitted(spec('tenants'), '', 'Namespace', 'x', false).cause).toContain('clusterResourceWhitelist is empty');
  });
  it('namespaced kinds: absent whitelist permits all, empty whitelist none, blacklist wins', () => {
    expect(groupKindNamePermitted(platform, '', 'ConfigMap', 'x', true).permitted).toBe(true);
    expect(groupKindNamePermitted(platform, '', 'ResourceQuota', 'x', true).permitted).toBe(false);
    expect(groupKindNamePermitted(spec('locked'), '', 'ConfigMap', 'x', true).cause).toContain('namespaceResourceWhitelist is empty');
    expect(groupKindNamePermitted(spec('tenants'), 'apps', 'Deployment', 'x', true).permitted).toBe(true);
    expect(groupKindNamePermitted(spec('tenants'), '', 'Secret', 'x', true).permitted).toBe(false);
  });
});

describe('PLAT001 rule', () => {
  it('stays quiet when every object is permitted', () => {
    const a = app('web', 'platform', 'catalyst-web', [
      obj('v1', 'Namespace', 'catalyst-web'),
      obj('apps/v1', 'Deployment', 'web'),
      obj('v1', 'ConfigMap', 'web', 'catalyst-shared'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'web-reader'),
    ]);
    expect(checkProjectAdmission(input([a], { projects }))).toEqual([]);
  });

  it('names app, object and cause for a kind and a namespace outside the project', () => {
    const a = app('web', 'platform', 'catalyst-web', [
      obj('apps/v1', 'Deployment', 'web', 'catalyst-system'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'cluster-admin-web'),
      obj('v1', 'ResourceQuota', 'q'),
    ]);
    const f = checkProjectAdmission(input([a], { projects }));
    expect(f.map((x) => [x.rule, x.path, x.line])).toEqual([
      ['PLAT001', '/metadata/namespace', 1],
      ['PLAT001', '/kind', 11],
      ['PLAT001', '/kind', 21],
    ]);
    expect(f[0]!.message).toBe(
      'app "web": apps/Deployment catalyst-system/web: namespace "catalyst-system" on server "https://kubernetes.default.svc" is not permitted in project "platform" (destinations: https://kubernetes.default.svc "catalyst-*", https://kubernetes.default.svc "!catalyst-system")',
    );
    expect(f[1]!.message).toContain('app "web": rbac.authorization.k8s.io/ClusterRoleBinding cluster-admin-web: cluster-scoped kind');
    expect(f[2]!.message).toContain('core/ResourceQuota catalyst-web/q');
  });

  it('defaults the namespace of namespaced objects to the destination; checks the destination itself', () => {
    const a = app('t', 'tenants', 'tenant-c', [obj('apps/v1', 'Deployment', 'd'), obj('apps/v1', 'Deployment', 'e', 'tenant-a')]);
    const f = checkProjectAdmission(input([a], { projects }));
    expect(f.map((x) => x.message.split(':')[0] + (x.name ? ` ${x.name}` : ''))).toEqual(['app "t"', 'app "t" d']);
    expect(f[0]!.message).toContain('destination server "https://kubernetes.default.svc" namespace "tenant-c" matches none');
  });

  it('resolves the in-cluster name for name-only destinations', () => {
    const ok = app('l', 'locked', 'locked', [obj('v1', 'Namespace', 'locked')]);
    const f = checkProjectAdmission(input([ok], { projects }));
    expect(f.map((x) => x.message)).toEqual(['app "l": core/Namespace locked: cluster-scoped kind core/Namespace is not permitted in project "locked": clusterResourceWhitelist is empty (permits no cluster-scoped kind)']);
  });

  it('reports a missing project, and kinds no cluster knows', () => {
    expect(checkProjectAdmission(input([app('x', 'nope', 'catalyst-x', [obj('v1', 'ConfigMap', 'c')])], { projects }))[0]!.message).toContain('project "nope" is not among the AppProjects');
    expect(checkProjectAdmission(input([app('x', '', 'catalyst-x', [])], { projects }))[0]!.message).toContain('project "default"');
    const f = checkProjectAdmission(input([app('x', 'platform', 'catalyst-x', [obj('example.com/v1', 'Widget', 'w')])], { projects }));
    expect(f[0]!.message).toContain('the cluster knows no kind example.com/Widget');
  });

  it('learns custom kinds and their scope from hydrated CustomResourceDefinitions', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.catalyst.dev', undefined, {
      spec: { group: 'catalyst.dev', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' } },
    });
    const f = checkProjectAdmission(input([app('x', 'platform', 'catalyst-x', [crd, obj('catalyst.dev/v1', 'Widget', 'w')])], { projects }));
    expect(f.map((x) => x.message)).toEqual([
      'app "x": catalyst.dev/Widget w: cluster-scoped kind catalyst.dev/Widget is not permitted in project "platform": it matches no clusterResourceWhitelist entry',
    ]);
  });
});
