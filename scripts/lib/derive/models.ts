/**
 * The models an environment serves (`models:`): what other components know about each one
 * (its OpenAI endpoint through the gateway and scheduler, its Llama Stack ids) and how the
 * models component renders it (GPU resources, vLLM flags, probes, the scheduler config).
 */
import type { EnvConfig } from '../config/environment.ts';
import { gpuResourceOf } from '../config/gpu-accounting.ts';
import type { Model, ModelsSettings as ModelsComponentSettings, SchedulerScorers } from '../config/schema-types/index.ts';
import { modelWorkload, podFragment, routingSidecarOverride, STORAGE_INITIALIZER_OVERRIDE, vllmCapabilities, type ModelWorkload } from './model-workload.ts';

/**
 * The id Llama Stack 0.7.1 registers a model under, and the only one its router finds:
 * `<provider_id>/<provider_model_id>` (llamastack/llama-stack@v0.7.1:
 * src/llama_stack/core/routing_tables/models.py, register_model and update_registered_models;
 * lookup_model in routing_tables/common.py raises ModelNotFoundError for any other string). A
 * client that talks to vLLM directly sends the served name (provider_model_id) instead.
 */
export function llamaStackModelId(providerId: string, providerModelId: string): string {
  return `${providerId}/${providerModelId}`;
}

/** Port vLLM listens on in every KServe workload pod. */
export const VLLM_PORT = 8000;
/**
 * vLLM's own port in a P/D decode pod: preset kserve-config-llm-decode-template runs vLLM on 8001
 * behind the llm-d routing sidecar on 8000; the main container's probes must look there (FLOW003).
 */
export const DECODE_VLLM_PORT = 8001;
/** vLLM's NixlConnector in both roles (each pod sends and receives KV blocks). */
export const NIXL_KV_TRANSFER = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';

export type ModelRole = Model['role'];
type Scorers = SchedulerScorers;
type ModelConfig = Model;
type ResourceList = Record<string, string>;
interface Resources {
  requests: ResourceList;
  limits: ResourceList;
}

/** What other components know about a served model. */
/** A flow between one model's pods (catalog podFlows, kept when the model uses its capability). */
export interface PodFlow {
  name: string;
  ports: { port: number; endPort?: number }[];
  description: string;
}

export interface ModelFact {
  name: string;
  role: ModelRole;
  /** The flows between this model's pods its capabilities need (rendered into <name>-pod-flows). */
  podFlows: PodFlow[];
  /** The OpenAI `model` value clients send. */
  servedName: string;
  embeddingDimension?: number;
  maxTokens: number;
  /**
   * OpenAI base URL in the cluster, through the Gateway: KServe's managed HTTPRoute matches
   * /<namespace>/<name>/v1 and rewrites it to /v1 on the model's InferencePool (scored by the
   * llm-d scheduler) or, for a model without a scheduler, on its workload Service.
   */
  endpoint: string;
  /** The workload Service directly, bypassing the scheduler (for debugging and metrics). */
  serviceUrl: string;
  /** Llama Stack's provider id (one remote::vllm provider per model) for this model. */
  providerId: string;
  /** The id Llama Stack registers it under and the one every Llama Stack client sends: llamaStackModelId(providerId, servedName). */
  modelId: string;
  /** How the models component renders this model (its template input). */
  serving: ModelServing;
}

export interface ModelServing extends Omit<ModelWorkload, 'scheduler'> {
  /** The URI KServe loads: pvc://<cache>/<path> when the model is cached, else the model's uri. */
  uri: string;
  tensorParallelism: number;
  /** `nvidia.com/gpu` or `nvidia.com/mig-<profile>`, with the count per pod (tensor x dataLocal). */
  gpuResource: string;
  gpuCount: number;
  resources: { requests: ResourceList; limits: ResourceList };
  shmSize: string;
  /** vLLM flags, passed as VLLM_ADDITIONAL_ARGS (KServe's template adds model, port and TP). */
  vllmArgs: string;
  startupProbe: { periodSeconds: number; failureThreshold: number };
  /** HTTP: KServe v0.20 serves vLLM over TLS only with enableLLMInferenceServiceTLS (components.models.workloadTls). */
  scheme: 'HTTPS' | 'HTTP';
  /** The vLLM image replacing the preset's, or null to run the preset's. */
  image: string | null;
  /** An llm-d scheduler in front of the model (router.scheduler), or null without one. */
  scheduler: { labels: Record<string, string>; image: string | null } | null;
  /** spec.prefill (P/D disaggregation) and spec.worker (LeaderWorkerSet), or null. */
  prefill: Record<string, unknown> | null;
  worker: Record<string, unknown> | null;
  /** The storage-initializer override of every pod that downloads the model (model-workload.ts). */
  initContainers: Record<string, unknown>[];
  /** The endpoint picker's: the storage-initializer override only. */
  schedulerInitContainers: Record<string, unknown>[];
  /** automountServiceAccountToken of the main pod: only the P/D routing sidecar calls the API server. */
  automountToken: boolean;
  /** The port the main container's vLLM listens on (its probes): 8000, or 8001 behind the P/D routing sidecar. */
  probePort: number;
  /** capabilities.add of the main container, or null (multi-node: replaces the data-parallel preset's list). */
  capabilitiesAdd: string[] | null;
  /** Where the pods run: the env's GPU nodes. */
  nodeSelector: Record<string, string>;
  tolerations: Record<string, unknown>[];
  /** The inline EndpointPickerConfig of router.scheduler; null leaves KServe's default (P/D profiles with prefill). */
  schedulerConfig: Record<string, unknown> | null;
  scorers: Required<Scorers>;
}

