/**
 * How KServe v0.20 puts a model into a pod it creates: kserve/kserve@v0.20.0
 * pkg/controller/v1alpha2/llmisvc/workload_storage.go (`attachModelArtifacts`,
 * `attachStorageInitializer`, `attachMultiStorageDownloads`, `extractAndStripStorageInitializer`),
 * pkg/utils/storage.go (`CreateInitContainerWithConfig`, `AddModelMount`,
 * `AddDefaultHuggingFaceEnvVars`) and workload_lora.go (`collectLoRADownloadPairs`: hf:// and
 * s3:// adapters download to /mnt/lora/<name> in the same init container).
 */
import { strategicMerge } from './strategic-merge.ts';
import { isMap, type JsonMap } from './types.ts';

export const STORAGE_INITIALIZER = 'storage-initializer';
/** pkg/constants/constants.go: DefaultModelLocalMountPath, StorageInitializerVolumeName, PvcSourceMountName. */
export const MODEL_PATH = '/mnt/models';
const PROVISION_VOLUME = 'kserve-provision-location';
const PVC_VOLUME = 'kserve-pvc-source';
const LORA_ROOT = '/mnt/lora';

/** The storage-initializer settings of the `storageInitializer` key of ConfigMap inferenceservice-config. */
export interface StorageConfig {
  /** Undefined when the ConfigMap names none and the catalog declares no images.storageInitializer. */
  image: string | undefined;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

/**
 * The catalog role (apps/kserve/app.yaml `images`) of KServe's compiled-in storage-initializer
 * image (pkg/constants StorageInitializerContainerImage:…Version), used when inferenceservice-config
 * names none: the catalog pins it, never code.
 */
export const STORAGE_INITIALIZER_ROLE = 'storageInitializer';
/** The chart's inferenceservice-config storageInitializer resources (kserve-resources v0.20.0). */
const DEFAULT_RESOURCES = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '100Mi', memoryLimit: '1Gi' } as const;

/** The defaults of the storage-initializer settings: the image from the catalog's images (by role). */
export function defaultStorageConfig(images: Record<string, string>): StorageConfig {
  return { image: images[STORAGE_INITIALIZER_ROLE], ...DEFAULT_RESOURCES };
}

/** The `storageInitializer` JSON of inferenceservice-config among the objects, over the defaults. */
export function storageConfigFrom(objects: JsonMap[], defaults: StorageConfig): StorageConfig {
  for (const o of objects) {
    const meta = isMap(o.metadata) ? o.metadata : {};
    if (o.kind !== 'ConfigMap' || meta.name !== 'inferenceservice-config' || !isMap(o.data)) continue;
    const raw = o.data.storageInitializer;
    if (typeof raw !== 'string') continue;
    try {
      const cfg = JSON.parse(raw) as Record<string, unknown>;
      const pick = <K extends keyof StorageConfig>(k: K): StorageConfig[K] => (typeof cfg[k] === 'string' && cfg[k] ? (cfg[k] as StorageConfig[K]) : defaults[k]);
      return { image: pick('image'), cpuRequest: pick('cpuRequest'), cpuLimit: pick('cpuLimit'), memoryRequest: pick('memoryRequest'), memoryLimit: pick('memoryLimit') };
    } catch {
      return defaults;
    }
  }
  return defaults;
}

const list = (m: JsonMap, k: string): JsonMap[] => {
  if (!Array.isArray(m[k])) m[k] = [];
  return m[k] as JsonMap[];
};

/** extractAndStripStorageInitializer: the user's init container of that name, removed from the pod. */
export function extractStorageInitializer(pod: JsonMap): JsonMap | undefined {
  if (!Array.isArray(pod.initContainers)) return undefined;
  const inits = pod.initContainers as JsonMap[];
  const found = inits.find((c) => c.name === STORAGE_INITIALIZER);
  pod.initContainers = inits.filter((c) => c.name !== STORAGE_INITIALIZER);
  return found;
}

/** CreateInitContainerWithConfig, then the user's override merged over it; name, args and command stay the controller's. */
export function storageInitializerContainer(cfg: StorageConfig, args: string[], override: JsonMap | undefined): JsonMap {
  const made: JsonMap = {
    name: STORAGE_INITIALIZER,
    image: cfg.image,
    args,
    terminationMessagePolicy: 'FallbackToLogsOnError',
    resources: { limits: { cpu: cfg.cpuLimit, memory: cfg.memoryLimit }, requests: { cpu: cfg.cpuRequest, memory: cfg.memoryRequest } },
  };
  if (!override) return made;
  const merged = strategicMerge(made, override);
  merged.name = made.name;
  merged.args = made.args;
  if (made.command === undefined) delete merged.command;
  return merged;
}

