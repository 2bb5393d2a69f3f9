/**
 * The KServe v0.20 workload of one model beyond its main pod: replicas or spec.scaling, the
 * parallelism block, spec.model.lora, spec.prefill, spec.worker (LeaderWorkerSet), the
 * pvc:// model cache and its fill Job, the priority class, and whether an llm-d scheduler is
 * attached. Each value is already in the LLMInferenceService's shape; absent ones are null
 * (the templates run in strict mode).
 */
import { createHash } from 'node:crypto';
import { peakReplicas } from '../config/gpu-accounting.ts';
import type { Model, ModelsSettings as ModelsComponentSettings } from '../config/schema-types/index.ts';

/** KServe's storage-initializer of the pinned release (python/storage-initializer.Dockerfile). */
export const DEFAULT_FILL_IMAGE = 'kserve/storage-initializer:v0.20.0';
/** The priority classes this project renders are named catalyst-<class>. */
export const priorityClassName = (cls: string): string => `catalyst-${cls}`;

type Obj = Record<string, unknown>;

export interface ModelCache {
  /** The model's name. */
  model: string;
  claimName: string;
  /** Directory in the PVC (the hf:// path), also the pvc:// URI's path. */
  path: string;
  sourceUri: string;
  image: string;
}

/** The fill Job's container resources (overlays/models/model-cache.yaml.hbs). */
export const FILL_RESOURCES = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } } as const;

/** A fill Job as the template renders it. */
export interface FillJob extends ModelCache {
  /**
   * fill-<model>-<hash of every value of its pod template>: a Job's spec.template is immutable
   * (kubernetes/kubernetes@v1.35.0:pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate),
   * so any change of uri, image, resources, claim, service account or token Secret makes a new Job
   * instead of an update the API server refuses. (The template's fixed parts are checked by
   * `check --base`, rule UPD002.)
   */
  jobName: string;
  resources: typeof FILL_RESOURCES;
}

/** The fill Job of a model cache, named by the hash of its pod template's inputs. */
export function fillJob(c: ModelCache, pod: { serviceAccount: string; hfSecret: string }): FillJob {
  const inputs = { uri: c.sourceUri, path: c.path, claim: c.claimName, image: c.image, resources: FILL_RESOURCES, ...pod };
  const hash = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 8);
  return { ...c, jobName: `fill-${c.model}-${hash}`, resources: FILL_RESOURCES };
}

export interface ModelWorkload {
  /** spec.replicas, or null when spec.scaling drives them. */
  replicas: number | null;
  peakReplicas: number;
  scaling: Obj | null;
  parallelism: Obj;
  lora: Obj | null;
  cache: ModelCache | null;
  priorityClassName: string | null;
  /** KServe v0.20: "The Scheduler is only effective when having multiple inference pod replicas." */
  scheduler: boolean;
}

/** spec.scaling in the CRD's shape: the WVA actuator around the chosen HPA or KEDA settings. */
export function scalingSpec(m: Model): Obj | null {
  const s = m.scaling;
  if (!s) return null;
  const wva: Obj = { variantCost: s.variantCost ?? '10.0' };
  if (s.keda) wva.keda = { ...s.keda };
  else {
    const down = s.hpa?.scaleDownStabilizationSeconds;
    wva.hpa = down === undefined ? {} : { behavior: { scaleDown: { stabilizationWindowSeconds: down } } };
  }
  return { minReplicas: s.minReplicas ?? 1, maxReplicas: s.maxReplicas, wva };
}

export function loraSpec(m: Model): Obj | null {
  if (!m.lora) return null;
  const { adapters, ...limits } = m.lora;
  return { adapters: adapters.map((a) => ({ uri: a.uri, name: a.name })), ...limits };
}

export function cacheOf(m: Model, s: ModelsComponentSettings): ModelCache | null {
  if (!m.cache || !s.cache || !m.uri.startsWith('hf://')) return null;
  const path = m.uri.slice('hf://'.length);
  return { model: m.name, claimName: s.cache.claimName, path, sourceUri: m.uri, image: s.cache.fillImage ?? DEFAULT_FILL_IMAGE };
}

export function modelWorkload(m: Model, s: ModelsComponentSettings): ModelWorkload {
  const peak = peakReplicas(m);
  const parallelism: Obj = { tensor: m.tensorParallelism };
  if (m.multiNode) Object.assign(parallelism, { data: m.multiNode.data, dataLocal: m.multiNode.dataLocal });
  return {
    replicas: m.scaling ? null : (m.replicas ?? 1),
    peakReplicas: peak,
    scaling: scalingSpec(m),
    parallelism,
    lora: loraSpec(m),
    cache: cacheOf(m, s),
    priorityClassName: m.priorityClass ? priorityClassName(m.priorityClass) : null,
    scheduler: m.role === 'llm' && (peak >= 2 || m.prefill !== undefined),
  };
}

/**
 * A pod fragment the KServe presets complete (worker-data-parallel's `worker`, the prefill
 * template): where it runs, its GPUs, the model's flags, and the same hardening as the main pod.
 * The root filesystem stays writable: the NVIDIA CDI hook needs it (the presets set false).
 */
export function podFragment(args: {
  serviceAccount: string;
  runAsUser: number;
  nodeSelector: Record<string, string>;
  tolerations: Obj[];
  priorityClassName: string | null;
  image: string | null;
  vllmArgs: string;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}): Obj {
  const main: Obj = { name: 'main' };
  if (args.image) main.image = args.image;
  Object.assign(main, {
    env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: args.vllmArgs }],
    resources: args.resources,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  });
  const pod: Obj = {
    serviceAccountName: args.serviceAccount,
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: args.runAsUser,
      runAsGroup: args.runAsUser,
      fsGroup: args.runAsUser,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
  if (args.priorityClassName) pod.priorityClassName = args.priorityClassName;
  Object.assign(pod, { nodeSelector: args.nodeSelector, tolerations: args.tolerations, containers: [main] });
  return pod;
}
