/** The clusterScopedKinds callback: built-in kinds, hydrated CRDs, extras, unknown. */
import { describe, expect, it } from 'vitest';
import { clusterScopedKindsFrom } from '../../../scripts/lib/verify/admission/kind-scope.ts';
import { runPlatformRules } from '../../../scripts/lib/verify/admission/index.ts';
import { app, input, obj } from './helpers.ts';

const crd = (group: string, kind: string, scope: string) =>
  obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${kind.toLowerCase()}s.${group}`, undefined, { spec: { group, scope, names: { kind } } });

describe('clusterScopedKindsFrom', () => {
  const scope = clusterScopedKindsFrom([crd('example.com', 'Widget', 'Namespaced'), crd('example.com', 'Gadget', 'Cluster'), crd('example.com', 'Broken', 'Sideways')], {
    'external.io/Thing': true,
  });
  it.each([
    ['', 'Namespace', true],
    ['rbac.authorization.k8s.io', 'ClusterRole', true],
    ['', 'ConfigMap', false],
    ['apps', 'Deployment', false],
    ['example.com', 'Widget', false],
    ['example.com', 'Gadget', true],
    ['example.com', 'Broken', undefined],
    ['external.io', 'Thing', true],
    ['apps', 'Deploymnet', undefined],
    ['', 'Deployment', undefined],
  ])('%s/%s -> %s', (group, kind, want) => {
    expect(scope(group, kind)).toBe(want);
  });
});

describe('runPlatformRules', () => {
  it('runs every rule over one input', () => {
    const a = app('a', 'missing', 'ns', [obj('v1', 'ConfigMap', 'x'), obj('v1', 'Pod', 'p', undefined, { spec: { hostPID: true, containers: [{ name: 'c' }] } })]);
    const b = app('b', 'missing', 'ns', [obj('v1', 'ConfigMap', 'x')]);
    const ns = obj('v1', 'Namespace', 'ns', undefined, { metadata: { name: 'ns', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    expect(runPlatformRules(input([a, b], { namespaces: [ns] })).map((f) => f.rule)).toEqual(['PLAT001', 'PLAT001', 'PLAT002', 'PLAT003']);
  });
});
