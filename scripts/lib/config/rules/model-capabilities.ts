/**
 * Rules for the per-model capabilities of KServe v0.20 (spec.scaling, spec.model.lora,
 * spec.prefill, spec.worker, pvc:// model cache, priority classes) and for what the webhook
 * and the presets really accept (kserve/kserve@v0.20.0, cited in docs/VERSIONS.md).
 */
import { MODELS_APP, modelsOf } from '../components.ts';
import { componentSettings, type ResolvedEnv } from '../environment.ts';
import { peakReplicas } from '../gpu-accounting.ts';
import type { Model } from '../schema-types/index.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

const LWS_APP = 'lws';
/** vLLM flags KServe's LoRA injection sets itself (workload_lora.go: it skips injection when --lora-modules is present). */
const LORA_FLAGS = ['--enable-lora', '--lora-modules', '--max-lora-rank', '--max-loras', '--max-cpu-loras'];

function each(env: ResolvedEnv, check: (m: Model, at: string, out: Finding[]) => void): Finding[] {
  if (!env.components.get(MODELS_APP)?.enabled) return [];
  const out: Finding[] = [];
  modelsOf(env.config).forEach((m, i) => check(m, `/models/${i}`, out));
  return out;
}

/** spec.scaling: not with replicas (CEL), one actuator, min <= max, KEDA idle count below min. */
export const modelScaling: EnvRule = (env) =>
  each(env, (m, at, out) => {
    const s = m.scaling;
    if (!s) return;
    if (m.replicas !== undefined) out.push(finding(env, `${at}/replicas`, `model "${m.name}" sets both replicas and scaling: KServe v0.20 accepts only one (replicas follow the autoscaler)`));
    if (!s.hpa === !s.keda) out.push(finding(env, `${at}/scaling`, `scaling of model "${m.name}" needs exactly one actuator: hpa or keda`));
    const min = s.minReplicas ?? 1;
    if (min > s.maxReplicas) out.push(finding(env, `${at}/scaling/minReplicas`, `minReplicas ${min} is above maxReplicas ${s.maxReplicas}`));
    const idle = s.keda?.idleReplicaCount;
    if (idle !== undefined && idle >= min) out.push(finding(env, `${at}/scaling/keda/idleReplicaCount`, `idleReplicaCount ${idle} must be below minReplicas ${min} (KServe v0.20 validation)`));
  });

/** spec.model.lora: adapter names unique, not the base model's, no hand-written LoRA flags. */
export const modelLora: EnvRule = (env) =>
  each(env, (m, at, out) => {
    if (!m.lora) return;
    if (m.role !== 'llm') out.push(finding(env, `${at}/lora`, `LoRA adapters are for llm models; "${m.name}" is an ${m.role} model`));
    const seen = new Map<string, string>();
    m.lora.adapters.forEach((a, j) => {
      const p = `${at}/lora/adapters/${j}/name`;
      if (a.name === '.' || a.name === '..') out.push(finding(env, p, `adapter name "${a.name}" is not allowed`));
      if (a.name === m.servedName || a.name === m.name) out.push(finding(env, p, `adapter "${a.name}" has the base model's name: clients could not tell them apart`));
      const first = seen.get(a.name);
      if (first !== undefined) {
        const f = finding(env, first, '');
        out.push(finding(env, p, `adapter "${a.name}" is listed twice (first at ${f.file}:${f.line}, ${first})`));
      } else seen.set(a.name, p);
    });
    (m.extraArgs ?? []).forEach((arg, j) => {
      const flag = arg.split('=')[0]!;
      if (LORA_FLAGS.includes(flag)) out.push(finding(env, `${at}/extraArgs/${j}`, `${flag} is set by KServe from lora: (with --lora-modules it would skip the adapters)`));
    });
  });

/** spec.prefill: llm models only; the scheduler (always attached then) routes prefill to decode. */
export const modelPrefill: EnvRule = (env) =>
  each(env, (m, at, out) => {
    if (m.prefill && m.role !== 'llm') out.push(finding(env, `${at}/prefill`, `prefill/decode disaggregation is for llm models; "${m.name}" is an ${m.role} model`));
  });

/** spec.worker: data divides into whole pods, and the LeaderWorkerSet controller is installed. */
export const modelMultiNode: EnvRule = (env) =>
  each(env, (m, at, out) => {
    const mn = m.multiNode;
    if (!mn) return;
    if (mn.data % mn.dataLocal !== 0) out.push(finding(env, `${at}/multiNode/data`, `data ${mn.data} is not a multiple of dataLocal ${mn.dataLocal}: pods per group are data / dataLocal`));
    else if (mn.data / mn.dataLocal < 2) out.push(finding(env, `${at}/multiNode`, `data ${mn.data} / dataLocal ${mn.dataLocal} is one pod: that is not multi-node (drop multiNode)`));
    if (!env.components.get(LWS_APP)?.enabled) out.push(finding(env, `${at}/multiNode`, `model "${m.name}" runs on a LeaderWorkerSet: enable the ${LWS_APP} component`));
  });

/** The model cache: a fill Job downloads hf:// models; the cache PVC must be configured. */
export const modelCache: EnvRule = (env) =>
  each(env, (m, at, out) => {
    if (!m.cache) return;
    if (!m.uri.startsWith('hf://')) out.push(finding(env, `${at}/uri`, `model "${m.name}" uses the model cache: its uri must be hf:// (the fill Job downloads it into the cache PVC)`));
    if (!componentSettings(env, MODELS_APP)?.cache) out.push(finding(env, `${at}/cache`, `model "${m.name}" uses the model cache, but components.models.cache is not set`));
  });

