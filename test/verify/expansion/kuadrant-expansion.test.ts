/**
 * What the Kuadrant operators create from the Kuadrant CR (kuadrant-operator v1.4.2 ->
 * Authorino / Limitador -> their operators' Deployments), and why kuadrant-system enforces
 * baseline: neither Deployment sets a securityContext.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { EXP001, expandKuadrant, expansionFindings, podsOf } from '../../../scripts/lib/verify/expansion/index.ts';
import { hydrateFixture } from '../../helpers/render.ts';

type Obj = Record<string, any>;

describe('the Kuadrant CR', () => {
  it('Authorino and Limitador CRs, their Deployments, the limits ConfigMap, ServiceAccount and Service (upstream names)', () => {
    const r = expandKuadrant({ obj: { apiVersion: 'kuadrant.io/v1beta1', kind: 'Kuadrant', metadata: { name: 'kuadrant', namespace: 'ks' }, spec: {} } as K8sObject, file: 'k.yaml', line: 1 });
    expect(r.objects.map((e) => `${e.obj.kind}/${e.obj.metadata.name}`)).toEqual([
      'Authorino/authorino', 'Deployment/authorino', 'ServiceAccount/authorino-authorino', 'Limitador/limitador', 'Deployment/limitador-limitador', 'ConfigMap/limitador-limits-config-limitador', 'Service/limitador-limitador',
    ]);
    const lim = podsOf(r.objects[4]!.obj)[0]!.spec as Obj;
    expect(lim.containers[0].readinessProbe.httpGet).toEqual({ path: '/status', port: 8080, scheme: 'HTTP' });
    expect(lim.securityContext).toBeUndefined();
  });
});

describe('the fixture env', () => {
  it('its pods pass every pod rule at baseline in kuadrant-system; at restricted Pod Security rejects both (EXP001)', async () => {
    const src = (await hydrateFixture('dev')).map((o) => ({ obj: o.obj, file: o.file, line: o.line }));
    const namespaces = src.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj);
    const r = expansionFindings(src, namespaces);
    const deps = r.expanded.filter((e) => e.from.obj.kind === 'Kuadrant' && e.obj.kind === 'Deployment');
    expect(deps.map((e) => e.obj.metadata.name)).toEqual(['authorino', 'limitador-limitador']);
    const ns = deps[0]!.obj.metadata.namespace;
    expect(namespaces.find((n) => n.metadata.name === ns)!.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(r.findings.filter((f) => f.kind === 'Kuadrant')).toEqual([]);
    const restricted = namespaces.map((n) => (n.metadata.name === ns ? ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } } as K8sObject) : n));
    const hits = expansionFindings(src, restricted).findings.filter((f) => f.rule === EXP001 && f.kind === 'Kuadrant');
    expect(hits.filter((f) => f.message.includes('seccompProfile_restricted')).map((f) => f.message.match(/the Deployment (\S+)/)?.[1])).toEqual([`${ns}/authorino`, `${ns}/limitador-limitador`]);
  });
});
