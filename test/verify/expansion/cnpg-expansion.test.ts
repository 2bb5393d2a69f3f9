/**
 * The pods CloudNativePG 1.30.0 creates from a Cluster: security contexts as upstream's own
 * pkg/specs/pods_test.go (Describe "GetPodSecurityContext") and containers_test.go expect, and the
 * fixture env's Cluster (as kustomize builds it) expanded into instance pods and the initdb Job
 * that meet Pod Security restricted in catalyst-data, with everything they reference created.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { cnpgOperatorImageFrom, EXP001, EXP002, expandCnpgCluster, expansionFindings, podsOf, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { hydrateFixture } from '../../helpers/render.ts';

type Obj = Record<string, any>;
const cluster = (spec: Obj, name = 'cluster-example'): SourceObject => ({ obj: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name, namespace: 'default' }, spec } as K8sObject, file: 'c.yaml', line: 1 });
const objs = (spec: Obj) => expandCnpgCluster(cluster(spec), 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0').objects.map((e) => e.obj as Obj);
const instancePod = (spec: Obj) => objs(spec).find((o) => o.kind === 'Pod')!;

describe('GetPodSecurityContext / GetSecurityContext (upstream pods_test.go, containers_test.go)', () => {
  it('returns defaults when Spec.PodSecurityContext is nil', () => {
    expect(instancePod({ instances: 1 }).spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 26, runAsGroup: 26, runAsNonRoot: true, fsGroup: 26 });
  });
  it('merges only selected fields when user provides a partial PodSecurityContext', () => {
    const sc = instancePod({ podSecurityContext: { runAsUser: 1000 } }).spec.securityContext;
    expect(sc).toEqual({ runAsUser: 1000, runAsGroup: 26, seccompProfile: { type: 'RuntimeDefault' } });
  });
  it('honors Cluster.Spec.SeccompProfile when PodSecurityContext.SeccompProfile is nil', () => {
    const localhost = { type: 'Localhost', localhostProfile: 'profiles/pg.json' };
    const pod = instancePod({ seccompProfile: localhost, podSecurityContext: { fsGroup: 26 } });
    expect(pod.spec.securityContext.seccompProfile).toEqual(localhost);
    expect(pod.spec.containers[0].securityContext.seccompProfile).toEqual(localhost);
  });
  it('containers: drop ALL, read-only root, no privilege escalation; spec.securityContext merged field by field', () => {
    const pod = instancePod({ securityContext: { readOnlyRootFilesystem: false } });
    for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
      expect(c.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, privileged: false, runAsNonRoot: true, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false });
    }
  });
});

describe('the objects of one Cluster', () => {
  it('one Pod and PVC per instance, the initdb Job of the default bootstrap, the app Secret, ServiceAccount and Services', () => {
    const names = objs({ instances: 2, imageName: 'ghcr.io/cloudnative-pg/postgresql:17.10-standard-trixie' }).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual([
      'Pod/cluster-example-1', 'PersistentVolumeClaim/cluster-example-1', 'Pod/cluster-example-2', 'PersistentVolumeClaim/cluster-example-2',
      'Job/cluster-example-1-initdb', 'Secret/cluster-example-app', 'ServiceAccount/cluster-example',
      'Service/cluster-example-rw', 'Service/cluster-example-ro', 'Service/cluster-example-r',
    ]);
    const pod = instancePod({ imageName: 'x/postgresql:17.10' });
    expect(pod.metadata.labels).toMatchObject({ 'cnpg.io/cluster': 'cluster-example', 'cnpg.io/podRole': 'instance', 'app.kubernetes.io/version': '17' });
    expect(pod.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8000 });
    expect(pod.spec.initContainers[0].image).toBe('ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
  });
  it('with walStorage: the pg-wal volume and the <pod>-wal PVC the operator creates for it', () => {
    const o = objs({ walStorage: { size: '1Gi' } });
    expect(o.find((x) => x.kind === 'Pod')!.spec.volumes).toContainEqual({ name: 'pg-wal', persistentVolumeClaim: { claimName: 'cluster-example-1-wal' } });
    expect(o.map((x) => `${x.kind}/${x.metadata.name}`)).toContain('PersistentVolumeClaim/cluster-example-1-wal');
  });
  it("the bootstrap-controller image is the operator Deployment's OPERATOR_IMAGE_NAME (its chart's deployment.yaml)", () => {
    const op = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cnpg' }, spec: { template: { spec: { containers: [{ name: 'manager', env: [{ name: 'OTHER', value: 'x' }, { name: 'OPERATOR_IMAGE_NAME', value: 'reg/cnpg:9' }] }] } } } } as K8sObject;
    expect(cnpgOperatorImageFrom([op])).toBe('reg/cnpg:9');
    expect(cnpgOperatorImageFrom([])).toBe('');
  });
  it('no initdb Job for another bootstrap; a named ServiceAccount', () => {
    const names = objs({ bootstrap: { pg_basebackup: { source: 'x' } }, serviceAccountName: 'mine' }).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).not.toContain('Job/cluster-example-1-initdb');
    expect(names).toContain('ServiceAccount/mine');
  });
});

describe('the fixture env', () => {
  const sources = async (): Promise<SourceObject[]> => (await hydrateFixture('dev')).map((o) => ({ obj: o.obj, file: o.file, line: o.line }));

  it('its Cluster expands into pods that pass every pod rule at restricted in its namespace', async () => {
    const src = await sources();
    const namespaces = src.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj);
    const r = expansionFindings(src, namespaces);
    const pods = r.expanded.filter((e) => e.from.obj.kind === 'Cluster' && podsOf(e.obj).length);
    expect(pods.map((e) => e.obj.kind).sort()).toEqual(['Job', 'Pod']);
    const ns = namespaces.find((n) => n.metadata.name === pods[0]!.obj.metadata.namespace)!;
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(r.findings.filter((f) => f.kind === 'Cluster')).toEqual([]);
  });

  it('an unconfined seccomp profile on the Cluster is a Pod Security violation of every pod it makes (EXP001)', async () => {
    const src = (await sources()).map((s) => (s.obj.kind === 'Cluster' ? { ...s, obj: { ...s.obj, spec: { ...(s.obj.spec as Obj), seccompProfile: { type: 'Unconfined' } } } as K8sObject } : s));
    const f = expansionFindings(src, src.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj)).findings.filter((x) => x.kind === 'Cluster');
    expect(f.map((x) => x.rule)).toEqual([EXP001, EXP001]);
    expect(f[0]!.message).toMatch(/Pod catalyst-data\/catalyst-pg-1 .*seccompProfile_restricted/);
    expect(f.some((x) => x.rule === EXP002)).toBe(false);
  });
});
