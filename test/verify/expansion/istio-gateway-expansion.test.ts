/**
 * The gateway proxy istiod 1.30.3 deploys for a Gateway of class `istio`: names, Service ports
 * and pod as upstream's own expectations (pilot/pkg/config/kube/gatewaycommon/testdata/deployment/
 * simple.yaml, cluster-ip.yaml), and, with istiod's values as the pinned chart renders them for a
 * fixture env (real helm, chart mirror), why `gateways.seccompProfile` is needed where the
 * gateway runs at Pod Security restricted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { hydrateEnv } from '../../../scripts/lib/commands/platform-options.ts';
import { cacheDir } from '../../../scripts/lib/cache-dir.ts';
import { EXP001, expandIstioGateway, expansionFindings, istiodValuesFrom, podsOf, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { hydrateFixture, renderFixture } from '../../helpers/render.ts';
import { namespacesOf, renderedSources } from './sources.ts';

type Obj = Record<string, any>;
const MIRROR = join(ROOT, '..', 'shared', 'charts');
const HAS_ISTIOD = existsSync(join(MIRROR, 'istiod-1.30.3.tgz'));
/** The chart's defaults that matter here (values.yaml of istiod 1.30.3). */
const DEFAULTS: Obj = { global: { hub: 'docker.io/istio', tag: '1.30.3', proxy: { image: 'proxyv2' }, pilotCertProvider: 'istiod', sds: { token: { aud: 'istio-ca' } } }, gateways: { securityContext: {}, seccompProfile: {} } };
const gw = (metadata: Obj, spec: Obj): SourceObject => ({ obj: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { namespace: 'default', ...metadata }, spec } as K8sObject, file: 'gw.yaml', line: 1 });
const byKind = (s: SourceObject, values: Obj = DEFAULTS) => new Map(expandIstioGateway(s, values).objects.map((e) => [e.obj.kind, e.obj as Obj]));

