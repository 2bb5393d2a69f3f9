/**
 * What llama-stack-k8s-operator v0.9.0 creates from one LlamaStackDistribution:
 * llamastack/llama-stack-k8s-operator@v0.9.0
 * - controllers/resource_helper.go `buildContainerSpec` (one container, its port, the
 *   /v1/health startup probe on that port, HF_HOME / LLS_WORKERS / LLS_PORT /
 *   LLAMA_STACK_CONFIG then the spec's env, the lls-storage and user-config mounts, the command
 *   and args of the spec) and `configurePodStorage` (a pod securityContext with only
 *   fsGroup 1001 — the CRD has no field to add more —, the lls-storage volume: PVC
 *   `<name>-pvc` or emptyDir, the user-config ConfigMap volume, the ServiceAccount
 *   `<name>-sa` unless podOverrides names one, podOverrides volumes and mounts);
 * - controllers/manifests/base/deployment.yaml (labels app=llama-stack and
 *   app.kubernetes.io/instance=<name>), service.yaml, networkpolicy.yaml (ingress from
 *   spec.network.allowedFrom), serviceaccount.yaml, pvc.yaml.
 */
import type { K8sObject } from '../../findings.ts';
import { isMap, str, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const LLAMA_STACK_OPERATOR = 'llamastack/llama-stack-k8s-operator@v0.9.0';
/** api/v1alpha1/llamastackdistribution_types.go */
const DEFAULT_PORT = 8321;
const DEFAULT_CONTAINER = 'llama-stack';
const DEFAULT_MOUNT = '/.llama';
const FS_GROUP = 1001;
const CONFIG_PATH = '/etc/llama-stack/config.yaml';

export function expandLlamaStackDistribution(from: SourceObject): Expansion {
  const lsd = from.obj;
  const name = str(lsd.metadata?.name);
  const namespace = str(lsd.metadata?.namespace);
  const spec = isMap(lsd.spec) ? lsd.spec : {};
  const server = isMap(spec.server) ? spec.server : {};
  const cs = isMap(server.containerSpec) ? server.containerSpec : {};
  const dist = isMap(server.distribution) ? server.distribution : {};
  const storage = isMap(server.storage) ? server.storage : undefined;
  const userConfig = isMap(server.userConfig) ? str(server.userConfig.configMapName) : '';
  const overrides = isMap(server.podOverrides) ? server.podOverrides : {};
  const port = typeof cs.port === 'number' && cs.port ? cs.port : DEFAULT_PORT;
  const mountPath = storage && str(storage.mountPath) ? str(storage.mountPath) : DEFAULT_MOUNT;
  const workers = typeof server.workers === 'number' ? server.workers : 1;
  const env: JsonMap[] = [
    { name: 'HF_HOME', value: mountPath },
    { name: 'LLS_WORKERS', value: String(workers) },
    { name: 'LLS_PORT', value: String(port) },
    { name: 'LLAMA_STACK_CONFIG', value: CONFIG_PATH },
    ...(Array.isArray(cs.env) ? (cs.env as JsonMap[]) : []),
  ];
  const mounts: JsonMap[] = [{ name: 'lls-storage', mountPath }];
  if (userConfig) mounts.push({ name: 'user-config', mountPath: '/etc/llama-stack/', readOnly: true });
  if (Array.isArray(overrides.volumeMounts)) mounts.push(...(overrides.volumeMounts as JsonMap[]));
  const container: JsonMap = {
    name: str(cs.name) || DEFAULT_CONTAINER,
    image: str(dist.image) || `distribution:${str(dist.name)}`,
    ...(isMap(cs.resources) ? { resources: cs.resources } : {}),
    ports: [{ containerPort: port }],
    startupProbe: { httpGet: { path: '/v1/health', port }, initialDelaySeconds: 15, timeoutSeconds: 30, failureThreshold: 3, successThreshold: 1 },
    env,
    volumeMounts: mounts,
    ...(Array.isArray(cs.command) && cs.command.length ? { command: cs.command } : {}),
    ...(Array.isArray(cs.args) && cs.args.length ? { args: cs.args } : {}),
  };
  const volumes: JsonMap[] = [storage ? { name: 'lls-storage', persistentVolumeClaim: { claimName: `${name}-pvc` } } : { name: 'lls-storage', emptyDir: {} }];
  if (userConfig) volumes.push({ name: 'user-config', configMap: { name: userConfig } });
  if (Array.isArray(overrides.volumes)) volumes.push(...(overrides.volumes as JsonMap[]));
  const sa = str(overrides.serviceAccountName) || `${name}-sa`;
  const labels = { app: 'llama-stack', 'app.kubernetes.io/instance': name };
  const pod: JsonMap = { serviceAccountName: sa, containers: [container], volumes, securityContext: { fsGroup: FS_GROUP } };
  const meta = (n: string) => ({ name: n, namespace, labels });
  const objs: JsonMap[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name), spec: { replicas: spec.replicas ?? 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${name}-service`), spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port }] } },
  ];
  if (!str(overrides.serviceAccountName)) objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(sa) });
  if (storage) objs.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(`${name}-pvc`), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: str(storage.size) || '10Gi' } } } });
  return { objects: objs.map((obj) => ({ obj: obj as unknown as K8sObject, from, operator: LLAMA_STACK_OPERATOR })), problems: [] };
}
