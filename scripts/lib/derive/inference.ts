/**
 * Facts of the inference layer: the models an environment serves (`models:`), where each one
 * is reached, the Gateway KServe's managed routes attach to, and the Llama Stack server (its URL
 * and its rendered run config). Agents, benchmarks and UIs read `facts.models` and
 * `facts.llamaStack.url`; they never copy a model name or a service URL.
 */
import { isPlainObject } from '../config/merge.ts';
import type { Plan } from '../plan/plan.ts';
import type { EnvConfig, ResolvedEnv } from '../config/resolve.ts';
import { callerNamespaces, component, serviceHost } from './common.ts';
import type { McpFacts } from './mcp.ts';
import type { PlatformFacts } from './platform.ts';

export const MODELS_APP = 'models';
export const LLAMA_STACK_APP = 'llama-stack';
export const GATEWAY_APP = 'inference-gateway';

/** The Gateway the kserve chart names as its ingress gateway (overlays/kserve/values.yaml.hbs). */
export const GATEWAY_NAME = 'kserve-ingress-gateway';
export const GATEWAY_CLASS = 'istio';
export const GATEWAY_PORT = 80;
/** Port vLLM listens on in every KServe workload pod. */
export const VLLM_PORT = 8000;
/** The LlamaStackDistribution name; the operator names its Service `<name>-service`. */
export const LLAMA_STACK_NAME = 'llama-stack';
export const LLAMA_STACK_PORT = 8321;
/** ServiceAccounts fixed in base/models and base/llama-stack. */
export const MODEL_SERVICE_ACCOUNT = 'model-server';
export const LLAMA_STACK_SERVICE_ACCOUNT = 'llama-stack';
/** The user ConfigMap (key config.yaml, operator >= v0.6.0). */
export const LLAMA_STACK_CONFIGMAP = 'llama-stack-config';
/** PostgreSQL role of Llama Stack (facts.postgres.roles.llamastack) and its databases by purpose. */
export const LLAMA_STACK_PG_ROLE = 'llamastack';
export const LLAMA_STACK_PG_DATABASES = { vectors: 'vectors', kvsql: 'llamastack' } as const;

export type ModelRole = 'llm' | 'embedding';

export interface Scorers {
  queue?: number;
  kvCacheUtilization?: number;
  prefixCache?: number;
}

/** One entry of `models:` as the schema allows it. */
export interface ModelConfig {
  name: string;
  /** false: not served in this environment (modelsOf leaves it out). */
  enabled?: boolean;
  role: ModelRole;
  uri: string;
  servedName: string;
  replicas?: number;
  tensorParallelism: number;
  mig?: string;
  embeddingDimension?: number;
  maxModelLen?: number;
  maxTokens?: number;
  toolCallParser?: string;
  prefixCaching?: boolean;
  gpuMemoryUtilization?: number;
  extraArgs?: string[];
  resources?: Resources;
  shmSize?: string;
  startupTimeoutSeconds?: number;
  scheduler?: Scorers;
}

type ResourceList = Record<string, string>;
interface Resources {
  requests: ResourceList;
  limits: ResourceList;
}

/** The models an environment serves: its `models:` list without the entries set to `enabled: false`. */
export function modelsOf(config: EnvConfig): ModelConfig[] {
  return Array.isArray(config.models) ? (config.models as ModelConfig[]).filter((m) => m.enabled !== false) : [];
}

/** Names of the models an environment serves, in file order (for the agents' and benchmarks' rules). */
export function modelNames(env: ResolvedEnv | EnvConfig): string[] {
  const config = 'config' in env && isPlainObject((env as ResolvedEnv).config) ? (env as ResolvedEnv).config : (env as EnvConfig);
  return modelsOf(config).map((m) => m.name);
}

