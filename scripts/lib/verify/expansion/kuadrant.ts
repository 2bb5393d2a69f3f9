/**
 * What the Kuadrant operators create from one Kuadrant (kuadrant-operator chart 1.4.2, with
 * authorino-operator 0.23.1 and limitador-operator 0.17.1 as its dependencies):
 * - Kuadrant/kuadrant-operator@v1.4.2 internal/controller/authorino_reconciler.go (an Authorino
 *   `authorino` in the Kuadrant's namespace, listener and OIDC server TLS disabled) and
 *   limitador_reconciler.go (a Limitador `limitador`, internal/kuadrant/kuadrant.go LimitadorName);
 * - Kuadrant/authorino-operator@v0.23.1 pkg/reconcilers/deployment.go `AuthorinoDeployment`
 *   (Deployment named after the CR, ServiceAccount `<name>-authorino`, one container `authorino`,
 *   no TLS volumes when TLS is disabled) and pkg/resources/k8s_deployment.go (no securityContext,
 *   labels control-plane / authorino-resource);
 * - Kuadrant/limitador-operator@v0.17.1 pkg/limitador/k8s_objects.go `Deployment` (`limitador-<name>`,
 *   container `limitador`, ports http 8080 / grpc 8081, liveness and readiness on /status at
 *   8080, no securityContext), deployment_options.go (the limits ConfigMap
 *   `limitador-limits-config-<name>` as the config-file volume), the Service `limitador-<name>`.
 */
import type { K8sObject } from '../../findings.ts';
import { str, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const KUADRANT = 'Kuadrant/kuadrant-operator@v1.4.2 (authorino-operator@v0.23.1, limitador-operator@v0.17.1)';
/** api/v1alpha1/limitador_types.go DefaultServiceHTTPPort / DefaultServiceGRPCPort. */
const LIMITADOR_HTTP = 8080;
const LIMITADOR_GRPC = 8081;

export function expandKuadrant(from: SourceObject): Expansion {
  const namespace = str(from.obj.metadata?.namespace);
  const authorino = 'authorino';
  const authorinoLabels = { 'control-plane': 'controller-manager', 'authorino-resource': authorino };
  const limitador = 'limitador';
  const limSelector = { app: 'limitador', 'limitador-resource': limitador };
  const limLabels = {
    ...limSelector,
    'app.kubernetes.io/name': 'limitador',
    'app.kubernetes.io/instance': limitador,
    'app.kubernetes.io/component': 'limitador',
    'app.kubernetes.io/managed-by': 'limitador-operator',
    'app.kubernetes.io/part-of': 'kuadrant',
  };
  const limitsConfig = `limitador-limits-config-${limitador}`;
  const status = { httpGet: { path: '/status', port: LIMITADOR_HTTP, scheme: 'HTTP' } };
  const objs: JsonMap[] = [
    { apiVersion: 'operator.authorino.kuadrant.io/v1beta1', kind: 'Authorino', metadata: { name: authorino, namespace }, spec: { clusterWide: true, supersedingHostSubsets: true, listener: { tls: { enabled: false } }, oidcServer: { tls: { enabled: false } } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: authorino, namespace },
      spec: { replicas: 1, selector: { matchLabels: authorinoLabels }, template: { metadata: { labels: authorinoLabels }, spec: { serviceAccountName: `${authorino}-authorino`, containers: [{ name: 'authorino', imagePullPolicy: 'Always' }] } } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${authorino}-authorino`, namespace } },
    { apiVersion: 'limitador.kuadrant.io/v1alpha1', kind: 'Limitador', metadata: { name: limitador, namespace }, spec: { metricLabelsDefault: 'descriptors[1]' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `limitador-${limitador}`, namespace, labels: limLabels },
      spec: {
        selector: { matchLabels: limSelector },
        template: {
          metadata: { labels: limLabels },
          spec: {
            containers: [{
              name: 'limitador',
              command: ['limitador-server'],
              ports: [{ name: 'http', containerPort: LIMITADOR_HTTP, protocol: 'TCP' }, { name: 'grpc', containerPort: LIMITADOR_GRPC, protocol: 'TCP' }],
              livenessProbe: { ...status, initialDelaySeconds: 5, timeoutSeconds: 2, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
              readinessProbe: { ...status, initialDelaySeconds: 5, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
              volumeMounts: [{ name: 'config-file', mountPath: '/home/limitador/etc' }],
              imagePullPolicy: 'IfNotPresent',
            }],
            volumes: [{ name: 'config-file', configMap: { name: limitsConfig } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: limitsConfig, namespace, labels: limLabels } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `limitador-${limitador}`, namespace, labels: limLabels }, spec: { selector: limSelector, ports: [{ name: 'http', port: LIMITADOR_HTTP, targetPort: 'http' }, { name: 'grpc', port: LIMITADOR_GRPC, targetPort: 'grpc' }] } },
  ];
  return { objects: objs.map((obj) => ({ obj: obj as unknown as K8sObject, from, operator: KUADRANT })), problems: [] };
}
