/**
 * The update rules of the API server and the operators (verify/api-server/update-rules.ts), one
 * refused change and one accepted change per rule; the fill Job's name changes with every value
 * of its pod template (a Job's template is immutable).
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { updateFindings, updateRefusals } from '../../../scripts/lib/verify/api-server/index.ts';
import { fillJob, type ModelCache } from '../../../scripts/lib/derive/model-workload.ts';

const o = (apiVersion: string, kind: string, body: Record<string, unknown>): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, ...body });
const codes = (a: K8sObject, b: K8sObject): string[] => updateRefusals(a, b).map((r) => `${r.code} ${r.path}`);

const pvc = (modes: string[], storage: string): K8sObject => o('v1', 'PersistentVolumeClaim', { spec: { accessModes: modes, resources: { requests: { storage } } } });

describe('core kinds (kubernetes pkg/apis/*/validation at v1.35.0)', () => {
  it('PVC: access modes immutable, storage only grows', () => {
    expect(codes(pvc(['ReadWriteOnce'], '100Gi'), pvc(['ReadWriteMany'], '100Gi'))).toEqual(['UPD001 /spec/accessModes']);
    expect(codes(pvc(['ReadWriteOnce'], '100Gi'), pvc(['ReadWriteOnce'], '90Gi'))).toEqual(['UPD001 /spec/resources/requests/storage']);
    expect(codes(pvc(['ReadWriteOnce'], '100Gi'), pvc(['ReadWriteOnce'], '0.2Ti'))).toEqual([]);
  });

  it('Job: the pod template is immutable (an image change); other fields are not checked', () => {
    const job = (image: string, backoffLimit = 4): K8sObject => o('batch/v1', 'Job', { spec: { backoffLimit, template: { spec: { containers: [{ name: 'c', image }] } } } });
    expect(codes(job('a:1'), job('a:2'))).toEqual(['UPD002 /spec/template']);
    expect(codes(job('a:1'), job('a:1', 6))).toEqual([]);
  });

  it('a sync hook deleted before it is created again (BeforeHookCreation) is never updated: not checked', () => {
    const job = (image: string, annotations: Record<string, string>): K8sObject => ({ ...o('batch/v1', 'Job', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }), metadata: { name: 'x', namespace: 'ns', annotations } });
    const found = (annotations: Record<string, string>): string[] => updateFindings([{ obj: job('a:2', annotations), file: 'f.yaml', line: 1 }], () => job('a:1', annotations)).map((f) => f.rule ?? '');
    expect(found({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' })).toEqual([]);
    expect(found({ 'helm.sh/hook': 'post-install', 'helm.sh/hook-delete-policy': 'before-hook-creation' })).toEqual([]);
    expect(found({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' })).toEqual(['UPD002']);
    expect(found({})).toEqual(['UPD002']);
  });

  it('Deployment selector, StatefulSet fields, Service clusterIP, immutable ConfigMap, roleRef', () => {
    const dep = (app: string, replicas = 1): K8sObject => o('apps/v1', 'Deployment', { spec: { replicas, selector: { matchLabels: { app } } } });
    expect(codes(dep('a'), dep('b'))).toEqual(['UPD003 /spec/selector']);
    expect(codes(dep('a'), dep('a', 3))).toEqual([]);
    const sts = (size: string, replicas = 1): K8sObject => o('apps/v1', 'StatefulSet', { spec: { replicas, serviceName: 's', volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { resources: { requests: { storage: size } } } }] } });
    expect(codes(sts('1Gi'), sts('2Gi'))).toEqual(['UPD004 /spec/volumeClaimTemplates']);
    expect(codes(sts('1Gi'), sts('1Gi', 3))).toEqual([]);
    const svc = (clusterIP?: string): K8sObject => o('v1', 'Service', { spec: { ...(clusterIP ? { clusterIP } : {}), ports: [{ port: 80 }] } });
    expect(codes(svc('None'), svc('10.0.0.5'))).toEqual(['UPD005 /spec/clusterIP']);
    expect(codes(svc('None'), svc())).toEqual([]);
    const cm = (immutable: boolean, v: string): K8sObject => o('v1', 'ConfigMap', { immutable, data: { k: v } });
    expect(codes(cm(true, 'a'), cm(true, 'b'))).toEqual(['UPD006 /data']);
    expect(codes(cm(false, 'a'), cm(false, 'b'))).toEqual([]);
    const rb = (role: string): K8sObject => o('rbac.authorization.k8s.io/v1', 'RoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [] });
    expect(codes(rb('a'), rb('b'))).toEqual(['UPD007 /roleRef']);
  });
});

describe('operators', () => {
  const cluster = (size: string, wal?: string): K8sObject => o('postgresql.cnpg.io/v1', 'Cluster', { spec: { instances: 1, storage: { size }, ...(wal ? { walStorage: { size: wal } } : {}) } });
  it('CloudNativePG: storage and walStorage cannot shrink', () => {
    const r = updateRefusals(cluster('200Gi', '10Gi'), cluster('150Gi', '5Gi'));
    expect(r.map((x) => `${x.code} ${x.path}`)).toEqual(['UPD008 /spec/storage/size', 'UPD008 /spec/walStorage/size']);
    expect(r[0]!.what).toBe("the CloudNativePG webhook refuses it: can't shrink existing storage from 200Gi to 150Gi");
    expect(updateRefusals(cluster('200Gi'), cluster('250Gi'))).toEqual([]);
  });

  it('KServe LLMInferenceService parallelism size: UPD009, with the remedy', () => {
    const svc = (parallelism: unknown): K8sObject => o('serving.kserve.io/v1alpha2', 'LLMInferenceService', { spec: { parallelism } });
    const f = updateFindings([{ obj: svc({ data: 4, dataLocal: 1 }), file: 'f.yaml', line: 3 }], () => svc({ data: 2, dataLocal: 1 }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'UPD009', path: '/spec/parallelism', file: 'f.yaml', line: 3 });
    expect(f[0]!.message).toMatch(/^refused by the API server \(KServe webhook\): parallelism size changes from 2 to 4 .*\. Remedy: rename the model/);
  });

  it('findings say "refused by the API server" and name the remedy; an object new in the change is not compared', () => {
    const f = updateFindings([{ obj: pvc(['ReadWriteMany'], '1Gi'), file: 'p.yaml', line: 1 }], () => pvc(['ReadWriteOnce'], '1Gi'));
    expect(f[0]!.message).toMatch(/^refused by the API server: spec\.accessModes of a bound PersistentVolumeClaim is immutable \(\["ReadWriteOnce"\] -> \["ReadWriteMany"\]\)\. Remedy: keep the old value/);
    expect(updateFindings([{ obj: pvc(['ReadWriteMany'], '1Gi'), file: 'p.yaml', line: 1 }], () => undefined)).toEqual([]);
  });
});

describe('the model-cache fill Job', () => {
  const cache: ModelCache = { model: 'chat', claimName: 'model-cache', path: 'Qwen/Qwen3-8B', sourceUri: 'hf://Qwen/Qwen3-8B', image: 'kserve/storage-initializer:v0.20.0' };
  const pod = { serviceAccount: 'model-server', hfSecret: 'hf-token' };
  it('its name hashes every value of its pod template', () => {
    const name = fillJob(cache, pod).jobName;
    expect(name).toMatch(/^fill-chat-[0-9a-f]{8}$/);
    expect(fillJob(cache, pod).jobName).toBe(name);
    const variants = [
      fillJob({ ...cache, image: 'kserve/storage-initializer:v0.20.1' }, pod),
      fillJob({ ...cache, sourceUri: 'hf://Qwen/Qwen3-14B' }, pod),
      fillJob({ ...cache, claimName: 'model-cache-rwx' }, pod),
      fillJob(cache, { ...pod, hfSecret: 'hf-token-2' }),
      fillJob(cache, { ...pod, serviceAccount: 'other' }),
    ].map((j) => j.jobName);
    expect(new Set([name, ...variants]).size).toBe(6);
  });
});