/** What other components know about a served model. */
export interface ModelFact {
  name: string;
  role: ModelRole;
  /** The OpenAI `model` value clients send. */
  servedName: string;
  embeddingDimension?: number;
  maxTokens: number;
  /**
   * OpenAI base URL in the cluster, through the Gateway and the llm-d scheduler: KServe's
   * managed HTTPRoute matches /<namespace>/<name>/v1 and rewrites it to /v1 on the model's
   * InferencePool. Going through the route (not the workload Service) is what makes the
   * scheduler's queue, KV-cache and prefix-cache scoring apply to the traffic.
   */
  endpoint: string;
  /** The workload Service directly, bypassing the scheduler (for debugging and metrics). */
  serviceUrl: string;
  /** Llama Stack's provider id and registered model id for this model. */
  providerId: string;
  modelId: string;
  /** How the models component renders this model (its template input). */
  serving: ModelServing;
}

export interface ModelServing {
  uri: string;
  replicas: number;
  tensorParallelism: number;
  /** `nvidia.com/gpu` or `nvidia.com/mig-<profile>`, with the count per replica. */
  gpuResource: string;
  gpuCount: number;
  resources: { requests: ResourceList; limits: ResourceList };
  shmSize: string;
  /** vLLM flags, passed as VLLM_ADDITIONAL_ARGS (KServe's template adds model, port and TP). */
  vllmArgs: string;
  startupProbe: { periodSeconds: number; failureThreshold: number };
  /** HTTPS when KServe serves vLLM with its self-signed certificate (components.models.workloadTls). */
  scheme: 'HTTPS' | 'HTTP';
  /** Where the pods run: the env's GPU nodes. */
  nodeSelector: Record<string, string>;
  tolerations: Record<string, unknown>[];
  /** The inline EndpointPickerConfig of router.scheduler. */
  schedulerConfig: Record<string, unknown>;
  scorers: Required<Scorers>;
}

const SCORER_PLUGINS: Record<keyof Scorers, string> = {
  queue: 'queue-scorer',
  kvCacheUtilization: 'kv-cache-utilization-scorer',
  prefixCache: 'prefix-cache-scorer',
};

/** The llm-d EndpointPickerConfig for a set of scorer weights (a weight of 0 leaves the scorer out). */
export function endpointPickerConfig(apiVersion: string, scorers: Required<Scorers>): Record<string, unknown> {
  const active = (Object.keys(SCORER_PLUGINS) as (keyof Scorers)[]).filter((k) => scorers[k] > 0);
  return {
    apiVersion,
    kind: 'EndpointPickerConfig',
    plugins: [
      { type: 'single-profile-handler' },
      ...active.map((k) => ({ type: SCORER_PLUGINS[k] })),
      { type: 'max-score-picker' },
    ],
    schedulingProfiles: [
      {
        name: 'default',
        plugins: [...active.map((k) => ({ pluginRef: SCORER_PLUGINS[k], weight: scorers[k] })), { pluginRef: 'max-score-picker' }],
      },
    ],
  };
}

/** vLLM flags of one model, in a stable order. */
export function vllmArgs(m: ModelConfig): string[] {
  const args: string[] = [];
  if (m.maxModelLen !== undefined) args.push(`--max-model-len=${m.maxModelLen}`);
  if (m.gpuMemoryUtilization !== undefined) args.push(`--gpu-memory-utilization=${m.gpuMemoryUtilization}`);
  if (m.role === 'embedding') {
    // A pooling runner (Qwen3-Embedding is a causal-LM architecture that vLLM would otherwise
    // serve for generation); prefix caching only when asked for.
    args.push('--runner=pooling');
    if (m.prefixCaching === true) args.push('--enable-prefix-caching');
  } else {
    args.push(m.prefixCaching === false ? '--no-enable-prefix-caching' : '--enable-prefix-caching');
    if (m.toolCallParser) args.push('--enable-auto-tool-choice', `--tool-call-parser=${m.toolCallParser}`);
  }
  args.push('--disable-uvicorn-access-log');
  args.push(...(m.extraArgs ?? []));
  return args;
}