describe('configureIstioGateway (upstream testdata/deployment)', () => {
  it('simple: Deployment, Service and ServiceAccount <name>-istio; the pod without a seccomp profile by default', () => {
    const o = byKind(gw({ name: 'default', labels: { should: 'see' } }, { gatewayClassName: 'istio' }));
    expect(o.get('Deployment')!.metadata.name).toBe('default-istio');
    expect(o.get('Deployment')!.spec.selector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'default' } });
    const tpl = o.get('Deployment')!.spec.template;
    expect(tpl.metadata.labels).toEqual({
      'gateway.istio.io/managed': 'istio.io-gateway-controller',
      'gateway.networking.k8s.io/gateway-class-name': 'istio',
      'gateway.networking.k8s.io/gateway-name': 'default',
      'service.istio.io/canonical-name': 'default-istio',
      'service.istio.io/canonical-revision': 'latest',
      should: 'see',
      'sidecar.istio.io/inject': 'false',
    });
    expect(tpl.spec.securityContext).toEqual({ sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    expect(tpl.spec.serviceAccountName).toBe('default-istio');
    expect(tpl.spec.containers[0].image).toBe('docker.io/istio/proxyv2:1.30.3');
    expect(o.get('Service')!.spec).toEqual({ ipFamilyPolicy: 'PreferDualStack', ports: [{ appProtocol: 'tcp', name: 'status-port', port: 15021, protocol: 'TCP' }], selector: { 'gateway.networking.k8s.io/gateway-name': 'default' }, type: 'LoadBalancer' });
  });

  it('cluster-ip: the service-type and name-override annotations; one port per listener', () => {
    const annotations = { 'networking.istio.io/service-type': 'ClusterIP', 'gateway.istio.io/name-override': 'default' };
    const o = byKind(gw({ name: 'default', annotations }, { gatewayClassName: 'istio', listeners: [{ name: 'http', hostname: '*.example.com', port: 80, protocol: 'HTTP' }] }));
    expect(o.get('Deployment')!.metadata.name).toBe('default');
    expect(o.get('Service')!.spec.type).toBe('ClusterIP');
    expect(o.get('Service')!.spec.ports).toEqual([
      { appProtocol: 'tcp', name: 'status-port', port: 15021, protocol: 'TCP' },
      { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP' },
    ]);
  });

  it('manual-sa, infrastructure labels (gateway.networking.k8s.io/ ones dropped), the configured seccomp profile', () => {
    const o = byKind(gw({ name: 'g', annotations: { 'gateway.istio.io/service-account': 'custom-sa' }, labels: { own: 'x' } }, { gatewayClassName: 'istio', infrastructure: { labels: { team: 'a', 'gateway.networking.k8s.io/x': 'y' } } }), { ...DEFAULTS, gateways: { seccompProfile: { type: 'RuntimeDefault' } } });
    const pod = podsOf(o.get('Deployment') as K8sObject)[0]!;
    expect(pod.spec.serviceAccountName).toBe('custom-sa');
    expect(o.get('ServiceAccount')!.metadata.name).toBe('custom-sa');
    expect(pod.meta.labels).toMatchObject({ team: 'a' });
    expect(pod.meta.labels).not.toHaveProperty('own');
    expect(pod.meta.labels).not.toHaveProperty('gateway.networking.k8s.io/x');
    expect(pod.spec.securityContext).toEqual({ sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('gateways.securityContext replaces the pod securityContext; other classes and Hostname addresses are not deployed', () => {
    const o = byKind(gw({ name: 'g' }, { gatewayClassName: 'istio' }), { ...DEFAULTS, gateways: { securityContext: { runAsNonRoot: true }, seccompProfile: { type: 'RuntimeDefault' } } });
    expect((o.get('Deployment') as Obj).spec.template.spec.securityContext).toEqual({ runAsNonRoot: true });
    expect(expandIstioGateway(gw({ name: 'g' }, { gatewayClassName: 'other' }), DEFAULTS).objects).toEqual([]);
    expect(expandIstioGateway(gw({ name: 'g' }, { gatewayClassName: 'istio', addresses: [{ type: 'Hostname', value: 'x' }] }), DEFAULTS).objects).toEqual([]);
  });
});

describe.skipIf(!HAS_ISTIOD)('the fixture env with istiod as its chart renders it', () => {
  const sources = async (): Promise<{ src: SourceObject[]; values: K8sObject }> => {
    const out = renderFixture('dev');
    const apps = await hydrateEnv(out, await hydrateFixture('dev'), { mirror: MIRROR, fetch: false, cacheDir: cacheDir('charts'), crdSchemaDir: join(ROOT, 'schemas', 'crds'), allowedHosts: new Map() }, ['istiod']);
    const istiod = apps.find((a) => a.component === 'istiod')!;
    expect(istiod.status).toBe('hydrated');
    const values = istiod.objects.find((o) => o.obj.kind === 'ConfigMap' && o.obj.metadata.name === 'istio-sidecar-injector')!.obj;
    return { src: [...renderedSources(out), { obj: values, file: 'helm:istiod', line: 0 }], values };
  };

  it('every Gateway of class istio is expanded and its proxy pod passes every pod rule', async () => {
    const { src, values } = await sources();
    expect(istiodValuesFrom([values])).toMatchObject({ gateways: { seccompProfile: { type: 'RuntimeDefault' } } });
    const r = expansionFindings(src, namespacesOf(src));
    const deployed = r.expanded.filter((e) => e.obj.kind === 'Deployment' && e.from.obj.kind === 'Gateway').map((e) => `${e.obj.metadata.namespace}/${e.obj.metadata.name}`);
    const gateways = src.filter((s) => s.obj.kind === 'Gateway').map((s) => `${s.obj.metadata.namespace}/${s.obj.metadata.name}-istio`);
    expect(gateways.length).toBeGreaterThan(0);
    expect(deployed.sort()).toEqual(gateways.sort());
    expect(r.findings).toEqual([]);
  });

  it('without gateways.seccompProfile Pod Security rejects the proxy of the Gateway in the restricted kserve namespace (EXP001)', async () => {
    const { src, values } = await sources();
    const v = JSON.parse((values as Obj).data.values);
    delete v.gateways.seccompProfile;
    const stripped = { ...values, data: { ...(values as Obj).data, values: JSON.stringify(v) } } as K8sObject;
    const without = src.map((s) => (s.obj === values ? { ...s, obj: stripped } : s));
    const hits = expansionFindings(without, namespacesOf(src)).findings.filter((f) => f.rule === EXP001);
    expect(hits.map((f) => `${f.kind} ${f.name} ${f.message.match(/\[(\w+)\]$/)?.[1]}`)).toContain('Gateway kserve-ingress-gateway seccompProfile_restricted');
    expect(hits.find((f) => f.name === 'kserve-ingress-gateway')!.message).toContain('Deployment kserve/kserve-ingress-gateway-istio');
  });
});
