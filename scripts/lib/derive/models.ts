/**
 * The models an environment serves (`models:`): what other components know about each one
 * (its OpenAI endpoint through the gateway and scheduler, its Llama Stack ids) and how the
 * models component renders it (GPU resources, vLLM flags, probes, the scheduler config).
 */
import type { EnvConfig } from '../config/environment.ts';
import type { Model, ModelsSettings, SchedulerScorers } from '../config/schema-types.ts';

/** Port vLLM listens on in every KServe workload pod. */
export const VLLM_PORT = 8000;

export type ModelRole = Model['role'];
type Scorers = SchedulerScorers;
type ModelConfig = Model;
type ResourceList = Record<string, string>;

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

/** Startup probe period; the failure threshold covers the model's startup timeout. */
const STARTUP_PERIOD_SECONDS = 10;
const DEFAULT_MAX_TOKENS = 4096;

export function modelFact(m: ModelConfig, s: ModelsSettings, ns: string, gatewayUrl: string, gpu: EnvConfig['cluster']['gpu']): ModelFact {
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
