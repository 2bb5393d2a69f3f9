/**
 * What istiod 1.30.3 creates for a Gateway of its default class `istio` (the gateway proxy):
 * istio/istio@1.30.3
 * - pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go `configureIstioGateway`: the
 *   names (`<gateway>-<class>`, or the gateway.istio.io/name-override and
 *   gateway.istio.io/service-account annotations), the Service type (the
 *   networking.istio.io/service-type annotation, else LoadBalancer), `extractServicePorts`
 *   (status-port 15021, then one port per distinct listener port, named after the listener),
 *   `extractInfrastructureMetadata` (spec.infrastructure.labels, else the Gateway's own labels,
 *   without the gateway.networking.k8s.io/ prefix);
 * - pilot/pkg/config/kube/gatewaycommon/gateway_utils.go `GetDefaultName`, `IsManaged` (a
 *   Gateway with a Hostname address, or several addresses, is not deployed);
 * - manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml: the pod's
 *   securityContext is `gateways.securityContext` when set, else the
 *   net.ipv4.ip_unprivileged_port_start sysctl and `gateways.seccompProfile`; the istio-proxy
 *   container (drop ALL, no privilege escalation, non-root 1337), its ports and /healthz/ready
 *   probes on 15021, and the istiod CA ConfigMap volume when `global.pilotCertProvider` is istiod.
 * The values are istiod's own, as the hydrated chart renders them into the istio-sidecar-injector
 * ConfigMap (`data.values`, JSON): without the istiod chart hydrated (HYD001) nothing is expanded.
 * Checked against upstream's expectations in
 * pilot/pkg/config/kube/gatewaycommon/testdata/deployment/{simple,cluster-ip}.yaml.
 */