/**
 * Pods of a cached model that read the cache during a rollout. KServe v0.20 builds a single-node
 * model (and its prefill pods) as a Deployment without a strategy (kserve/kserve@v0.20.0
 * pkg/controller/v1alpha2/llmisvc/workload_single_node.go), so Kubernetes' RollingUpdate default
 * applies: maxSurge 25% rounded up (kubernetes/kubernetes@v1.35.0 pkg/apis/apps/v1/defaults.go,
 * SetDefaults_Deployment; pkg/controller/deployment/util/deployment_util.go ResolveFenceposts),
 * one new pod or more before an old one stops. A multi-node model is a LeaderWorkerSet, whose
 * rolling update surges 0 by default (lws v0.9 RollingUpdateConfiguration maxSurge).
 */
function cacheReaders(m: Model): { steady: number; rollout: number } {
  const main = peakReplicas(m);
  const prefill = m.prefill?.replicas ?? 0;
  const surge = (n: number): number => (n > 0 ? Math.ceil(n / 4) : 0);
  const steady = main + prefill;
  return { steady, rollout: steady + (m.multiNode ? 0 : surge(main)) + surge(prefill) };
}

/**
 * A ReadWriteOnce cache attaches to one node: only pods on that node may read it. More than one
 * reader on a cluster of several GPU nodes, in steady state or during a rollout (the surge pod
 * waits on Multi-Attach while the old pod keeps the volume: the rollout never ends), is refused.
 * The advice names a new claim: a bound claim's access modes are immutable
 * (verify/api-server/update-rules.ts, UPD001).
 */
export const modelCacheAccess: EnvRule = (env) => {
  if (!env.components.get(MODELS_APP)?.enabled) return [];
  const cache = componentSettings(env, MODELS_APP)?.cache;
  if (cache?.accessMode !== 'ReadWriteOnce') return [];
  // One GPU node: every model pod runs there, and pods on one node share a ReadWriteOnce volume.
  if (env.config.cluster.gpu?.nodes === 1) return [];
  const readers = modelsOf(env.config).filter((m) => m.cache).map(cacheReaders);
  const pods = readers.reduce((a, r) => a + r.steady, 0);
  const rollout = readers.reduce((a, r) => a + r.rollout, 0);
  const advice = 'use ReadWriteMany with a new claimName (the access mode of an existing claim cannot change: the API server refuses it)';
  if (pods > 1) return [finding(env, '/components/models/cache/accessMode', `${pods} model pods read the model cache, but a ReadWriteOnce volume attaches to one node: ${advice}`)];
  if (rollout > 1) {
    return [finding(env, '/components/models/cache/accessMode', `a rollout of the cached model starts a second pod (RollingUpdate maxSurge 25%, rounded up) before the first stops, and a ReadWriteOnce volume attaches to one node: on another GPU node the new pod waits on Multi-Attach and the rollout never ends; ${advice}`)];
  }
  return [];
};

/** A model's priority class is one of components.models.priorityClasses. */
export const modelPriorityClass: EnvRule = (env) =>
  each(env, (m, at, out) => {
    if (!m.priorityClass) return;
    const classes = componentSettings(env, MODELS_APP)?.priorityClasses ?? {};
    if (!(m.priorityClass in classes)) {
      out.push(finding(env, `${at}/priorityClass`, `priority class "${m.priorityClass}" is not in components.models.priorityClasses (have: ${Object.keys(classes).join(', ') || 'none'})`));
    }
  });

/** Image pins come from one llm-d release: vLLM and endpoint picker overridden together or not at all. */
export const modelImagesPaired: EnvRule = (env) => {
  if (!env.components.get(MODELS_APP)?.enabled) return [];
  const s = componentSettings(env, MODELS_APP);
  if (!s || !s.image === !s.scheduler?.image) return [];
  const set = s.image ? '/components/models/image' : '/components/models/scheduler/image';
  return [finding(env, set, `components.models.image and scheduler.image replace the KServe preset's images together or not at all: a partial override mixes llm-d releases`)];
};

/** KServe v0.20 serves vLLM over HTTPS only with enableLLMInferenceServiceTLS, which its chart never renders. */
export const modelWorkloadTls: EnvRule = (env) => {
  if (!env.components.get(MODELS_APP)?.enabled || componentSettings(env, MODELS_APP)?.workloadTls !== true) return [];
  return [
    finding(
      env,
      '/components/models/workloadTls',
      'workloadTls: true needs enableLLMInferenceServiceTLS in the kserve ingress config, which the v0.20 kserve-llmisvc chart does not render: vLLM serves plain HTTP and HTTPS probes would fail',
    ),
  ];
};

/** matryoshka is an embedding model's (it sizes embeddings; a generating model has none). */
export const modelMatryoshka: EnvRule = (env) =>
  (env.config.models ?? []).flatMap((m, i) =>
    m.enabled !== false && m.matryoshka === true && m.role !== 'embedding'
      ? [finding(env, `/models/${i}/matryoshka`, `matryoshka sizes embeddings; "${m.name}" is an ${m.role} model`)]
      : [],
  );

export const MODEL_CAPABILITY_RULES: EnvRule[] = [
  modelScaling,
  modelMatryoshka,
  modelLora,
  modelPrefill,
  modelMultiNode,
  modelCache,
  modelCacheAccess,
  modelPriorityClass,
  modelImagesPaired,
  modelWorkloadTls,
];
