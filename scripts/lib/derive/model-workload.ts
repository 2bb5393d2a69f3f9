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

/** The catalog role of KServe's storage-initializer image (apps/kserve/app.yaml images), the fill Job's default. */
export const FILL_IMAGE_ROLE = 'storageInitializer';
/** The priority classes this project renders are named catalyst-<class>. */
export const priorityClassName = (cls: string): string => `catalyst-${cls}`;

type Obj = Record<string, unknown>;

/**
 * KServe v0.20 adds a `storage-initializer` init container with no securityContext to every pod
 * that downloads its model (hf://, s3://: the model pods, and an endpoint picker with the
 * tokenizer sidecar); restricted Pod Security rejects it. An init container of that name in the
 * pod template is merged over it (kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/
 * workload_storage.go attachStorageInitializer: MergeContainerWithPatch, name/args/command stay
 * KServe's; dropped for pvc:// models). The image runs as uid 1000 (python/
 * storage-initializer.Dockerfile) and writes its Hugging Face cache under $HOME: writable root.
 */
export const STORAGE_INITIALIZER_OVERRIDE: Obj = {
  name: 'storage-initializer',
  // KServe's own size for it (kserve-resources v0.20.0 inferenceservice-config storageInitializer).
  resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

/**
 * The llm-d routing sidecar of a P/D decode pod (preset kserve-config-llm-decode-template) reads
 * InferencePools of `--pool-group` inference.networking.x-k8s.io, a CRD the pinned stack does not
 * install (GIE v1.5.0 ships InferencePool as inference.networking.k8s.io/v1 only; kserve-llmisvc
 * runs with createGIECRDs false). Its command (a list: replaced whole by the merge) is restated
 * with the GA group and the pool KServe creates (`<name>-inference-pool`); the TLS flags follow
 * components.models.workloadTls as the preset's do.
 */
export function routingSidecarOverride(model: string, namespace: string, tls: boolean): Obj {
  const command = ['/app/pd-sidecar', '--port=8000', '--vllm-port=8001', '--kv-connector=nixlv2', '--enable-ssrf-protection=true', '--pool-group=inference.networking.k8s.io', `--inference-pool=${namespace}/${model}-inference-pool`];
  command.push(tls ? '--secure-proxy=true' : '--secure-proxy=false');
  if (tls) command.push('--cert-path=/var/run/kserve/tls', '--enable-tls=decoder', '--enable-tls=prefiller');
  return { name: 'llm-d-routing-sidecar', command };
}

/**
 * vLLM's NIXL side channel listens on VLLM_NIXL_SIDE_CHANNEL_HOST (default localhost) and port
 * 5600: the peer pods reach it only on the pod IP.
 */
export const NIXL_HOST_ENV: Obj = { name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };

/**
 * The capabilities of a vLLM container. The data-parallel presets add IPC_LOCK, SYS_RAWIO and
 * NET_RAW (for RDMA); the strategic merge keeps a list the override omits and an empty list is
 * dropped (omitempty), so multi-node pods name the one capability restricted allows: `add`
 * then replaces the preset's list (NCCL falls back to TCP sockets without RDMA).
 */
export function vllmCapabilities(multiNode: boolean): Obj {
  return multiNode ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } : { drop: ['ALL'] };
}

export interface ModelCache {
  /** The model's name. */
  model: string;
  claimName: string;
  /** Directory in the PVC (the hf:// path), also the pvc:// URI's path. */
  path: string;
  sourceUri: string;
  image: string;
}

/** The fill Job's container resources (apps/models/overlays/model-cache.yaml.hbs). */
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

export function cacheOf(m: Model, s: ModelsComponentSettings, defaultFillImage: string): ModelCache | null {
  if (!m.cache || !s.cache || !m.uri.startsWith('hf://')) return null;
  const path = m.uri.slice('hf://'.length);
  return { model: m.name, claimName: s.cache.claimName, path, sourceUri: m.uri, image: s.cache.fillImage ?? defaultFillImage };
}

/** `fillImage`: the model-cache fill Job's image unless the settings name one (the catalog's storage initializer). */
export function modelWorkload(m: Model, s: ModelsComponentSettings, fillImage: string): ModelWorkload {
  const peak = peakReplicas(m);
  const parallelism: Obj = { tensor: m.tensorParallelism };
  if (m.multiNode) Object.assign(parallelism, { data: m.multiNode.data, dataLocal: m.multiNode.dataLocal });
  return {
    replicas: m.scaling ? null : (m.replicas ?? 1),
    peakReplicas: peak,
    scaling: scalingSpec(m),
    parallelism,
    lora: loraSpec(m),
    cache: cacheOf(m, s, fillImage),
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
  multiNode: boolean;
  /** P/D: the NIXL side channel on the pod IP. */
  nixl: boolean;
}): Obj {
  const main: Obj = { name: 'main' };
  if (args.image) main.image = args.image;
  Object.assign(main, {
    env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: args.vllmArgs }, ...(args.nixl ? [NIXL_HOST_ENV] : [])],
    resources: args.resources,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: vllmCapabilities(args.multiNode),
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
  Object.assign(pod, { nodeSelector: args.nodeSelector, tolerations: args.tolerations, initContainers: [STORAGE_INITIALIZER_OVERRIDE], containers: [main] });
  return pod;
}
