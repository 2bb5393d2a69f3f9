/**
 * The pod llama-stack-k8s-operator v0.9.0 creates from a LlamaStackDistribution, and why Llama
 * Stack runs in its own namespace at Pod Security baseline (the documented exception). Storage
 * cases follow upstream's controllers/resource_helper_test.go (TestConfigurePodStorage).
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { EXP001, expandLlamaStackDistribution, expansionFindings, podsOf } from '../../../scripts/lib/verify/expansion/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { namespacesOf, renderedSources } from './sources.ts';

type Obj = Record<string, any>;
const lsd = (spec: Obj, name = 'test-instance'): K8sObject => ({ apiVersion: 'llamastack.io/v1alpha1', kind: 'LlamaStackDistribution', metadata: { name, namespace: 'ns' }, spec });
const podOf = (spec: Obj) => podsOf(expandLlamaStackDistribution({ obj: lsd(spec), file: 'x.yaml', line: 1 }).objects[0]!.obj)[0]!.spec as Obj;

describe('configurePodStorage (upstream TestConfigurePodStorage)', () => {
  it('with PVC storage: volume lls-storage from <name>-pvc', () => {
    expect(podOf({ server: { storage: {} } }).volumes).toContainEqual({ name: 'lls-storage', persistentVolumeClaim: { claimName: 'test-instance-pvc' } });
  });
  it('with EmptyDir storage', () => {
    expect(podOf({ server: {} }).volumes).toContainEqual({ name: 'lls-storage', emptyDir: {} });
  });
  it('with pod overrides: their volumes and mounts added, the ServiceAccount they name', () => {
    const pod = podOf({ server: { podOverrides: { serviceAccountName: 'mine', volumes: [{ name: 'test-volume', configMap: { name: 'test-config' } }], volumeMounts: [{ name: 'test-volume', mountPath: '/test/path' }] } } });
    expect(pod.volumes).toContainEqual({ name: 'test-volume', configMap: { name: 'test-config' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'test-volume', mountPath: '/test/path' });
    expect(pod.serviceAccountName).toBe('mine');
  });
  it('only fsGroup 1001 in the pod securityContext, none on the container; the startup probe on the server port', () => {
    const pod = podOf({ server: { containerSpec: { port: 8321 } } });
    expect(pod.securityContext).toEqual({ fsGroup: 1001 });
    expect(pod.containers[0].securityContext).toBeUndefined();
    expect(pod.containers[0].startupProbe.httpGet).toEqual({ path: '/v1/health', port: 8321 });
  });
});

describe('Llama Stack in the fixture envs', () => {
  it('its namespace enforces baseline (the exception) and the operator-created pod passes every pod rule', () => {
    const src = renderedSources(renderFixture('prod'));
    const ns = namespacesOf(src).find((n) => n.metadata.name === 'catalyst-llama-stack')!;
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    const r = expansionFindings(src, namespacesOf(src));
    expect(r.expanded.some((e) => e.obj.kind === 'Deployment' && e.obj.metadata.namespace === 'catalyst-llama-stack')).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('at restricted (where it was, with the models) Pod Security rejects the pod the operator creates', () => {
    const src = renderedSources(renderFixture('prod'));
    const restricted = namespacesOf(src).map((n) =>
      n.metadata.name === 'catalyst-llama-stack' ? ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } } as K8sObject) : n,
    );
    const hit = expansionFindings(src, restricted).findings.filter((f) => f.rule === EXP001);
    expect(hit.map((f) => f.message.match(/\[(\w+)\]$/)?.[1]).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    expect(hit[0]).toMatchObject({ file: 'generated/prod/llama-stack/llama-stack.yaml', kind: 'LlamaStackDistribution', name: 'llama-stack' });
  });

  it('a ServiceAccount the pod names but nothing renders is reported (EXP002)', () => {
    const src = renderedSources(renderFixture('dev')).filter((s) => !(s.obj.kind === 'ServiceAccount' && s.obj.metadata.name === 'llama-stack'));
    const f = expansionFindings(src, namespacesOf(src)).findings;
    expect(f.map((x) => x.rule)).toEqual(['EXP002']);
    expect(f[0]!.message).toContain('ServiceAccount catalyst-llama-stack/llama-stack');
  });
});
