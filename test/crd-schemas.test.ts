/**
 * The project's own strict CRD schemas (schemas/crds, kubeconform layout).
 *
 * - every file compiles (ajv 8, draft-07, ajv-formats) and is self-contained;
 * - every object level sets additionalProperties (false; a schema for maps; or `true` only for
 *   documented free-form fields, which carry a $comment);
 * - one realistic manifest per kind, as the project would emit it, passes our schema and the
 *   upstream reference schema (shared/crds, converted from the real CRDs);
 * - an unknown field at the top of spec and one deep inside fail our schema, and a missing
 *   required field fails both;
 * - every upstream field is still known here, with the same type, enum, pattern and required
 *   list, outside the deliberate subsets (pod specs, affinity, unused secret store providers).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = { [key: string]: unknown };
type PathKey = string | number;

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const ourDir = join(projectRoot, 'schemas', 'crds');
const upstreamDir = process.env['CRD_UPSTREAM_DIR'] ?? join(projectRoot, '..', 'shared', 'crds');
const hasUpstream = existsSync(upstreamDir);

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listJson(full));
    else if (entry.endsWith('.json')) out.push(relative(ourDir, full).split('\\').join('/'));
  }
  return out.sort();
}

const schemaFiles = listJson(ourDir);

function isJson(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function readJson(file: string): Json {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isJson(parsed)) throw new Error(`${file}: not a JSON object`);
  return parsed;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const ours = newAjv();
const upstream = newAjv();
const compiled = new Map<string, ValidateFunction>();
function validator(which: 'ours' | 'upstream', file: string): ValidateFunction {
  const key = `${which}:${file}`;
  let fn = compiled.get(key);
  if (!fn) {
    const schema = readJson(join(which === 'ours' ? ourDir : upstreamDir, file));
    fn = (which === 'ours' ? ours : upstream).compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

function errorsOf(fn: ValidateFunction, doc: unknown): string[] {
  if (fn(doc)) return [];
  return (fn.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ------------------------------------------------------------------ schema walking helpers

type Visit = (node: Json, where: string) => void;
function walkSchema(node: unknown, where: string, visit: Visit): void {
  if (!isJson(node)) return;
  visit(node, where);
  const props = node['properties'];
  if (isJson(props)) for (const [k, v] of Object.entries(props)) walkSchema(v, `${where}.${k}`, visit);
  const defs = node['definitions'];
  if (isJson(defs)) for (const [k, v] of Object.entries(defs)) walkSchema(v, `#/definitions/${k}`, visit);
  walkSchema(node['items'], `${where}[]`, visit);
  walkSchema(node['additionalProperties'], `${where}{}`, visit);
  walkSchema(node['not'], `${where}/not`, visit);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((b, i) => walkSchema(b, `${where}/${key}${i}`, visit));
  }
}

function isObjectType(node: Json): boolean {
  const t = node['type'];
  return t === 'object' || (Array.isArray(t) && t.includes('object'));
}

function resolve(rootSchema: Json, node: Json): Json {
  let cur = node;
  for (let i = 0; i < 10 && typeof cur['$ref'] === 'string'; i++) {
    const ref = cur['$ref'] as string;
    const name = ref.replace(/^#\/definitions\//, '');
    const defs = rootSchema['definitions'];
    const target = isJson(defs) ? defs[name] : undefined;
    if (!isJson(target)) throw new Error(`unresolvable ${ref}`);
    cur = target;
  }
  return cur;
}

// ------------------------------------------------------------------ document helpers

function getAt(doc: unknown, path: PathKey[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') cur = cur[key];
    else if (isJson(cur) && typeof key === 'string') cur = cur[key];
    else return undefined;
  }
  return cur;
}

function withChange(doc: Json, path: PathKey[], change: (parent: Json, key: string) => void): Json {
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isJson(parent) || typeof last !== 'string') throw new Error(`bad path ${path.join('.')}`);
  change(parent, last);
  return copy;
}

const withUnknownField = (doc: Json, objectPath: PathKey[]): Json =>
  withChange(doc, [...objectPath, 'notAFieldUpstream'], (parent, key) => {
    parent[key] = 'x';
  });
const without = (doc: Json, path: PathKey[]): Json =>
  withChange(doc, path, (parent, key) => {
    if (!(key in parent)) throw new Error(`${path.join('.')} is not set in the example`);
    delete parent[key];
  });

// ------------------------------------------------------------------ examples

interface Example {
  /** a manifest as the project would emit it */
  doc: Json;
  /** an object inside spec (two or more levels down) where an unknown field must be rejected */
  deep: PathKey[];
  /** a field that upstream requires: removing it must fail ours and upstream */
  required: PathKey[];
}

const meta = (name: string, namespace?: string): Json => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { 'app.kubernetes.io/part-of': 'catalyst', 'app.kubernetes.io/managed-by': 'catalyst-gitops' },
});
const gatewayRef = { name: 'catalyst-gateway', namespace: 'gateway-system' };
const selector = { matchLabels: { 'app.kubernetes.io/name': 'vllm' } };
const relabelings = [
  { sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], targetLabel: 'model', action: 'replace' },
];
const metricRelabelings = [{ sourceLabels: ['__name__'], regex: 'vllm:.*', action: 'keep' }];