interface ModelsSettings {
  workloadTls?: boolean;
  hfToken?: { secretName: string; remoteKey: string; property: string };
  resources?: Record<ModelRole, Resources>;
  shmSize?: string;
  startupTimeoutSeconds?: Record<ModelRole, number>;
  scheduler?: { configApiVersion?: string; scorers?: Scorers };
}

/** Startup probe period; the failure threshold covers the model's startup timeout. */
const STARTUP_PERIOD_SECONDS = 10;
const DEFAULT_MAX_TOKENS = 4096;

function modelFact(m: ModelConfig, s: ModelsSettings, ns: string, gatewayUrl: string, gpu: EnvConfig['cluster']['gpu']): ModelFact {
  const gpuResource = m.mig ? `nvidia.com/mig-${m.mig}` : 'nvidia.com/gpu';
  const gpuCount = m.tensorParallelism;
  const base = m.resources ?? s.resources?.[m.role] ?? { requests: {}, limits: {} };
  const resources = {
    requests: { ...base.requests, [gpuResource]: String(gpuCount) },
    limits: { ...base.limits, [gpuResource]: String(gpuCount) },
  };
  const scorers: Required<Scorers> = { queue: 0, kvCacheUtilization: 0, prefixCache: 0, ...s.scheduler?.scorers, ...m.scheduler };
  const timeout = m.startupTimeoutSeconds ?? s.startupTimeoutSeconds?.[m.role] ?? 1800;
  const fact: ModelFact = {
    name: m.name,
    role: m.role,
    servedName: m.servedName,
    maxTokens: m.maxTokens ?? DEFAULT_MAX_TOKENS,
    endpoint: `${gatewayUrl}/${ns}/${m.name}/v1`,
    serviceUrl: `${s.workloadTls === false ? 'http' : 'https'}://${m.name}-kserve-workload-svc.${ns}.svc.cluster.local:${VLLM_PORT}/v1`,
    providerId: m.name,
    modelId: m.servedName,
    serving: {
      uri: m.uri,
      replicas: m.replicas ?? 1,
      tensorParallelism: m.tensorParallelism,
      gpuResource,
      gpuCount,
      resources,
      shmSize: m.shmSize ?? s.shmSize ?? '8Gi',
      vllmArgs: vllmArgs(m).join(' '),
      startupProbe: { periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.ceil(timeout / STARTUP_PERIOD_SECONDS) },
      scheme: s.workloadTls === false ? 'HTTP' : 'HTTPS',
      nodeSelector: { ...gpu?.nodeSelector },
      tolerations: [...(gpu?.tolerations ?? [])],
      schedulerConfig: endpointPickerConfig(s.scheduler?.configApiVersion ?? 'inference.networking.x-k8s.io/v1alpha1', scorers),
      scorers,
    },
  };
  if (m.embeddingDimension !== undefined) fact.embeddingDimension = m.embeddingDimension;
  return fact;
}

/** An MCP server Llama Stack reaches through the MCP gateway. */
export interface McpServerRef {
  name: string;
  url: string;
}

/**
 * The MCP servers of an environment, read from the MCP layer's env section when there is one:
 * `mcp.servers: [{name, enabled?, url?}]` and `mcp.gateway.url` (the gateway's MCP endpoint).
 * A server without its own url is reached at the gateway URL. No section, no servers: the MCP
 * layer adds data here, nothing in this layer changes.
 */
export function mcpServers(mcp: McpFacts['mcp']): McpServerRef[] {
  if (!mcp.enabled) return [];
  return mcp.servers.filter((s) => s.enabled).map((s) => ({ name: s.name, url: mcp.gateway.url }));
}

interface LlamaStackSettings {
  defaultModel?: string;
  defaultEmbeddingModel?: string;
  distanceMetric?: string;
  vectorIndex?: { m: number; efConstruction: number; efSearch: number };
}

/** The first model of a role, or the one named in the settings. */
export function pickModel(models: ModelFact[], role: ModelRole, name: string | undefined): ModelFact | undefined {
  return models.find((m) => m.role === role && (name === undefined || m.name === name));
}

