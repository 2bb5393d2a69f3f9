import { describe, expect, it } from 'vitest';
import type { K8sObject, SourcedObject } from '../../../scripts/lib/findings.ts';
import { loadCoreModel, validateCore } from '../../../scripts/lib/verify/schemas/core.ts';
import { validateObjects } from '../../../scripts/lib/verify/schemas/index.ts';

const opts = { crdSchemaDir: '/nonexistent-schema-dir' };

function sourced(obj: unknown, line = 1, file = 'generated/dev/web/deployment.yaml'): SourcedObject {
  return { obj: obj as K8sObject, file, line };
}

function deployment(name = 'web'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'webui', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: { 'example.com/x': 'y' } },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/open-webui/open-webui:v0.6.5',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [{ name: 'PORT', value: '8080' }],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: 8080 } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
        },
      },
    },
  };
}

/** Set a value at a JSON pointer, creating nothing: the parents must exist. */
function set(obj: unknown, pointer: string, value: unknown): void {
  const segs = pointer.split('/').slice(1);
  const last = segs.pop() ?? '';
  let cur = obj as Record<string, unknown>;
  for (const s of segs) cur = cur[s] as Record<string, unknown>;
  if (Array.isArray(cur) && last === '-') cur.push(value);
  else cur[last] = value;
}

describe('core kinds', () => {
  it('a valid Deployment passes', async () => {
    expect(await validateObjects([sourced(deployment())], opts)).toEqual([]);
  });

  it('a misspelled field deep in a pod spec fails with the exact path', async () => {
    const d = deployment();
    set(d, '/spec/template/spec/containers/0/imagePullPolicyy', 'Always');
    expect(await validateObjects([sourced(d, 12)], opts)).toEqual([
      {
        file: 'generated/dev/web/deployment.yaml',
        line: 12,
        col: 1,
        kind: 'Deployment',
        name: 'web',
        path: '/spec/template/spec/containers/0/imagePullPolicyy',
        message: 'unknown field',
      },
    ]);
  });

  it('a wrong type fails (replicas: "three")', async () => {
    const d = deployment();
    set(d, '/spec/replicas', 'three');
    const f = await validateObjects([sourced(d)], opts);
    expect(f.map((x) => [x.path, x.message])).toEqual([['/spec/replicas', 'must be integer']]);
  });

  it('a Service port without `port` fails as kubernetes-models reports it', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'webui' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', targetPort: 8080 }] },
    };
    const f = await validateObjects([sourced(svc, 3, 'generated/dev/web/service.yaml')], opts);
    expect(f).toEqual([
      {
        file: 'generated/dev/web/service.yaml',
        line: 3,
        col: 1,
        kind: 'Service',
        name: 'web',
        path: '/spec/ports/0',
        message: 'must have required property port',
      },
    ]);
  });

  it('an int-or-string of the wrong type gives one message', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'webui' },
      spec: { ports: [{ port: 80, targetPort: true }] },
    };
    const f = await validateObjects([sourced(svc)], opts);
    expect(f.map((x) => [x.path, x.message])).toEqual([['/spec/ports/0/targetPort', 'must be string or integer']]);
  });

  it('reports unknown fields at the root, in metadata and inside maps of objects', async () => {
    const d = deployment();
    set(d, '/data', { a: 1 });
    set(d, '/metadata/lables', { a: 'b' });
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, typo: 1 } },
              },
            },
          },
        ],
      },
    };
    const f = await validateObjects([sourced(d, 1), sourced(crd, 40)], opts);
    expect(f.map((x) => [x.line, x.path, x.message])).toEqual([
      [1, '/data', 'unknown field'],
      [1, '/metadata/lables', 'unknown field'],
      [40, '/spec/versions/0/schema/openAPIV3Schema/properties/spec/typo', 'unknown field'],
    ]);
  });

  it('accepts fields newer than the client-node metadata when kubernetes-models knows them', async () => {
    const d = deployment();
    set(d, '/spec/template/spec/hostnameOverride', 'web-0'); // PodSpec, Kubernetes 1.34
    const fileKeyRef = { path: 'f.env', volumeName: 'tmp', key: 'F' }; // EnvVarSource, Kubernetes 1.34
    set(d, '/spec/template/spec/containers/0/env/-', { name: 'F', valueFrom: { fileKeyRef } });
    set(d, '/spec/template/spec/containers/0/hostnameOverrid', 'typo');
    const f = await validateObjects([sourced(d)], opts);
    expect(f.map((x) => [x.path, x.message])).toEqual([['/spec/template/spec/containers/0/hostnameOverrid', 'unknown field']]);
  });

  const kinds: [string, string][] = [
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['v1', 'Service'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Namespace'],
    ['v1', 'ServiceAccount'],
    ['v1', 'PersistentVolumeClaim'],
    ['v1', 'Pod'],
    ['v1', 'Event'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'IngressClass'],
    ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['batch/v1', 'Job'],
    ['batch/v1', 'CronJob'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['apiregistration.k8s.io/v1', 'APIService'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['scheduling.k8s.io/v1', 'PriorityClass'],
  ];
  it.each(kinds)('%s %s has a kubernetes-models model and client-node field metadata', async (apiVersion, kind) => {
    const m = await loadCoreModel(apiVersion, kind);
    expect(m?.kind).toBe(kind);
    expect(m?.strictType).toMatch(new RegExp(`V\\d\\w*${kind}$`));
  });

  it('maps kinds that share a name to the right client-node class', async () => {
    expect((await loadCoreModel('v1', 'Event'))?.strictType).toBe('CoreV1Event');
    expect((await loadCoreModel('events.k8s.io/v1', 'Event'))?.strictType).toBe('EventsV1Event');
  });

  it('has no model for custom resources, sub-types or nonsense', async () => {
    expect(await loadCoreModel('cert-manager.io/v1', 'Certificate')).toBeUndefined();
    expect(await loadCoreModel('apps/v1', 'DeploymentSpec')).toBeUndefined();
    expect(await loadCoreModel('apps/v1', 'Gadget')).toBeUndefined();
    expect(await loadCoreModel('../../etc', 'Passwd')).toBeUndefined();
  });

  // Its speed is a bench figure (npm run bench), never a time limit here: a loaded machine must not fail it.
  it('validates 1,000 Deployments, each with its own model instance, with no finding', async () => {
    const objects = Array.from({ length: 1000 }, (_, i) => sourced(deployment(`web-${i}`), i * 60 + 1));
    expect(await validateObjects(objects, opts)).toEqual([]);
    const model = await loadCoreModel('apps/v1', 'Deployment');
    for (const o of objects) expect(validateCore(o.obj, model!)).toEqual([]);
  });
});