const llmTemplate: Json = {
  serviceAccountName: 'llm-serving',
  automountServiceAccountToken: false,
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  priorityClassName: 'llm-serving',
  securityContext: { runAsNonRoot: true, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'main',
      image: 'vllm/vllm-openai:v0.11.0',
      args: ['--max-model-len=8192', '--gpu-memory-utilization=0.9'],
      env: [
        { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } },
        { name: 'VLLM_LOGGING_LEVEL', value: 'INFO' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      resources: {
        requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
        limits: { memory: '48Gi', 'nvidia.com/gpu': 1 },
      },
      volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
      readinessProbe: {
        httpGet: { path: '/health', port: 8000, scheme: 'HTTPS' },
        initialDelaySeconds: 60,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      livenessProbe: { tcpSocket: { port: 8000 }, periodSeconds: 30 },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  ],
  volumes: [
    { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } },
    { name: 'chat-template', configMap: { name: 'granite-chat-template' } },
  ],
};

function llmisvc(version: 'v1alpha1' | 'v1alpha2'): Example {
  return {
    doc: {
      apiVersion: `serving.kserve.io/${version}`,
      kind: 'LLMInferenceService',
      metadata: meta('granite-3-3-8b', 'llm'),
      spec: {
        model: {
          uri: 'hf://ibm-granite/granite-3.3-8b-instruct',
          name: 'ibm-granite/granite-3.3-8b-instruct',
          ...(version === 'v1alpha1' ? { criticality: 'Critical' } : {}),
        },
        replicas: 1,
        parallelism: { tensor: 1 },
        labels: { 'catalyst.io/model-family': 'granite' },
        template: llmTemplate,
        router: {
          route: {},
          gateway: { refs: [gatewayRef] },
          scheduler: {
            replicas: 1,
            config: {
              inline: {
                apiVersion: 'inference.networking.x-k8s.io/v1alpha1',
                kind: 'EndpointPickerConfig',
                plugins: [{ type: 'queue-scorer' }, { type: 'prefix-cache-scorer' }],
                schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer' }] }],
              },
            },
            template: {
              containers: [{ name: 'main', resources: { requests: { cpu: '500m', memory: '512Mi' } } }],
            },
          },
        },
        tracing: { exporter: 'otlp', exporterEndpoint: 'http://otel-collector.observability:4317' },
      },
    },
    deep: ['spec', 'template', 'containers', 0, 'resources'],
    required: ['spec', 'model', 'uri'],
  };
}

function agentRuntime(group: string): Example {
  return {
    doc: {
      apiVersion: `${group}/v1alpha1`,
      kind: 'AgentRuntime',
      metadata: meta('weather-agent', 'agents'),
      spec: {
        type: 'agent',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'weather-agent' },
        mtlsMode: 'strict',
        ...(group === 'agent.rossoctl.dev'
          ? { onError: 'observe', auth: { outbound: [{ audiences: ['mcp-gateway'], destination: { host: 'mcp.catalyst.example.org' } }] } }
          : { identity: { spiffe: { trustDomain: 'catalyst.example.org' } } }),
      },
    },
    deep: ['spec', 'targetRef'],
    required: ['spec', 'targetRef', 'name'],
  };
}

function agentCard(group: string): Example {
  return {
    doc: {
      apiVersion: `${group}/v1alpha1`,
      kind: 'AgentCard',
      metadata: meta('weather-agent', 'agents'),
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'weather-agent' },
        syncPeriod: '1m',
        identityBinding: { strict: false, trustDomain: 'catalyst.example.org' },
      },
    },
    deep: ['spec', 'identityBinding'],
    required: ['spec', 'targetRef', 'kind'],
  };
}

function referenceGrant(version: string): Example {
  return {
    doc: {
      apiVersion: `gateway.networking.k8s.io/${version}`,
      kind: 'ReferenceGrant',
      metadata: meta('allow-gateway-routes', 'llm'),
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gateway-system' }],
        to: [{ group: '', kind: 'Service', name: 'granite-3-3-8b' }],
      },
    },
    deep: ['spec', 'from', 0],
    required: ['spec', 'to'],
  };
}

function secretStore(kind: 'SecretStore' | 'ClusterSecretStore'): Example {
  const provider =
    kind === 'SecretStore'
      ? {
          kubernetes: {
            remoteNamespace: 'catalyst-secrets',
            server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
            auth: { serviceAccount: { name: 'eso-reader' } },
          },
        }
      : {
          vault: {
            server: 'https://vault.catalyst.example.org:8200',
            path: 'secret',
            version: 'v2',
            auth: {
              kubernetes: {
                mountPath: 'kubernetes',
                role: 'external-secrets',
                serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
              },
            },
          },
        };
  return {
    doc: {
      apiVersion: 'external-secrets.io/v1',
      kind,
      metadata: meta(kind === 'SecretStore' ? 'cluster-secrets' : 'vault', kind === 'SecretStore' ? 'llm' : undefined),
      spec: {
        provider,
        refreshInterval: 300,
        retrySettings: { maxRetries: 3, retryInterval: '10s' },
        ...(kind === 'ClusterSecretStore' ? { conditions: [{ namespaces: ['llm', 'catalyst'] }] } : {}),
      },
    },
    deep: kind === 'SecretStore' ? ['spec', 'provider', 'kubernetes', 'auth'] : ['spec', 'provider', 'vault', 'auth', 'kubernetes'],
    required: ['spec', 'provider'],
  };
}