/** utils.AddModelMount: the volume once, mounted on the named container (or init container). */
function addModelMount(pod: JsonMap, container: string, p: { volume: string; mountPath: string; readOnly: boolean; pvc?: string; subPath?: string }): void {
  const volumes = list(pod, 'volumes');
  if (!volumes.some((v) => v.name === p.volume)) volumes.push(p.pvc ? { name: p.volume, persistentVolumeClaim: { claimName: p.pvc, readOnly: p.readOnly } } : { name: p.volume, emptyDir: {} });
  const c = [...list(pod, 'containers'), ...list(pod, 'initContainers')].find((x) => x.name === container);
  if (!c) return;
  const mounts = list(c, 'volumeMounts');
  if (!mounts.some((m) => m.mountPath === p.mountPath)) mounts.push({ name: p.volume, mountPath: p.mountPath, readOnly: p.readOnly, ...(p.subPath ? { subPath: p.subPath } : {}) });
}

function addEnv(c: JsonMap, vars: { name: string; value: string }[]): void {
  const env = list(c, 'env');
  for (const v of vars) if (!env.some((e) => e.name === v.name)) env.push(v);
}

/** storage.go AddDefaultHuggingFaceEnvVars and the tokenizer-only download pattern. */
const HF_ENV = [
  { name: 'HF_HUB_ENABLE_HF_TRANSFER', value: '1' },
  { name: 'HF_XET_HIGH_PERFORMANCE', value: '1' },
  { name: 'HF_XET_NUM_CONCURRENT_RANGE_GETS', value: '8' },
];
const TOKENIZER_ONLY = {
  name: 'STORAGE_ALLOW_PATTERNS',
  value: '["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "config.json", "generation_config.json"]',
};

export interface ModelSource {
  uri: string;
  /** spec.storageInitializer.enabled === false */
  disabled: boolean;
  /** hf:// and s3:// LoRA adapters (name, uri), attached when `attachLoRA`. */
  adapters: { name: string; uri: string }[];
}

/** Longest common parent directory (utils.FindCommonParentPath). */
function commonParent(paths: string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const out: string[] = [];
  for (let i = 0; split.every((s) => i < s.length && s[i] === split[0]![i]); i++) out.push(split[0]![i]!);
  return out.length ? `/${out.join('/')}` : '/';
}

/** attachModelArtifacts on one pod spec (mutated): the model volume, the storage-initializer, the HF env. */
export function attachModelArtifacts(pod: JsonMap, src: ModelSource, cfg: StorageConfig, container: string, modelPath: string, attachLoRA: boolean): void {
  if (src.disabled) return;
  const scheme = src.uri.split('://')[0] ?? '';
  const pairs = attachLoRA ? src.adapters.filter((a) => /^(hf|s3):\/\//.test(a.uri)).map((a) => ({ uri: a.uri, path: `${LORA_ROOT}/${a.name}` })) : [];
  const downloads: { uri: string; path: string }[] = [];
  if (scheme === 'pvc') {
    const [claim, ...rest] = src.uri.slice('pvc://'.length).split('/');
    addModelMount(pod, container, { volume: PVC_VOLUME, mountPath: modelPath, readOnly: true, pvc: claim, subPath: rest.join('/') });
    if (!pairs.length) {
      extractStorageInitializer(pod);
      return;
    }
    downloads.push(...pairs);
  } else if (scheme === 'hf' || scheme === 's3') {
    downloads.push({ uri: src.uri, path: MODEL_PATH }, ...pairs);
  } else return; // oci:// modelcars and others are not modelled
  const override = extractStorageInitializer(pod);
  const single = downloads.length === 1 && scheme !== 'pvc';
  const args = downloads.flatMap((d) => [d.uri, d.path]);
  const init = storageInitializerContainer(cfg, args, override);
  list(pod, 'initContainers').push(init);
  const mountAt = single ? MODEL_PATH : commonParent(downloads.map((d) => d.path));
  addModelMount(pod, STORAGE_INITIALIZER, { volume: PROVISION_VOLUME, mountPath: mountAt, readOnly: false });
  addModelMount(pod, container, { volume: PROVISION_VOLUME, mountPath: single ? modelPath : mountAt, readOnly: true });
  if (downloads.some((d) => d.uri.startsWith('hf://'))) addEnv(init, HF_ENV);
  if (container === 'tokenizer') addEnv(init, [TOKENIZER_ONLY]);
}