import type { K8sObject } from '../../findings.ts';
import { isMap, str, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const ISTIO = 'istio/istio@1.30.3';
/** features.GatewayAPIDefaultGatewayClass: the class whose Gateways istiod deploys with kube-gateway. */
const ISTIO_CLASS = 'istio';
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const STATUS_PORT = 15021;
/** pkg/kube/inject: GetProxyIDs outside OpenShift. */
const PROXY_ID = 1337;
/** pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go CACertNamespaceConfigMap: the CA bundle istiod publishes in every namespace. */
export const ISTIO_CA_CONFIGMAP = 'istio-ca-root-cert';

/** istiod's values as its chart rendered them (the istio-sidecar-injector ConfigMap), if hydrated. */
export function istiodValuesFrom(objects: K8sObject[]): JsonMap | undefined {
  for (const o of objects) {
    if (o.kind !== 'ConfigMap' || o.metadata?.name !== 'istio-sidecar-injector') continue;
    const text = isMap(o.data) ? str(o.data.values) : '';
    if (!text) continue;
    const v = JSON.parse(text) as unknown;
    if (isMap(v)) return v;
  }
  return undefined;
}

const path = (v: JsonMap, ...keys: string[]): unknown => keys.reduce<unknown>((acc, k) => (isMap(acc) ? acc[k] : undefined), v);
const nonEmpty = (v: unknown): v is JsonMap => isMap(v) && Object.keys(v).length > 0;

function managed(spec: JsonMap): boolean {
  const addresses = Array.isArray(spec.addresses) ? (spec.addresses as JsonMap[]) : [];
  if (addresses.length === 0) return true;
  if (addresses.length > 1) return false;
  const t = str(addresses[0]?.type);
  return t === '' || t === 'IPAddress';
}

function infrastructure(gw: K8sObject, spec: JsonMap, field: 'labels' | 'annotations'): Record<string, string> {
  const infra = isMap(spec.infrastructure) && isMap(spec.infrastructure[field]) ? (spec.infrastructure[field] as Record<string, string>) : undefined;
  const src = infra ?? ((gw.metadata?.[field] as Record<string, string> | undefined) ?? {});
  return Object.fromEntries(Object.entries(src).filter(([k]) => !(infra && k.startsWith('gateway.networking.k8s.io/'))));
}

function servicePorts(spec: JsonMap): JsonMap[] {
  const out: JsonMap[] = [{ name: 'status-port', port: STATUS_PORT, protocol: 'TCP', appProtocol: 'tcp' }];
  const seen = new Set<number>();
  ((Array.isArray(spec.listeners) ? spec.listeners : []) as JsonMap[]).forEach((l, i) => {
    const port = Number(l.port);
    if (seen.has(port)) return;
    seen.add(port);
    const name = str(l.name).replaceAll('.', '-').slice(0, 63) || `${str(l.protocol).toLowerCase()}-${i}`;
    out.push({ name, port, protocol: 'TCP', appProtocol: str(l.protocol).toLowerCase() });
  });
  return out;
}

export function expandIstioGateway(from: SourceObject, values: JsonMap): Expansion {
  const gw = from.obj;
  const spec = isMap(gw.spec) ? gw.spec : {};
  const cls = str(spec.gatewayClassName);
  if (cls !== ISTIO_CLASS || !managed(spec)) return { objects: [], problems: [] };
  const name = str(gw.metadata?.name);
  const namespace = str(gw.metadata?.namespace);
  const annotations = (gw.metadata?.annotations ?? {}) as Record<string, string>;
  const deployment = annotations['gateway.istio.io/name-override'] || `${name}-${cls}`;
  const sa = annotations['gateway.istio.io/service-account'] || `${name}-${cls}`;
  const infra = infrastructure(gw, spec, 'labels');
  const ownLabels = { ...infra, [GATEWAY_NAME_LABEL]: name, 'gateway.networking.k8s.io/gateway-class-name': cls };
  const podLabels = {
    'sidecar.istio.io/inject': 'false',
    'service.istio.io/canonical-name': deployment,
    'service.istio.io/canonical-revision': 'latest',
    ...ownLabels,
    'gateway.istio.io/managed': 'istio.io-gateway-controller',
  };
  const configured = path(values, 'gateways', 'securityContext');
  const seccomp = path(values, 'gateways', 'seccompProfile');
  const podSecurity: JsonMap = nonEmpty(configured)
    ? configured
    : { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], ...(nonEmpty(seccomp) ? { seccompProfile: seccomp } : {}) };
  const caFromIstiod = str(path(values, 'global', 'pilotCertProvider')) === 'istiod';
  const trustBundle = path(values, 'pilot', 'env', 'ENABLE_CLUSTER_TRUST_BUNDLE_API') === true;
  const caConfigMap = str(path(values, 'global', 'trustBundleName')) || ISTIO_CA_CONFIGMAP;
  const hub = str(path(values, 'global', 'hub'));
  const image = str(path(values, 'global', 'proxy', 'image'));
  const ready = { httpGet: { path: '/healthz/ready', port: STATUS_PORT, scheme: 'HTTP' } };
  const container: JsonMap = {
    name: 'istio-proxy',
    image: image.includes('/') ? image : `${hub}/${image}:${str(path(values, 'global', 'tag'))}`,
    securityContext: {
      capabilities: { drop: ['ALL'] },
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsUser: PROXY_ID,
      runAsGroup: PROXY_ID,
      runAsNonRoot: true,
    },
    ports: [
      { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
      { containerPort: STATUS_PORT, name: 'status-port', protocol: 'TCP' },
      { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
    ],
    startupProbe: { ...ready, failureThreshold: 30, initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1 },
    readinessProbe: { ...ready, failureThreshold: 4, periodSeconds: 15, timeoutSeconds: 1 },
  };
  const volumes: JsonMap[] = [
    { name: 'workload-socket', emptyDir: {} },
    { name: 'credential-socket', emptyDir: {} },
    { name: 'workload-certs', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: str(path(values, 'global', 'sds', 'token', 'aud')) } }] } },
  ];
  if (caFromIstiod) volumes.push(trustBundle ? { name: 'istiod-ca-cert', projected: { sources: [{ clusterTrustBundle: { name: `istio.io:istiod-ca:${caConfigMap}`, path: 'root-cert.pem' } }] } } : { name: 'istiod-ca-cert', configMap: { name: caConfigMap } });
  const meta = (n: string, labels: Record<string, string>) => ({ name: n, namespace, labels });
  const serviceType = annotations['networking.istio.io/service-type'] || 'LoadBalancer';
  const objs: JsonMap[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(sa, ownLabels) },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(deployment, { ...ownLabels, 'gateway.istio.io/managed': 'istio.io-gateway-controller' }),
      spec: {
        selector: { matchLabels: { [GATEWAY_NAME_LABEL]: name } },
        template: { metadata: { labels: podLabels }, spec: { securityContext: podSecurity, serviceAccountName: sa, containers: [container], volumes } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(deployment, ownLabels), spec: { ipFamilyPolicy: 'PreferDualStack', ports: servicePorts(spec), selector: { [GATEWAY_NAME_LABEL]: name }, type: serviceType } },
  ];
  // istiod's namespace controller writes its CA bundle into every namespace the gateway can run in.
  if (caFromIstiod && !trustBundle) objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: caConfigMap, namespace } });
  return { objects: objs.map((obj) => ({ obj: obj as unknown as K8sObject, from, operator: ISTIO })), problems: [] };
}