function issuerSpec(kind: 'Issuer' | 'ClusterIssuer'): Json {
  if (kind === 'Issuer') return { ca: { secretName: 'catalyst-root-ca' } };
  return {
    acme: {
      email: 'platform@catalyst.example.org',
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      privateKeySecretRef: { name: 'letsencrypt-account-key' },
      solvers: [
        {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [{ name: 'catalyst-gateway', namespace: 'gateway-system', kind: 'Gateway', sectionName: 'http' }],
            },
          },
        },
        { selector: { dnsZones: ['legacy.catalyst.example.org'] }, http01: { ingress: { ingressClassName: 'nginx' } } },
      ],
    },
  };
}

const examples: Record<string, Example> = {
  'argoproj.io/application_v1alpha1.json': {
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        ...meta('cert-manager', 'argocd'),
        annotations: { 'argocd.argoproj.io/sync-wave': '-2' },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'catalyst',
        source: {
          repoURL: 'https://charts.jetstack.io',
          chart: 'cert-manager',
          targetRevision: 'v1.18.2',
          helm: {
            releaseName: 'cert-manager',
            valuesObject: { crds: { enabled: true }, replicaCount: 2, config: { enableGatewayAPI: true } },
            skipCrds: false,
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'cert-manager' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
          managedNamespaceMetadata: { labels: { 'catalyst.io/tier': 'platform' } },
        },
        ignoreDifferences: [
          {
            group: 'admissionregistration.k8s.io',
            kind: 'ValidatingWebhookConfiguration',
            jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
          },
        ],
        info: [{ name: 'owner', value: 'platform-team' }],
        revisionHistoryLimit: 5,
      },
    },
    deep: ['spec', 'syncPolicy', 'retry', 'backoff'],
    required: ['spec', 'destination'],
  },
  'argoproj.io/applicationset_v1alpha1.json': {
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: meta('catalyst-roots-hub', 'argocd'),
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: [{ list: { elements: [{ env: 'dev', project: 'catalyst-dev-root', revision: 'main', path: 'generated/dev/apps' }] } }],
        template: {
          metadata: { name: '{{ .env }}-root', labels: { 'catalyst.dev/component': 'root' } },
          spec: {
            project: '{{ .project }}',
            source: { repoURL: 'https://github.com/catalyst-lab/catalyst-gitops.git', targetRevision: '{{ .revision }}', path: '{{ .path }}' },
            destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
          },
        },
        templatePatch: 'spec:\n  syncPolicy: {{ toJson .syncPolicy }}\n',
      },
    },
    deep: ['spec', 'template', 'spec', 'destination'],
    required: ['spec', 'template'],
  },
  'argoproj.io/appproject_v1alpha1.json': {
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: meta('catalyst', 'argocd'),
      spec: {
        description: 'Catalyst Lab LLM platform',
        sourceRepos: ['https://github.com/catalyst-lab/catalyst-gitops.git', 'https://charts.jetstack.io'],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
        clusterResourceWhitelist: [
          { group: '', kind: 'Namespace' },
          { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        ],
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
        orphanedResources: { warn: true },
        sourceNamespaces: ['argocd'],
        roles: [
          {
            name: 'read-only',
            description: 'viewers',
            policies: ['p, proj:catalyst:read-only, applications, get, catalyst/*, allow'],
            groups: ['catalyst-viewers'],
          },
        ],
        syncWindows: [{ kind: 'allow', schedule: '0 6 * * *', duration: '12h', applications: ['*'], manualSync: true }],
      },
    },
    deep: ['spec', 'orphanedResources'],
    required: ['spec', 'clusterResourceWhitelist', 0, 'kind'],
  },
  'postgresql.cnpg.io/cluster_v1.json': {
    doc: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: meta('catalyst-db', 'catalyst-data'),
      spec: {
        description: 'Catalyst platform database with pgvector',
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie',
        primaryUpdateStrategy: 'unsupervised',
        enableSuperuserAccess: false,
        storage: { size: '20Gi', storageClass: 'standard' },
        walStorage: { size: '5Gi' },
        bootstrap: {
          initdb: {
            database: 'app',
            owner: 'app',
            secret: { name: 'catalyst-db-app' },
            postInitSQL: ['ALTER SYSTEM SET log_min_duration_statement = 1000'],
            postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS vector'],
          },
        },
        postgresql: {
          parameters: { max_connections: '200', shared_buffers: '512MB' },
          pg_hba: ['host all all 10.0.0.0/8 scram-sha-256'],
        },
        managed: {
          roles: [
            { name: 'llamastack', ensure: 'present', login: true, passwordSecret: { name: 'llamastack-db' }, inRoles: ['pg_read_all_data'] },
          ],
        },
        monitoring: { enablePodMonitor: true },
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
        affinity: {
          enablePodAntiAffinity: true,
          topologyKey: 'kubernetes.io/hostname',
          podAntiAffinityType: 'preferred',
          nodeSelector: { 'node-role.kubernetes.io/worker': '' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'database', effect: 'NoSchedule' }],
        },
        inheritedMetadata: { labels: { 'app.kubernetes.io/part-of': 'catalyst' } },
      },
    },
    deep: ['spec', 'bootstrap', 'initdb'],
    required: ['spec', 'bootstrap', 'initdb', 'secret', 'name'],
  },
  'postgresql.cnpg.io/database_v1.json': {
    doc: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Database',
      metadata: meta('catalyst-db-llamastack', 'catalyst-data'),
      spec: {
        name: 'llamastack',
        owner: 'llamastack',
        cluster: { name: 'catalyst-db' },
        ensure: 'present',
        databaseReclaimPolicy: 'retain',
        encoding: 'UTF8',
        extensions: [{ name: 'vector', ensure: 'present' }],
        schemas: [{ name: 'app', owner: 'llamastack' }],
      },
    },
    deep: ['spec', 'extensions', 0],
    required: ['spec', 'owner'],
  },
  'postgresql.cnpg.io/pooler_v1.json': {
    doc: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: meta('catalyst-db-pooler-rw', 'catalyst-data'),
      spec: {
        cluster: { name: 'catalyst-db' },
        instances: 2,
        type: 'rw',
        pgbouncer: { poolMode: 'transaction', parameters: { max_client_conn: '1000', default_pool_size: '20' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'pgbouncer' } },
          spec: { containers: [{ name: 'pgbouncer', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
        },
      },
    },
    deep: ['spec', 'template', 'spec', 'containers', 0],
    required: ['spec', 'cluster'],
  },
  'monitoring.coreos.com/podmonitor_v1.json': {
    doc: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: meta('vllm', 'llm'),
      spec: {
        selector,
        namespaceSelector: { matchNames: ['llm'] },
        podMetricsEndpoints: [
          {
            port: 'metrics',
            path: '/metrics',
            interval: '30s',
            scrapeTimeout: '10s',
            scheme: 'https',
            honorLabels: true,
            relabelings,
            metricRelabelings,
            tlsConfig: { insecureSkipVerify: true },
          },
        ],
      },
    },
    deep: ['spec', 'podMetricsEndpoints', 0, 'tlsConfig'],
    required: ['spec', 'selector'],
  },
  'monitoring.coreos.com/servicemonitor_v1.json': {
    doc: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: meta('llama-stack', 'llm'),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'llama-stack' } },
        endpoints: [
          {
            port: 'http',
            path: '/metrics',
            interval: '30s',
            scheme: 'http',
            relabelings,
            metricRelabelings,
            authorization: { type: 'Bearer', credentials: { name: 'metrics-reader-token', key: 'token' } },
          },
          { targetPort: 9090, path: '/metrics', bearerTokenSecret: { name: 'metrics-reader-token', key: 'token' } },
        ],
      },
    },
    deep: ['spec', 'endpoints', 0, 'authorization'],
    required: ['spec', 'endpoints'],
  },
  'monitoring.coreos.com/prometheusrule_v1.json': {
    doc: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: meta('vllm', 'llm'),
      spec: {
        groups: [
          {
            name: 'vllm.rules',
            interval: '30s',
            partial_response_strategy: 'warn',
            rules: [
              { record: 'vllm:e2e_request_latency_seconds:p95', expr: 'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))' },
              {
                alert: 'VLLMRequestsQueued',
                expr: 'sum by (model_name) (vllm:num_requests_waiting) > 50',
                for: '5m',
                keep_firing_for: '2m',
                labels: { severity: 'warning' },
                annotations: { summary: 'vLLM queue is growing for {{ $labels.model_name }}' },
              },
              { alert: 'AlwaysFiring', expr: 1 },
            ],
          },
        ],
      },
    },
    deep: ['spec', 'groups', 0, 'rules', 1],
    required: ['spec', 'groups', 0, 'rules', 1, 'expr'],
  },
  'external-secrets.io/externalsecret_v1.json': {
    doc: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: meta('hf-token', 'llm'),
      spec: {
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: {
          name: 'hf-token',
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          template: {
            type: 'Opaque',
            engineVersion: 'v2',
            mergePolicy: 'Replace',
            metadata: { labels: { 'catalyst.io/secret': 'huggingface' }, annotations: { 'catalyst.io/rotated-by': 'eso' } },
            data: { HF_TOKEN: '{{ .token }}' },
          },
        },
        data: [
          {
            secretKey: 'token',
            remoteRef: {
              key: 'catalyst/huggingface',
              property: 'token',
              conversionStrategy: 'Default',
              decodingStrategy: 'None',
              metadataPolicy: 'None',
            },
          },
        ],
        dataFrom: [{ extract: { key: 'catalyst/huggingface-extra' } }],
      },
    },
    deep: ['spec', 'data', 0, 'remoteRef'],
    required: ['spec', 'data', 0, 'secretKey'],
  },
  'external-secrets.io/secretstore_v1.json': secretStore('SecretStore'),
  'external-secrets.io/clustersecretstore_v1.json': secretStore('ClusterSecretStore'),
  'cert-manager.io/certificate_v1.json': {
    doc: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta('gateway-tls', 'gateway-system'),
      spec: {
        secretName: 'gateway-tls',
        issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
        dnsNames: ['llm.catalyst.example.org', '*.apps.catalyst.example.org'],
        duration: '2160h',
        renewBefore: '360h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['server auth', 'digital signature', 'key encipherment'],
      },
    },
    deep: ['spec', 'privateKey'],
    required: ['spec', 'issuerRef'],
  },
  'cert-manager.io/clusterissuer_v1.json': {
    doc: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: meta('letsencrypt'), spec: issuerSpec('ClusterIssuer') },
    deep: ['spec', 'acme', 'solvers', 0, 'http01', 'gatewayHTTPRoute'],
    required: ['spec', 'acme', 'privateKeySecretRef'],
  },
  'cert-manager.io/issuer_v1.json': {
    doc: { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta('catalyst-ca', 'llm'), spec: issuerSpec('Issuer') },
    deep: ['spec', 'ca'],
    required: ['spec', 'ca', 'secretName'],
  },
  'gateway.networking.k8s.io/gateway_v1.json': {
    doc: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta('catalyst-gateway', 'gateway-system'),
      spec: {
        gatewayClassName: 'istio',
        listeners: [
          {
            name: 'https',
            hostname: '*.catalyst.example.org',
            port: 443,
            protocol: 'HTTPS',
            tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'gateway-tls' }] },
            allowedRoutes: {
              namespaces: { from: 'Selector', selector: { matchLabels: { 'catalyst.io/gateway-access': 'true' } } },
              kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            },
          },
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        ],
        addresses: [{ type: 'Hostname', value: 'gateway.catalyst.example.org' }],
        infrastructure: { labels: { 'catalyst.io/gateway': 'main' }, annotations: { 'networking.istio.io/service-type': 'LoadBalancer' } },
      },
    },
    deep: ['spec', 'listeners', 0, 'allowedRoutes', 'namespaces'],
    required: ['spec', 'listeners', 1, 'protocol'],
  },
  'gateway.networking.k8s.io/gatewayclass_v1.json': {
    doc: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: meta('istio'),
      spec: { controllerName: 'istio.io/gateway-controller', description: 'Istio gateway for the Catalyst platform' },
    },
    deep: ['spec'],
    required: ['spec', 'controllerName'],
  },
  'gateway.networking.k8s.io/httproute_v1.json': {
    doc: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('granite-openai', 'llm'),
      spec: {
        parentRefs: [{ ...gatewayRef, sectionName: 'https' }],
        hostnames: ['llm.catalyst.example.org'],
        rules: [
          {
            name: 'openai',
            matches: [
              { path: { type: 'PathPrefix', value: '/v1' }, headers: [{ name: 'x-model', value: 'granite' }], method: 'POST' },
              { path: { type: 'Exact', value: '/v1/models' }, queryParams: [{ name: 'debug', value: 'true' }] },
            ],
            filters: [
              { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-gateway', value: 'catalyst' }], remove: ['x-debug'] } },
              { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
            ],
            backendRefs: [
              { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'granite-pool', weight: 90 },
              { name: 'granite-fallback', namespace: 'llm', port: 8000, weight: 10 },
            ],
            timeouts: { request: '300s', backendRequest: '290s' },
          },
        ],
      },
    },
    deep: ['spec', 'rules', 0, 'matches', 0, 'path'],
    required: ['spec', 'rules', 0, 'backendRefs', 0, 'name'],
  },
  'gateway.networking.k8s.io/referencegrant_v1.json': referenceGrant('v1'),
  'gateway.networking.k8s.io/referencegrant_v1beta1.json': referenceGrant('v1beta1'),
  'inference.networking.k8s.io/inferencepool_v1.json': {
    doc: {
      apiVersion: 'inference.networking.k8s.io/v1',
      kind: 'InferencePool',
      metadata: meta('granite-pool', 'llm'),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'granite-3-3-8b' } },
        targetPorts: [{ number: 8000 }],
        endpointPickerRef: { group: '', kind: 'Service', name: 'granite-epp', port: { number: 9002 }, failureMode: 'FailClose' },
      },
    },
    deep: ['spec', 'endpointPickerRef', 'port'],
    required: ['spec', 'targetPorts'],
  },
  'serving.kserve.io/llminferenceservice_v1alpha1.json': llmisvc('v1alpha1'),
  'serving.kserve.io/llminferenceservice_v1alpha2.json': llmisvc('v1alpha2'),
  'llamastack.io/llamastackdistribution_v1alpha1.json': {
    doc: {
      apiVersion: 'llamastack.io/v1alpha1',
      kind: 'LlamaStackDistribution',
      metadata: meta('llama-stack', 'llm'),
      spec: {
        replicas: 1,
        server: {
          distribution: { name: 'starter' },
          containerSpec: {
            name: 'llama-stack',
            port: 8321,
            resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } },
            env: [
              { name: 'VLLM_URL', value: 'http://granite-3-3-8b-kserve-workload-svc.llm.svc:8000/v1' },
              { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'llamastack-db', key: 'password' } } },
            ],
          },
          userConfig: { configMapName: 'llama-stack-config' },
          storage: { size: '5Gi', mountPath: '/home/lls/.lls' },
          podDisruptionBudget: { maxUnavailable: 1 },
          podOverrides: {
            serviceAccountName: 'llama-stack',
            volumes: [{ name: 'ca-bundle', configMap: { name: 'catalyst-ca-bundle' } }],
            volumeMounts: [{ name: 'ca-bundle', mountPath: '/etc/pki/catalyst', readOnly: true }],
          },
        },
        network: { exposeRoute: false, allowedFrom: { namespaces: ['catalyst-ui'] } },
      },
    },
    deep: ['spec', 'server', 'containerSpec'],
    required: ['spec', 'server', 'distribution'],
  },
  'mcp.kuadrant.io/mcpgatewayextension_v1.json': {
    doc: {
      apiVersion: 'mcp.kuadrant.io/v1',
      kind: 'MCPGatewayExtension',
      metadata: meta('catalyst-mcp', 'gateway-system'),
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'catalyst-gateway', sectionName: 'mcp' },
        publicHost: 'mcp.catalyst.example.org',
        logLevel: 'info',
      },
    },
    deep: ['spec', 'targetRef'],
    required: ['spec', 'targetRef', 'sectionName'],
  },
  'mcp.kuadrant.io/mcpserverregistration_v1.json': {
    doc: {
      apiVersion: 'mcp.kuadrant.io/v1',
      kind: 'MCPServerRegistration',
      metadata: meta('github', 'mcp'),
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'github-mcp' },
        prefix: 'github_',
        path: '/mcp',
        credentialRef: { name: 'github-mcp-token', key: 'token' },
        state: 'Enabled',
      },
    },
    deep: ['spec', 'credentialRef'],
    required: ['spec', 'targetRef'],
  },
  'mcp.kuadrant.io/mcpvirtualserver_v1.json': {
    doc: {
      apiVersion: 'mcp.kuadrant.io/v1',
      kind: 'MCPVirtualServer',
      metadata: meta('issue-triage', 'mcp'),
      spec: { description: 'Tools for the triage agent', tools: ['github_list_issues', 'github_get_issue'] },
    },
    deep: ['spec'],
    required: ['spec', 'tools'],
  },
  'kuadrant.io/authpolicy_v1.json': {
    doc: {
      apiVersion: 'kuadrant.io/v1',
      kind: 'AuthPolicy',
      metadata: meta('granite-openai', 'llm'),
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'granite-openai' },
        rules: {
          authentication: {
            keycloak: {
              jwt: { issuerUrl: 'https://keycloak.catalyst.example.org/realms/catalyst' },
              when: [{ predicate: "request.path != '/health'" }],
            },
          },
          authorization: {
            'llm-users': {
              patternMatching: { patterns: [{ selector: 'auth.identity.groups', operator: 'incl', value: 'llm-users' }] },
            },
          },
          response: { unauthenticated: { code: 401, message: { value: 'login required' } } },
        },
      },
    },
    deep: ['spec', 'rules', 'authentication', 'keycloak', 'jwt'],
    required: ['spec', 'targetRef', 'kind'],
  },
  'kuadrant.io/kuadrant_v1beta1.json': {
    doc: {
      apiVersion: 'kuadrant.io/v1beta1',
      kind: 'Kuadrant',
      metadata: meta('kuadrant', 'kuadrant-system'),
      spec: { observability: { enable: true, tracing: { defaultEndpoint: 'rpc://otel-collector.catalyst-observability:4317', insecure: true } } },
    },
    deep: ['spec', 'observability', 'tracing'],
    required: ['metadata', 'name'],
  },
  'kuadrant.io/ratelimitpolicy_v1.json': {
    doc: {
      apiVersion: 'kuadrant.io/v1',
      kind: 'RateLimitPolicy',
      metadata: meta('granite-openai', 'llm'),
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'granite-openai' },
        limits: {
          'per-user': {
            rates: [{ limit: 100, window: '1m' }],
            counters: [{ expression: 'auth.identity.sub' }],
            when: [{ predicate: "request.method == 'POST'" }],
          },
        },
      },
    },
    deep: ['spec', 'limits', 'per-user', 'rates', 0],
    required: ['spec', 'targetRef', 'name'],
  },
  'agent.kagenti.dev/agentruntime_v1alpha1.json': agentRuntime('agent.kagenti.dev'),
  'agent.kagenti.dev/agentcard_v1alpha1.json': agentCard('agent.kagenti.dev'),
  'agent.rossoctl.dev/agentruntime_v1alpha1.json': agentRuntime('agent.rossoctl.dev'),
  'agent.rossoctl.dev/agentcard_v1alpha1.json': agentCard('agent.rossoctl.dev'),
  'opentelemetry.io/opentelemetrycollector_v1beta1.json': {
    doc: {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: meta('otel', 'observability'),
      spec: {
        mode: 'deployment',
        replicas: 1,
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        config: {
          receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
          processors: { batch: {} },
          exporters: { 'otlp/tempo': { endpoint: 'tempo.observability:4317', tls: { insecure: true } } },
          service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['otlp/tempo'] } } },
        },
      },
    },
    deep: ['spec', 'config', 'service'],
    required: ['spec', 'config', 'receivers'],
  },
  'grafana.integreatly.org/grafanadashboard_v1beta1.json': {
    doc: {
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: meta('vllm', 'observability'),
      spec: {
        instanceSelector: { matchLabels: { dashboards: 'catalyst' } },
        folder: 'Catalyst',
        resyncPeriod: '10m',
        json: '{"title":"vLLM","panels":[]}',
      },
    },
    deep: ['spec', 'instanceSelector'],
    required: ['spec', 'instanceSelector'],
  },
  'grafana.integreatly.org/grafanadatasource_v1beta1.json': {
    doc: {
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDatasource',
      metadata: meta('prometheus', 'observability'),
      spec: {
        instanceSelector: { matchLabels: { dashboards: 'catalyst' } },
        datasource: {
          name: 'Prometheus',
          type: 'prometheus',
          access: 'proxy',
          url: 'http://prometheus-operated.observability.svc:9090',
          isDefault: true,
          jsonData: { timeInterval: '30s', httpMethod: 'POST' },
        },
      },
    },
    deep: ['spec', 'datasource'],
    required: ['spec', 'datasource'],
  },
};

