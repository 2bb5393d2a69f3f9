/**
 * What CloudNativePG 1.30.0 (chart cloudnative-pg 0.29.0) creates from one Cluster:
 * cloudnative-pg/cloudnative-pg@v1.30.0
 * - pkg/specs/pods.go `buildInstance` / `createClusterPodSpec`: one Pod per instance,
 *   `<cluster>-<n>`, with the cnpg.io/* and app.kubernetes.io/* labels, the bootstrap-controller
 *   init container (the operator's own image) and the postgres container (ports 5432 postgresql,
 *   9187 metrics, 8000 status; startup/readiness/liveness probes on /startupz, /readyz, /healthz
 *   at 8000), `GetPodSecurityContext` (seccomp RuntimeDefault unless spec.seccompProfile,
 *   runAsUser/runAsGroup/fsGroup 26, runAsNonRoot; spec.podSecurityContext merged over it);
 * - pkg/specs/containers.go `GetSecurityContext` (drop ALL, not privileged, non-root, read-only
 *   root, no privilege escalation; spec.securityContext merged field by field);
 * - pkg/specs/volumes.go `createPostgresVolumes` (pgdata from the PVC named after the pod,
 *   scratch-data and shm emptyDirs, pg-wal from `<pod>-wal` when spec.walStorage; the operator
 *   creates those PVCs, pkg/reconciler/persistentvolumeclaim/create.go);
 * - pkg/specs/jobs.go `CreatePrimaryJob`: the `<cluster>-1-initdb` Job (the default bootstrap)
 *   with the same pod security, volumes and ServiceAccount, and the app Secret it waits for;
 * - pkg/specs/services.go: the -rw, -ro and -r Services on 5432;
 * - api/v1/cluster_funcs.go: `GetServiceAccountName` (spec.serviceAccountName, else the
 *   cluster's name), `GetApplicationSecretName` (`<cluster>-app`), `GetSeccompProfile`.
 * The operator's image is read from the hydrated operator Deployment (OPERATOR_IMAGE_NAME).
 */
