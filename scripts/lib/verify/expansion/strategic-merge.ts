/**
 * The smallest faithful model of the strategic merge KServe uses to combine
 * LLMInferenceServiceConfig presets with the LLMInferenceService spec, and a user's
 * storage-initializer override with the controller's container:
 * kserve/kserve@v0.20.0:pkg/controller/v1alpha2/llmisvc/config_merge.go `mergeSpecs`
 * (strategicpatch.CreateTwoWayMergePatch(zero, override) then StrategicMergePatch(base, patch)
 * against the Go types) and pkg/utils `MergeContainerWithPatch`.
 *
 * What the Go struct tags of k8s.io/api/core/v1 decide (types.go `patchStrategy:"merge"`):
 * - lists of named things merge item by item on their key (containers, initContainers and
 *   env by name, volumeMounts by mountPath, ports by containerPort, volumes by name with
 *   retainKeys: a merged volume keeps only the source the override names);
 * - every other list is replaced whole (args, command, tolerations, capabilities.add/drop…):
 *   an override that omits the list keeps the base list;
 * - maps merge key by key; a scalar in the override wins;
 * - what the override leaves empty is absent from the patch (`omitempty`): null, "" and []
 *   never clear a base value.
 */
type Json = unknown;
type JsonMap = Record<string, Json>;

const isMap = (v: Json): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge keys by field name, wherever the field appears in a pod spec or container. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  resourceClaims: 'name',
  schedulingGates: 'name',
  topologySpreadConstraints: 'topologyKey',
};
/** Lists whose merged items keep only the keys the override sets (`patchStrategy:"merge,retainKeys"`). */
const RETAIN_KEYS = new Set(['volumes']);

/** What `omitempty` drops from the override before it becomes a patch. */
function empty(v: Json): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function mergeList(field: string, base: Json[], override: Json[]): Json[] {
  const key = MERGE_KEYS[field];
  // Items without their merge key (a malformed list) are replaced whole, as a list without one.
  if (!key || !override.every((o) => isMap(o) && o[key] !== undefined) || !base.every((b) => isMap(b) && b[key] !== undefined)) return clone(override);
  const out = base.map((b) => clone(b) as JsonMap);
  for (const o of override as JsonMap[]) {
    const i = out.findIndex((b) => b[key] === o[key]);
    if (i < 0) {
      out.push(strip(o) as JsonMap);
      continue;
    }
    if (RETAIN_KEYS.has(field)) {
      const kept: JsonMap = {};
      for (const k of Object.keys(o)) if (!empty(o[k])) kept[k] = out[i]![k];
      out[i] = mergeValue('', kept, o) as JsonMap;
    } else out[i] = mergeValue('', out[i], o) as JsonMap;
  }
  return out;
}

/** The override without what omitempty drops (at every depth). */
function strip(v: Json): Json {
  if (Array.isArray(v)) return v.map(strip);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!empty(x)) out[k] = strip(x);
  return out;
}

function mergeValue(field: string, base: Json, override: Json): Json {
  if (empty(override)) return clone(base);
  if (isMap(base) && isMap(override)) {
    const out: JsonMap = clone(base);
    for (const [k, v] of Object.entries(override)) {
      if (empty(v)) continue;
      out[k] = k in out ? mergeValue(k, out[k], v) : strip(v);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override)) return mergeList(field, base, override);
  return strip(override);
}

/** `override` strategically merged over `base` (neither is modified). */
export function strategicMerge<T extends JsonMap>(base: T, override: JsonMap): T {
  return mergeValue('', base, override) as T;
}

/** Folds specs left to right, the way `MergeSpecs(cfgs...)` does: later ones win. */
export function mergeAll<T extends JsonMap>(specs: T[]): T {
  return specs.reduce((acc, s) => strategicMerge(acc, s), {} as T);
}