// ------------------------------------------------------------------ tests

describe('schemas/crds: files', () => {
  it('has schema files, each with one example in this test', () => {
    expect(schemaFiles.length).toBeGreaterThan(30);
    expect(Object.keys(examples).sort()).toEqual(schemaFiles);
  });

  it.each(schemaFiles)('%s is pretty-printed draft-07 for one apiVersion/kind and compiles', (file) => {
    const text = readFileSync(join(ourDir, file), 'utf8');
    const schema = readJson(join(ourDir, file));
    expect(text).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');

    const [group, base] = file.split('/') as [string, string];
    const version = base.replace(/\.json$/, '').split('_')[1];
    const props = schema['properties'] as Json;
    expect(props['apiVersion']).toEqual({ type: 'string', const: `${group}/${version}` });
    const kind = (props['kind'] as Json)['const'];
    expect(typeof kind === 'string' && `${kind.toLowerCase()}_${version}.json`).toBe(base);
    expect(schema['required']).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    expect(schema['additionalProperties']).toBe(false);

    // metadata: name required (DNS-1123 subdomain), nothing unknown
    const metadata = resolve(schema, props['metadata'] as Json);
    expect(metadata['required']).toEqual(['name']);
    expect(metadata['additionalProperties']).toBe(false);

    expect(() => ours.compile(schema)).not.toThrow();
  });

  it.each(schemaFiles)('%s: every object level sets additionalProperties, every $ref is local', (file) => {
    const schema = readJson(join(ourDir, file));
    const problems: string[] = [];
    walkSchema(schema, '', (node, where) => {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        try {
          resolve(schema, node);
        } catch {
          problems.push(`${where}: $ref ${ref} does not resolve inside the file`);
        }
        return;
      }
      if (!isObjectType(node)) return;
      const ap = node['additionalProperties'];
      if (ap === undefined) problems.push(`${where}: additionalProperties not set`);
      else if (node['properties'] !== undefined && ap !== false) problems.push(`${where}: has properties but additionalProperties is not false`);
      else if (ap === true && typeof node['$comment'] !== 'string') problems.push(`${where}: free-form object without a $comment saying why`);
      else if (ap !== true && ap !== false && !isJson(ap)) problems.push(`${where}: additionalProperties is neither boolean nor a schema`);
    });
    expect(problems).toEqual([]);
  });
});

