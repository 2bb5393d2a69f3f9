import { describe, expect, it } from 'vitest';
import type { K8sObject, SourcedObject } from '../../../scripts/lib/findings.ts';
import { validateObjects } from '../../../scripts/lib/verify/schemas/index.ts';
import { checkObjects } from '../../../scripts/lib/verify/schemas/objects.ts';

const opts = { crdSchemaDir: '/nonexistent-schema-dir' };

const cm = (name: string, namespace?: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: namespace === undefined ? { name } : { name, namespace },
  data: { a: '1' },
});
const at = (obj: unknown, file: string, line: number): SourcedObject => ({ obj: obj as K8sObject, file, line });

describe('generic object checks', () => {
  it('a duplicate object is reported with both places', async () => {
    const f = await validateObjects(
      [at(cm('settings', 'webui'), 'generated/dev/webui/a.yaml', 1), at(cm('settings', 'webui'), 'generated/dev/webui/b.yaml', 9)],
      opts,
    );
    expect(f).toEqual([
      {
        file: 'generated/dev/webui/b.yaml',
        line: 9,
        col: 1,
        kind: 'ConfigMap',
        name: 'settings',
        path: '',
        message: 'duplicate object ConfigMap webui/settings: defined at generated/dev/webui/a.yaml:1 and at generated/dev/webui/b.yaml:9',
      },
    ]);
  });

  it('identity is group, kind, namespace and name (the version does not count)', () => {
    const objs = [
      at(cm('x', 'a'), 'f.yaml', 1),
      at(cm('x', 'b'), 'f.yaml', 2), // other namespace
      at({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } }, 'f.yaml', 3), // other kind
      at({ apiVersion: 'example.com/v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } }, 'f.yaml', 4), // other group
      at({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'a' } }, 'f.yaml', 5),
      at({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'a' } }, 'f.yaml', 6),
    ];
    expect(checkObjects(objs)).toEqual([
      {
        index: 5,
        path: '',
        message: 'duplicate object autoscaling/HorizontalPodAutoscaler a/h: defined at f.yaml:5 and at f.yaml:6',
      },
    ]);
  });

  it('a missing namespace on a namespaced kind fails', async () => {
    const f = await validateObjects([at(cm('settings'), 'generated/dev/webui/cm.yaml', 3)], opts);
    expect(f).toEqual([
      {
        file: 'generated/dev/webui/cm.yaml',
        line: 3,
        col: 1,
        kind: 'ConfigMap',
        name: 'settings',
        path: '/metadata/namespace',
        message: 'metadata.namespace is missing (ConfigMap is namespaced)',
      },
    ]);
  });

  it('cluster-scoped kinds need no namespace and must not have one', () => {
    const objs = [
      at({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'webui' } }, 'f.yaml', 1),
      at({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } }, 'f.yaml', 2),
      at({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' } }, 'f.yaml', 3),
      at({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 's' } }, 'f.yaml', 4),
      at({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'g' } }, 'f.yaml', 5),
      at({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p', namespace: 'x' } }, 'f.yaml', 6),
    ];
    expect(checkObjects(objs, { clusterScopedCustomKinds: ['cert-manager.io/ClusterIssuer', 'external-secrets.io/ClusterSecretStore', 'gateway.networking.k8s.io/GatewayClass'] })).toEqual([
      { index: 5, path: '/metadata/namespace', message: 'PriorityClass is cluster-scoped and must not have metadata.namespace' },
    ]);
  });

  it('the cluster-scoped custom kinds are the ones given (no hand list): a custom kind not given is namespaced', () => {
    const issuer = at({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' } }, 'f.yaml', 1);
    const thing = at({ apiVersion: 'example.com/v1', kind: 'ClusterThing', metadata: { name: 't' } }, 'f.yaml', 2);
    expect(checkObjects([issuer])).toEqual([{ index: 0, path: '/metadata/namespace', message: 'metadata.namespace is missing (ClusterIssuer is namespaced)' }]);
    expect(checkObjects([issuer, thing], { clusterScopedCustomKinds: ['example.com/ClusterThing'] })).toEqual([
      { index: 0, path: '/metadata/namespace', message: 'metadata.namespace is missing (ClusterIssuer is namespaced)' },
    ]);
  });

  it('apiVersion, kind and metadata.name must be present', () => {
    const objs = [
      at({ kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } }, 'f.yaml', 1),
      at({ apiVersion: 'v1', metadata: { name: 'b', namespace: 'n' } }, 'f.yaml', 2),
      at({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'n' } }, 'f.yaml', 3),
      at({ apiVersion: 'v1', kind: 'ConfigMap' }, 'f.yaml', 4),
    ];
    expect(checkObjects(objs)).toEqual([
      { index: 0, path: '/apiVersion', message: 'apiVersion is missing' },
      { index: 1, path: '/kind', message: 'kind is missing' },
      { index: 2, path: '/metadata/name', message: 'metadata.name is missing' },
      { index: 3, path: '/metadata', message: 'metadata is missing' },
    ]);
  });

  it('an object of an unknown kind fails', async () => {
    const obj = { apiVersion: 'example.com/v1alpha1', kind: 'Frobnicator', metadata: { name: 'f', namespace: 'n' } };
    const f = await validateObjects([at(obj, 'generated/dev/x/f.yaml', 2)], opts);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'generated/dev/x/f.yaml', line: 2, col: 1, kind: 'Frobnicator', name: 'f', path: '' });
    expect(f[0]?.message).toMatch(/^no schema for example\.com\/v1alpha1 Frobnicator/);
  });

  it('a made-up kind in a built-in group fails too', async () => {
    const obj = { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'd', namespace: 'n' } };
    const f = await validateObjects([at(obj, 'f.yaml', 1)], opts);
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^no schema for apps\/v1 Deploymnet/)]);
  });

  it('findings from all checks come back sorted by file, line, path', async () => {
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { x: 1 } };
    const f = await validateObjects([at(bad, 'b.yaml', 5), at(cm('a'), 'a.yaml', 9), at(cm('c', 'n'), 'a.yaml', 1)], opts);
    expect(f.map((x) => `${x.file}:${x.line} ${x.path} ${x.message}`)).toEqual([
      'a.yaml:9 /metadata/namespace metadata.namespace is missing (ConfigMap is namespaced)',
      'b.yaml:5 /data/x must be string',
      'b.yaml:5 /metadata/namespace metadata.namespace is missing (ConfigMap is namespaced)',
    ]);
  });
});
