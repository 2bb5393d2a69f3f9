/**
 * The broker/router the mcp-gateway controller 0.9.0 creates from an MCPGatewayExtension
 * (internal/controller/broker_router.go), and why its namespace enforces baseline (the documented
 * exception): the Deployment has no securityContext at all.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { EXP001, EXP003, expandMcpGatewayExtension, expansionFindings, podsOf, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { namespacesOf, renderedSources } from './sources.ts';

type Obj = Record<string, any>;
const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'mcp' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'mcp', port: 8080, protocol: 'HTTP' }] } } as K8sObject;
const ext = (spec: Obj): SourceObject => ({ obj: { apiVersion: 'mcp.kuadrant.io/v1', kind: 'MCPGatewayExtension', metadata: { name: 'e', namespace: 'mcp' }, spec } as K8sObject, file: 'e.yaml', line: 3 });

describe('buildBrokerRouterDeployment (Kuadrant/mcp-gateway@v0.9.0)', () => {
  it('Deployment mcp-gateway: its ports, readiness on http, the signing key and config Secrets the controller also creates', () => {
    const r = expandMcpGatewayExtension(ext({ targetRef: { name: 'gw', sectionName: 'mcp' }, trustedHeadersKey: { secretName: 'th' } }), [gateway], 'img:1');
    expect(r.objects.map((e) => `${e.obj.kind}/${e.obj.metadata.name}`)).toEqual(['Deployment/mcp-gateway', 'ServiceAccount/mcp-gateway', 'Service/mcp-gateway', 'Secret/mcp-gateway-session-signing-key', 'Secret/mcp-gateway-config']);
    const pod = podsOf(r.objects[0]!.obj)[0]!.spec as Obj;
    expect(pod.securityContext).toBeUndefined();
    expect(pod.containers[0].securityContext).toBeUndefined();
    expect(pod.containers[0].ports.map((p: Obj) => p.containerPort)).toEqual([8080, 50051, 8181]);
    expect(pod.containers[0].env.map((e: Obj) => e.valueFrom.secretKeyRef.name)).toEqual(['mcp-gateway-session-signing-key', 'th']);
  });
  it('nothing without the targetRef Gateway or its listener (a problem, EXP003)', () => {
    expect(expandMcpGatewayExtension(ext({ targetRef: { name: 'gw', sectionName: 'other' } }), [gateway], '').problems[0]!.message).toContain('listener "other" not found');
    const f = expansionFindings([ext({ targetRef: { name: 'missing', sectionName: 'mcp' } })], []).findings;
    expect(f.map((x) => x.rule)).toEqual([EXP003]);
  });
});

describe('the fixture env', () => {
  it('the broker/router passes every pod rule in its baseline namespace; at restricted Pod Security rejects it (EXP001)', () => {
    const src = renderedSources(renderFixture('dev'));
    const namespaces = namespacesOf(src);
    const r = expansionFindings(src, namespaces);
    const broker = r.expanded.find((e) => e.from.obj.kind === 'MCPGatewayExtension' && e.obj.kind === 'Deployment')!;
    const ns = broker.obj.metadata.namespace!;
    expect(namespaces.find((n) => n.metadata.name === ns)!.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(r.findings.filter((f) => f.kind === 'MCPGatewayExtension')).toEqual([]);
    const restricted = namespaces.map((n) => (n.metadata.name === ns ? ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } } as K8sObject) : n));
    const hits = expansionFindings(src, restricted).findings.filter((f) => f.rule === EXP001 && f.kind === 'MCPGatewayExtension');
    expect(hits.map((f) => f.message.match(/\[(\w+)\]$/)?.[1]).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  });
});