/**
 * The Llama Stack run config (operator v0.9.0 ConfigMap key `config.yaml`, distribution 0.7.x
 * field names). Secrets are never in it: `${env.POSTGRES_USER}` / `${env.POSTGRES_PASSWORD}` come
 * from the role's ExternalSecret through the container environment.
 */
export function llamaStackRunConfig(args: {
  models: ModelFact[];
  settings: LlamaStackSettings;
  postgres: { host: string; port: number; databases: Record<string, { name: string }> };
  mcp: McpServerRef[];
}): Record<string, unknown> {
  const { models, settings, postgres, mcp } = args;
  const pg = (purpose: keyof typeof LLAMA_STACK_PG_DATABASES): string =>
    postgres.databases[LLAMA_STACK_PG_DATABASES[purpose]]?.name ?? LLAMA_STACK_PG_DATABASES[purpose];
  const conn = (db: string) => ({
    host: postgres.host,
    port: postgres.port,
    db,
    user: '${env.POSTGRES_USER}',
    password: '${env.POSTGRES_PASSWORD}',
  });
  const index = settings.vectorIndex ?? { m: 16, efConstruction: 64, efSearch: 40 };
  const embedding = pickModel(models, 'embedding', settings.defaultEmbeddingModel);
  const config: Record<string, unknown> = {
    version: 2,
    distro_name: 'catalyst',
    apis: ['files', 'inference', 'responses', 'tool_runtime', 'vector_io'],
    providers: {
      inference: models.map((m) => ({
        provider_id: m.providerId,
        provider_type: 'remote::vllm',
        config: { base_url: m.endpoint, max_tokens: m.maxTokens, api_token: '${env.VLLM_API_TOKEN:=fake}' },
      })),
      vector_io: [
        {
          provider_id: 'pgvector',
          provider_type: 'remote::pgvector',
          config: {
            ...conn(pg('vectors')),
            distance_metric: settings.distanceMetric ?? 'COSINE',
            vector_index: { type: 'HNSW', m: index.m, ef_construction: index.efConstruction, ef_search: index.efSearch },
            persistence: { namespace: 'vector_io::pgvector', backend: 'kv_default' },
          },
        },
      ],
      responses: [
        {
          provider_id: 'builtin',
          provider_type: 'inline::builtin',
          config: {
            persistence: { responses: { table_name: 'responses', backend: 'sql_default', max_write_queue_size: 10000, num_writers: 4 } },
          },
        },
      ],
      tool_runtime: [
        { provider_id: 'file-search', provider_type: 'inline::file-search', config: {} },
        { provider_id: 'model-context-protocol', provider_type: 'remote::model-context-protocol', config: {} },
      ],
      files: [
        {
          provider_id: 'localfs',
          provider_type: 'inline::localfs',
          config: { storage_dir: '/.llama/files', metadata_store: { table_name: 'files_metadata', backend: 'sql_default' } },
        },
      ],
    },
    storage: {
      backends: {
        kv_default: { type: 'kv_postgres', ...conn(pg('kvsql')), table_name: 'llamastack_kvstore' },
        sql_default: { type: 'sql_postgres', ...conn(pg('kvsql')) },
      },
      stores: {
        metadata: { namespace: 'registry', backend: 'kv_default' },
        inference: { table_name: 'inference_store', backend: 'sql_default', max_write_queue_size: 10000, num_writers: 4 },
        conversations: { table_name: 'openai_conversations', backend: 'sql_default' },
        prompts: { table_name: 'prompts', backend: 'sql_default' },
        connectors: { table_name: 'connectors', backend: 'sql_default' },
      },
    },
    registered_resources: {
      models: models.map((m) => ({
        model_id: m.modelId,
        provider_id: m.providerId,
        provider_model_id: m.servedName,
        model_type: m.role,
        metadata: m.role === 'embedding' ? { embedding_dimension: m.embeddingDimension } : {},
      })),
      tool_groups: [
        { toolgroup_id: 'builtin::file-search', provider_id: 'file-search' },
        ...mcp.map((s) => ({ toolgroup_id: `mcp::${s.name}`, provider_id: 'model-context-protocol', mcp_endpoint: { uri: s.url } })),
      ],
    },
    server: { port: LLAMA_STACK_PORT },
  };
  if (embedding) {
    config.vector_stores = {
      default_provider_id: 'pgvector',
      default_embedding_model: { provider_id: embedding.providerId, model_id: embedding.modelId },
    };
  }
  return config;
}

