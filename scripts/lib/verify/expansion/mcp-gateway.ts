/**
 * What the mcp-gateway controller 0.9.0 creates from one MCPGatewayExtension (the broker/router):
 * Kuadrant/mcp-gateway@v0.9.0
 * - internal/controller/mcpgatewayextension_controller.go: nothing without the targetRef Gateway
 *   and its `sectionName` listener (`findListenerConfigByName`); the labels
 *   app.kubernetes.io/name=mcp-gateway, app.kubernetes.io/managed-by=mcp-gateway-controller;
 * - internal/controller/broker_router.go `buildBrokerRouterDeployment`: Deployment, ServiceAccount
 *   and Service `mcp-gateway`; one container (ports 8080 http, 50051 grpc, 8181 config; readiness
 *   /readyz on http; no securityContext at all), the session signing key env, the
 *   trusted-headers and session-store Secrets when the spec names them, the config Secret
 *   `mcp-gateway-config` as a volume;
 * - internal/controller/session_signing_key.go (the Secret mcp-gateway-session-signing-key) and
 *   internal/config/config_writer.go (the Secret mcp-gateway-config), both created by the controller;
 * - cmd/main.go: the image is RELATED_IMAGE_ROUTER_BROKER of the controller (read from its
 *   hydrated Deployment).
 */
import type { K8sObject } from '../../findings.ts';
import { deploymentEnv, isMap, str, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const MCP_GATEWAY = 'Kuadrant/mcp-gateway@v0.9.0';
const NAME = 'mcp-gateway';
const HTTP_PORT = 8080;
const GRPC_PORT = 50051;
const CONFIG_PORT = 8181;

/** The broker/router image the controller Deployment is given (env RELATED_IMAGE_ROUTER_BROKER). */
export function brokerImageFrom(objects: K8sObject[]): string {
  return deploymentEnv(objects, 'RELATED_IMAGE_ROUTER_BROKER');
}

export function expandMcpGatewayExtension(from: SourceObject, objects: K8sObject[], image: string): Expansion {
  const ext = from.obj;
  const namespace = str(ext.metadata?.namespace);
  const spec = isMap(ext.spec) ? ext.spec : {};
  const ref = isMap(spec.targetRef) ? spec.targetRef : {};
  const gwNs = str(ref.namespace) || namespace;
  const gateway = objects.find((o) => o.kind === 'Gateway' && o.metadata?.name === str(ref.name) && (o.metadata?.namespace ?? '') === gwNs);
  if (!gateway) return { objects: [], problems: [{ from, message: `its targetRef Gateway ${gwNs}/${str(ref.name)} is not among the env's objects: the controller creates no broker/router` }] };
  const listeners = (isMap(gateway.spec) && Array.isArray(gateway.spec.listeners) ? gateway.spec.listeners : []) as JsonMap[];
  if (!listeners.some((l) => str(l.name) === str(ref.sectionName))) return { objects: [], problems: [{ from, message: `listener "${str(ref.sectionName)}" not found on gateway ${gwNs}/${str(ref.name)}: the controller creates no broker/router` }] };
  const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/managed-by': 'mcp-gateway-controller' };
  const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const env: JsonMap[] = [secretEnv('GATEWAY_SIGNING_KEY', 'mcp-gateway-session-signing-key', 'key')];
  if (isMap(spec.trustedHeadersKey)) env.push(secretEnv('TRUSTED_HEADER_PUBLIC_KEY', str(spec.trustedHeadersKey.secretName), 'key'));
  if (isMap(spec.sessionStore)) env.push(secretEnv('CACHE_CONNECTION_STRING', str(spec.sessionStore.secretName), 'CACHE_CONNECTION_STRING'));
  const container: JsonMap = {
    name: NAME,
    image,
    command: ['./mcp_gateway', `--mcp-broker-public-address=0.0.0.0:${HTTP_PORT}`, '--mcp-gateway-config=/config/config.yaml'],
    env,
    ports: [
      { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
      { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
      { name: 'config', containerPort: CONFIG_PORT, protocol: 'TCP' },
    ],
    volumeMounts: [{ name: 'config-volume', mountPath: '/config', readOnly: true }],
    readinessProbe: { httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
  };
  const meta = (name: string) => ({ name, namespace, labels });
  const objs: JsonMap[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(NAME),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { serviceAccountName: NAME, automountServiceAccountToken: false, containers: [container], volumes: [{ name: 'config-volume', secret: { secretName: 'mcp-gateway-config', defaultMode: 420 } }] } },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME), automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(NAME), spec: { selector: labels, ports: [{ name: 'http', port: HTTP_PORT, targetPort: HTTP_PORT }, { name: 'grpc', port: GRPC_PORT, targetPort: GRPC_PORT }] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mcp-gateway-session-signing-key', namespace } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mcp-gateway-config', namespace } },
  ];
  return { objects: objs.map((obj) => ({ obj: obj as unknown as K8sObject, from, operator: MCP_GATEWAY })), problems: [] };
}