describe('schemas/crds: examples', () => {
  for (const [file, ex] of Object.entries(examples)) {
    describe(file, () => {
      it('the example passes our schema', () => {
        expect(errorsOf(validator('ours', file), ex.doc)).toEqual([]);
      });

      it.skipIf(!hasUpstream || !existsSync(join(upstreamDir, file)))('the example passes the upstream reference schema', () => {
        expect(errorsOf(validator('upstream', file), ex.doc)).toEqual([]);
      });

      it('an unknown field at the top of spec fails', () => {
        expect(errorsOf(validator('ours', file), withUnknownField(ex.doc, ['spec']))).not.toEqual([]);
      });

      it('an unknown field deep inside spec fails', () => {
        expect(isJson(getAt(ex.doc, ex.deep))).toBe(true);
        const errors = errorsOf(validator('ours', file), withUnknownField(ex.doc, ex.deep));
        expect(errors.join('\n')).toContain('notAFieldUpstream');
      });

      it('an unknown metadata field, a bad name or a missing name fails', () => {
        const fn = validator('ours', file);
        expect(errorsOf(fn, withUnknownField(ex.doc, ['metadata']))).not.toEqual([]);
        expect(errorsOf(fn, withChange(ex.doc, ['metadata', 'name'], (p, k) => (p[k] = 'Not_A_DNS_Name')))).not.toEqual([]);
        expect(errorsOf(fn, without(ex.doc, ['metadata', 'name']))).not.toEqual([]);
      });

      it('a wrong apiVersion or kind fails', () => {
        const fn = validator('ours', file);
        expect(errorsOf(fn, withChange(ex.doc, ['apiVersion'], (p, k) => (p[k] = 'example.com/v1')))).not.toEqual([]);
        expect(errorsOf(fn, withChange(ex.doc, ['kind'], (p, k) => (p[k] = 'ConfigMap')))).not.toEqual([]);
      });

      it('a missing required field fails our schema', () => {
        expect(errorsOf(validator('ours', file), without(ex.doc, ex.required))).not.toEqual([]);
      });

      it.skipIf(!hasUpstream || !existsSync(join(upstreamDir, file)))('... and the upstream one too (same required list)', () => {
        expect(errorsOf(validator('upstream', file), without(ex.doc, ex.required))).not.toEqual([]);
      });
    });
  }
});