export function deriveInference(plan: Plan, platform: PlatformFacts, mcp: McpFacts) {
  const env = plan.env;
  const comp = (name: string) => component(plan, name);
  const ns = comp(MODELS_APP).app.namespace;
  const gwNs = comp(GATEWAY_APP).app.namespace;
  const gatewayService = `${GATEWAY_NAME}-${GATEWAY_CLASS}`;
  const gatewayHost = serviceHost(gatewayService, gwNs);
  const gatewayUrl = `http://${gatewayHost}`;
  const settings = comp(MODELS_APP).settings as ModelsSettings;
  // Only served models are facts: with the models component off, nothing points at them.
  const served = comp(MODELS_APP).enabled ? modelsOf(env.config) : [];
  const models = served.map((m) => modelFact(m, settings, ns, gatewayUrl, env.config.cluster.gpu));

  const ls = comp(LLAMA_STACK_APP);
  const lsNs = ls.app.namespace;
  const prefix = platform.secretStore.keyPrefix;
  // Who may call Llama Stack: the namespaces of enabled components that declare talksTo llama-stack.
  const allowedNamespaces = callerNamespaces(plan, LLAMA_STACK_APP);
  const lsSettings = ls.settings as LlamaStackSettings;
  const hf = settings.hfToken ?? { secretName: 'hf-token', remoteKey: 'huggingface', property: 'token' };
  return {
    inference: {
      namespace: ns,
      serviceAccount: MODEL_SERVICE_ACCOUNT,
      gateway: {
        name: GATEWAY_NAME,
        namespace: gwNs,
        className: GATEWAY_CLASS,
        port: GATEWAY_PORT,
        service: gatewayService,
        url: gatewayUrl,
        /** The kserve chart's `namespace/name` reference. */
        ref: `${gwNs}/${GATEWAY_NAME}`,
      },
      /** The Hugging Face token: Secret <secretName>, key HF_TOKEN, from <remoteKey>/<property>. */
      hfToken: { secretName: hf.secretName, remoteKey: `${prefix}${hf.remoteKey}`, property: hf.property },
    },
    models,
    llamaStack: {
      enabled: ls.enabled,
      name: LLAMA_STACK_NAME,
      namespace: lsNs,
      serviceName: `${LLAMA_STACK_NAME}-service`,
      serviceAccount: LLAMA_STACK_SERVICE_ACCOUNT,
      port: LLAMA_STACK_PORT,
      /** In-cluster base URL of the Llama Stack API (OpenAI-compatible under /v1). */
      url: `http://${serviceHost(`${LLAMA_STACK_NAME}-service`, lsNs)}:${LLAMA_STACK_PORT}`,
      configMapName: LLAMA_STACK_CONFIGMAP,
      allowedNamespaces,
      defaultModel: pickModel(models, 'llm', lsSettings.defaultModel)?.modelId ?? null,
      defaultEmbeddingModel: pickModel(models, 'embedding', lsSettings.defaultEmbeddingModel)?.modelId ?? null,
      runConfig: llamaStackRunConfig({
        models,
        settings: lsSettings,
        postgres: { host: platform.postgres.host, port: platform.postgres.port, databases: platform.postgres.databases },
        mcp: mcpServers(mcp.mcp),
      }),
    },
  };
}

export type InferenceFacts = ReturnType<typeof deriveInference>;