const SCORER_PLUGINS: Record<keyof Scorers, string> = {
  queue: 'queue-scorer',
  kvCacheUtilization: 'kv-cache-utilization-scorer',
  prefixCache: 'prefix-cache-scorer',
};

/** The llm-d EndpointPickerConfig for a set of scorer weights (a weight of 0 leaves the scorer out). */
/** KServe v0.20 adds this scorer (weight 4) when a model has LoRA adapters (ctl/scheduler.go:560-564). */
const LORA_SCORER = 'lora-affinity-scorer';

export function endpointPickerConfig(apiVersion: string, scorers: Required<Scorers>, lora = false): Record<string, unknown> {
  const active = (Object.keys(SCORER_PLUGINS) as (keyof Scorers)[]).filter((k) => scorers[k] > 0);
  const loraPlugins = lora ? [{ type: LORA_SCORER }] : [];
  const loraRefs = lora ? [{ pluginRef: LORA_SCORER, weight: 4 }] : [];
  return {
    apiVersion,
    kind: 'EndpointPickerConfig',
    plugins: [
      { type: 'single-profile-handler' },
      ...active.map((k) => ({ type: SCORER_PLUGINS[k] })),
      ...loraPlugins,
      { type: 'max-score-picker' },
    ],
    schedulingProfiles: [
      {
        name: 'default',
        plugins: [...active.map((k) => ({ pluginRef: SCORER_PLUGINS[k], weight: scorers[k] })), ...loraRefs, { pluginRef: 'max-score-picker' }],
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
    // Answer the OpenAI `dimensions` Llama Stack sends (embedding_dimension, openai_vector_store_mixin.py:1026-1030):
    // vLLM serves reduced dimensions only for a model it treats as Matryoshka (vLLM pooling models docs).
    if (m.matryoshka === true) args.push('--hf-overrides={"is_matryoshka":true}'); // no blank: VLLM_ADDITIONAL_ARGS is word-split
    if (m.prefixCaching === true) args.push('--enable-prefix-caching');
  } else {
    args.push(m.prefixCaching === false ? '--no-enable-prefix-caching' : '--enable-prefix-caching');
    if (m.toolCallParser) args.push('--enable-auto-tool-choice', `--tool-call-parser=${m.toolCallParser}`);
  }
  args.push('--disable-uvicorn-access-log');
  // P/D: decode and prefill exchange the KV cache over NIXL (the llm-d sidecar's
  // --kv-connector=nixlv2 expects it); single quotes survive the preset's `eval`.
  if (m.prefill) args.push(`--kv-transfer-config '${NIXL_KV_TRANSFER}'`);
  args.push(...(m.extraArgs ?? []));
  return args;
}

export interface ModelsSettings extends Omit<ModelsComponentSettings, 'resources' | 'startupTimeoutSeconds' | 'scheduler'> {
  workloadTls?: boolean;
  runAsUser?: number;
  hfToken?: { secretName: string; remoteKey: string; property: string };
  resources?: Record<ModelRole, Resources>;
  shmSize?: string;
  startupTimeoutSeconds?: Record<ModelRole, number>;
  scheduler?: { configApiVersion?: string; scorers?: Scorers; image?: string };
}

/** Startup probe period; the failure threshold covers the model's startup timeout. */
const STARTUP_PERIOD_SECONDS = 10;
const DEFAULT_MAX_TOKENS = 4096;

/** Resources of a pod with `count` GPUs of `resource`. */
function withGpus(base: Resources, resource: string, count: number): Resources {
  return {
    requests: { ...base.requests, [resource]: String(count) },
    limits: { ...base.limits, [resource]: String(count) },
  };
}

export function modelFact(m: ModelConfig, s: ModelsSettings, ns: string, gatewayUrl: string, gpu: EnvConfig['cluster']['gpu'], serviceAccount: string, fillImage: string): ModelFact {
  const gpuResource = gpuResourceOf(m);
  const gpuCount = m.tensorParallelism * (m.multiNode?.dataLocal ?? 1);
  const base = (m.resources ?? s.resources?.[m.role] ?? { requests: {}, limits: {} }) as Resources;
  const resources = withGpus(base, gpuResource, gpuCount);
  const scorers: Required<Scorers> = { queue: 0, kvCacheUtilization: 0, prefixCache: 0, ...s.scheduler?.scorers, ...m.scheduler };
  const timeout = m.startupTimeoutSeconds ?? s.startupTimeoutSeconds?.[m.role] ?? 1800;
  const scheme = s.workloadTls === true ? 'HTTPS' : 'HTTP';
  const { scheduler, ...workload } = modelWorkload(m, s as ModelsComponentSettings, fillImage);
  const nodeSelector = { ...gpu?.nodeSelector };
  const tolerations = [...(gpu?.tolerations ?? [])] as Record<string, unknown>[];
  const args = vllmArgs(m).join(' ');
  const fragment = (res: Resources, multiNode: boolean) =>
    podFragment({
      multiNode,
      nixl: m.prefill !== undefined,
      serviceAccount,
      runAsUser: s.runAsUser ?? 2000,
      nodeSelector,
      tolerations,
      priorityClassName: workload.priorityClassName,
      image: s.image ?? null,
      vllmArgs: args,
      resources: res,
    });
  const prefill = m.prefill
    ? {
        replicas: m.prefill.replicas,
        // KServe labels prefill pods with spec.prefill.labels only (not spec.labels).
        labels: { 'catalyst.dev/component': 'models', 'catalyst.dev/model': m.name },
        parallelism: { tensor: m.prefill.tensorParallelism },
        template: fragment(withGpus((m.prefill.resources as Resources | undefined) ?? base, gpuResource, m.prefill.tensorParallelism), false),
      }
    : null;
  const fact: ModelFact = {
    name: m.name,
    podFlows: [],
    role: m.role,
    servedName: m.servedName,
    maxTokens: m.maxTokens ?? DEFAULT_MAX_TOKENS,
    endpoint: `${gatewayUrl}/${ns}/${m.name}/v1`,
    serviceUrl: `${scheme.toLowerCase()}://${m.name}-kserve-workload-svc.${ns}.svc.cluster.local:${VLLM_PORT}/v1`,
    providerId: m.name,
    modelId: llamaStackModelId(m.name, m.servedName),
    serving: {
      ...workload,
      uri: workload.cache ? `pvc://${workload.cache.claimName}/${workload.cache.path}` : m.uri,
      tensorParallelism: m.tensorParallelism,
      gpuResource,
      gpuCount,
      resources,
      shmSize: m.shmSize ?? s.shmSize ?? '8Gi',
      vllmArgs: args,
      startupProbe: { periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.ceil(timeout / STARTUP_PERIOD_SECONDS) },
      scheme,
      image: s.image ?? null,
      scheduler: scheduler ? { labels: { 'catalyst.dev/component': 'models', 'catalyst.dev/model': m.name }, image: s.scheduler?.image ?? null } : null,
      prefill,
      worker: m.multiNode ? fragment(resources, true) : null,
      initContainers: m.prefill ? [STORAGE_INITIALIZER_OVERRIDE, routingSidecarOverride(m.name, ns, scheme === 'HTTPS')] : [STORAGE_INITIALIZER_OVERRIDE],
      schedulerInitContainers: [STORAGE_INITIALIZER_OVERRIDE],
      // The P/D routing sidecar watches its InferencePool: the decode pod needs a token.
      automountToken: m.prefill !== undefined,
      probePort: m.prefill ? DECODE_VLLM_PORT : VLLM_PORT,
      capabilitiesAdd: (vllmCapabilities(m.multiNode !== undefined).add as string[] | undefined) ?? null,
      nodeSelector,
      tolerations,
      schedulerConfig: m.prefill
        ? null
        : endpointPickerConfig(s.scheduler?.configApiVersion ?? 'inference.networking.x-k8s.io/v1alpha1', scorers, m.lora !== undefined),
      scorers,
    },
  };
  if (m.embeddingDimension !== undefined) fact.embeddingDimension = m.embeddingDimension;
  return fact;
}