describe('schemas/crds: targeted strictness', () => {
  const llm = examples['serving.kserve.io/llminferenceservice_v1alpha2.json'];
  const app = examples['argoproj.io/application_v1alpha1.json'];
  const pool = examples['inference.networking.k8s.io/inferencepool_v1.json'];
  const rule = examples['monitoring.coreos.com/prometheusrule_v1.json'];
  if (!llm || !app || !pool || !rule) throw new Error('missing example');

  it('pod spec subset: a pod field outside the subset is rejected, free-form fields stay free', () => {
    const fn = validator('ours', 'serving.kserve.io/llminferenceservice_v1alpha2.json');
    expect(errorsOf(fn, withChange(llm.doc, ['spec', 'template', 'hostNetwork'], (p, k) => (p[k] = true)))).not.toEqual([]);
    const scheduler: PathKey[] = ['spec', 'router', 'scheduler', 'config', 'inline'];
    expect(errorsOf(fn, withUnknownField(llm.doc, scheduler))).toEqual([]);
    // resource quantities are int-or-string with the Kubernetes quantity pattern
    const limits: PathKey[] = ['spec', 'template', 'containers', 0, 'resources', 'limits', 'memory'];
    expect(errorsOf(fn, withChange(llm.doc, limits, (p, k) => (p[k] = 'lots')))).not.toEqual([]);
    expect(errorsOf(fn, withChange(llm.doc, limits, (p, k) => (p[k] = 1.5)))).not.toEqual([]);
  });

  it('Argo CD helm.valuesObject is free-form, helm itself is not', () => {
    const fn = validator('ours', 'argoproj.io/application_v1alpha1.json');
    expect(errorsOf(fn, withUnknownField(app.doc, ['spec', 'source', 'helm', 'valuesObject']))).toEqual([]);
    expect(errorsOf(fn, withUnknownField(app.doc, ['spec', 'source', 'helm']))).not.toEqual([]);
  });

  it('enums are enforced', () => {
    const fn = validator('ours', 'inference.networking.k8s.io/inferencepool_v1.json');
    const mode: PathKey[] = ['spec', 'endpointPickerRef', 'failureMode'];
    expect(errorsOf(fn, withChange(pool.doc, mode, (p, k) => (p[k] = 'FailSometimes')))).not.toEqual([]);
  });

  it('PrometheusRule expr is int-or-string', () => {
    const fn = validator('ours', 'monitoring.coreos.com/prometheusrule_v1.json');
    const expr: PathKey[] = ['spec', 'groups', 0, 'rules', 1, 'expr'];
    expect(errorsOf(fn, withChange(rule.doc, expr, (p, k) => (p[k] = 42)))).toEqual([]);
    expect(errorsOf(fn, withChange(rule.doc, expr, (p, k) => (p[k] = true)))).not.toEqual([]);
  });
});