import type { K8sObject } from '../../findings.ts';
import { deploymentEnv, isMap, str, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const CNPG = 'cloudnative-pg/cloudnative-pg@v1.30.0';
/** api/v1/cluster_types.go DefaultPostgresUID / DefaultPostgresGID. */
const POSTGRES_ID = 26;
/** pkg/postgres/configuration.go ServerPort; pkg/management/url/url.go PostgresMetricsPort, StatusPort. */
const SERVER_PORT = 5432;
const METRICS_PORT = 9187;
const STATUS_PORT = 8000;

/** The operator image the CNPG operator Deployment passes to its pods (env OPERATOR_IMAGE_NAME). */
export function cnpgOperatorImageFrom(objects: K8sObject[]): string {
  return deploymentEnv(objects, 'OPERATOR_IMAGE_NAME');
}

const definedOr = (mine: unknown, defaults: JsonMap, keys: string[]): JsonMap => {
  if (!isMap(mine)) return defaults;
  const out: JsonMap = { ...mine };
  for (const k of keys) if (out[k] === undefined || out[k] === null) out[k] = defaults[k];
  return out;
};

export function expandCnpgCluster(from: SourceObject, operatorImage: string): Expansion {
  const cluster = from.obj;
  const name = str(cluster.metadata?.name);
  const namespace = str(cluster.metadata?.namespace);
  const spec = isMap(cluster.spec) ? cluster.spec : {};
  const seccompProfile = isMap(spec.seccompProfile) ? spec.seccompProfile : { type: 'RuntimeDefault' };
  const uid = typeof spec.postgresUID === 'number' ? spec.postgresUID : POSTGRES_ID;
  const gid = typeof spec.postgresGID === 'number' ? spec.postgresGID : POSTGRES_ID;
  const podSecurity = isMap(spec.podSecurityContext)
    ? definedOr(spec.podSecurityContext, { runAsUser: uid, runAsGroup: gid, seccompProfile }, ['runAsUser', 'runAsGroup', 'seccompProfile'])
    : { seccompProfile, runAsUser: uid, runAsGroup: gid, runAsNonRoot: true, fsGroup: gid };
  const containerDefaults: JsonMap = { seccompProfile, capabilities: { drop: ['ALL'] }, privileged: false, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };
  const containerSecurity = definedOr(spec.securityContext, containerDefaults, ['runAsUser', 'runAsGroup', ...Object.keys(containerDefaults)]);
  const sa = str(spec.serviceAccountName) || name;
  const major = /:(\d+)/.exec(str(spec.imageName))?.[1] ?? '';
  const common = {
    'cnpg.io/cluster': name,
    'app.kubernetes.io/name': 'postgresql',
    'app.kubernetes.io/instance': name,
    ...(major ? { 'app.kubernetes.io/version': major } : {}),
    'app.kubernetes.io/component': 'database',
    'app.kubernetes.io/managed-by': 'cloudnative-pg',
  };
  const bootstrapContainer: JsonMap = { name: 'bootstrap-controller', image: operatorImage, command: ['/manager', 'bootstrap', '/controller/manager'], ...(isMap(spec.resources) ? { resources: spec.resources } : {}), securityContext: containerSecurity };
  const volumes = (pod: string): JsonMap[] => [
    { name: 'pgdata', persistentVolumeClaim: { claimName: pod } },
    { name: 'scratch-data', emptyDir: {} },
    { name: 'shm', emptyDir: { medium: 'Memory' } },
    ...(isMap(spec.walStorage) ? [{ name: 'pg-wal', persistentVolumeClaim: { claimName: `${pod}-wal` } }] : []),
  ];
  const probe = (path: string) => ({ httpGet: { path, port: STATUS_PORT }, periodSeconds: 10, timeoutSeconds: 5 });
  const podSpec = (pod: string): JsonMap => ({
    hostname: pod,
    initContainers: [bootstrapContainer],
    containers: [{
      name: 'postgres',
      image: str(spec.imageName),
      command: ['/controller/manager', 'instance', 'run'],
      ...(isMap(spec.resources) ? { resources: spec.resources } : {}),
      ports: [
        { name: 'postgresql', containerPort: SERVER_PORT, protocol: 'TCP' },
        { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
        { name: 'status', containerPort: STATUS_PORT, protocol: 'TCP' },
      ],
      startupProbe: probe('/startupz'),
      readinessProbe: probe('/readyz'),
      livenessProbe: probe('/healthz'),
      securityContext: containerSecurity,
    }],
    volumes: volumes(pod),
    securityContext: podSecurity,
    serviceAccountName: sa,
    ...(str(spec.priorityClassName) ? { priorityClassName: str(spec.priorityClassName) } : {}),
  });
  const objs: JsonMap[] = [];
  const instances = typeof spec.instances === 'number' ? spec.instances : 1;
  for (let n = 1; n <= instances; n++) {
    const pod = `${name}-${n}`;
    objs.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace, labels: { ...common, 'cnpg.io/instanceName': pod, 'cnpg.io/podRole': 'instance' } }, spec: podSpec(pod) });
    objs.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: pod, namespace, labels: common } });
    if (isMap(spec.walStorage)) objs.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${pod}-wal`, namespace, labels: common } });
  }
  const bootstrap = isMap(spec.bootstrap) ? spec.bootstrap : undefined;
  if (!bootstrap || isMap(bootstrap.initdb)) {
    const instance = `${name}-1`;
    const labels = { ...common, 'cnpg.io/instanceName': instance, 'cnpg.io/jobRole': 'initdb' };
    const pod = podSpec(instance);
    const initdb: JsonMap = { ...(pod.containers as JsonMap[])[0]!, name: 'initdb', command: ['/controller/manager', 'instance', 'init'] };
    for (const k of ['ports', 'startupProbe', 'readinessProbe', 'livenessProbe']) delete initdb[k];
    const job = { ...pod, hostname: `${instance}-initdb`, containers: [initdb], restartPolicy: 'Never' };
    objs.push({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${instance}-initdb`, namespace, labels }, spec: { template: { metadata: { labels }, spec: job } } });
    const initdbSpec = bootstrap && isMap(bootstrap.initdb) ? bootstrap.initdb : {};
    const secret = isMap(initdbSpec.secret) && str(initdbSpec.secret.name) ? str(initdbSpec.secret.name) : `${name}-app`;
    if (secret === `${name}-app`) objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secret, namespace, labels: common } });
  }
  objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace } });
  const ports = [{ name: 'postgres', port: SERVER_PORT, targetPort: SERVER_PORT, protocol: 'TCP' }];
  objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-rw`, namespace, labels: common }, spec: { ports, selector: { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'primary' } } });
  objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-ro`, namespace, labels: common }, spec: { ports, selector: { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'replica' } } });
  objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-r`, namespace, labels: common }, spec: { ports, selector: { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' } } });
  return { objects: objs.map((obj) => ({ obj: obj as unknown as K8sObject, from, operator: CNPG })), problems: [] };
}