// ------------------------------------------------------------------ upstream coverage

/** Our nodes that deliberately do not mirror upstream (see schemas/crds/README.md). */
function isDeliberateSubset(node: Json): boolean {
  const comment = node['$comment'];
  if (node['additionalProperties'] === true) return true;
  return typeof comment === 'string' && /strict subset|typed one level deep|embedded ObjectMeta/.test(comment);
}

const COMPARED = ['type', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'];

function compareToUpstream(up: Json, mineRaw: Json, mineRoot: Json, where: string, problems: string[]): void {
  const mine = resolve(mineRoot, mineRaw);
  if (isDeliberateSubset(mine)) return;
  for (const key of COMPARED) {
    if (JSON.stringify(up[key]) !== JSON.stringify(mine[key])) {
      problems.push(`${where}: ${key} upstream ${JSON.stringify(up[key])}, here ${JSON.stringify(mine[key])}`);
    }
  }
  const upRequired = [...((up['required'] as string[] | undefined) ?? [])].sort();
  const myRequired = [...((mine['required'] as string[] | undefined) ?? [])].sort();
  if (JSON.stringify(upRequired) !== JSON.stringify(myRequired)) {
    problems.push(`${where}: required upstream ${JSON.stringify(upRequired)}, here ${JSON.stringify(myRequired)}`);
  }
  const upProps = isJson(up['properties']) ? up['properties'] : {};
  const myProps = isJson(mine['properties']) ? mine['properties'] : {};
  for (const [k, v] of Object.entries(upProps)) {
    const m = myProps[k];
    if (!isJson(m)) problems.push(`${where}.${k}: upstream field missing here`);
    else if (isJson(v)) compareToUpstream(v, m, mineRoot, `${where}.${k}`, problems);
  }
  for (const k of Object.keys(myProps)) if (!(k in upProps)) problems.push(`${where}.${k}: not an upstream field`);
  if (isJson(up['items']) && isJson(mine['items'])) compareToUpstream(up['items'], mine['items'], mineRoot, `${where}[]`, problems);
  const upAp = up['additionalProperties'];
  const myAp = mine['additionalProperties'];
  if (isJson(upAp) && isJson(myAp)) compareToUpstream(upAp, myAp, mineRoot, `${where}{}`, problems);
  else if (isJson(upAp) !== isJson(myAp)) problems.push(`${where}: map in one schema, not in the other`);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const u = up[key];
    const m = mine[key];
    if (Array.isArray(u) !== Array.isArray(m) || (Array.isArray(u) && Array.isArray(m) && u.length !== m.length)) {
      problems.push(`${where}: ${key} differs`);
    }
  }
}

describe.skipIf(!hasUpstream)('schemas/crds: upstream coverage', () => {
  it.each(schemaFiles.filter((f) => existsSync(join(upstreamDir, f))))('%s knows every upstream field with the same type, enum, pattern and required list', (file) => {
    const mine = readJson(join(ourDir, file));
    const up = readJson(join(upstreamDir, file));
    const problems: string[] = [];
    const upProps = up['properties'] as Json;
    const myProps = mine['properties'] as Json;
    for (const [k, v] of Object.entries(upProps)) {
      if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
      const m = myProps[k];
      if (!isJson(m)) problems.push(`${k}: upstream field missing here`);
      else compareToUpstream(v as Json, m, mine, k, problems);
    }
    for (const k of Object.keys(myProps)) if (!(k in upProps)) problems.push(`${k}: not an upstream field`);
    for (const r of (up['required'] as string[] | undefined) ?? []) {
      if (!((mine['required'] as string[]).includes(r))) problems.push(`top level: ${r} required upstream, not here`);
    }
    expect(problems).toEqual([]);
  });
});
