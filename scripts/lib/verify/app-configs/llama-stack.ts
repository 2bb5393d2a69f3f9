/**
 * What the Llama Stack 0.7.1 run config needs beyond its JSON Schema: every store reference
 * names a backend of its kind (core/datatypes.py:928-970 checks the server stores; provider
 * references fail only when the provider starts), and the builtin responses provider's
 * required APIs are served (providers/registry/responses.py:37-46). Also where a value of
 * the generated config comes from in the env file.
 */
import type { Problem } from '../../findings.ts';
import { escapePointer } from '../../config/yaml-source.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const STORE_KINDS: Record<string, 'kv' | 'sql'> = {
  metadata: 'kv',
  prompts: 'kv',
  connectors: 'kv',
  inference: 'sql',
  conversations: 'sql',
  responses: 'sql',
};
/** APIs the inline::builtin responses provider depends on that a run config must list. */
const RESPONSES_APIS = ['files', 'inference', 'tool_runtime', 'vector_io'];

function refKind(v: Obj): 'kv' | 'sql' | undefined {
  if (typeof v.backend !== 'string') return undefined;
  if ('namespace' in v) return 'kv';
  if ('table_name' in v) return 'sql';
  return undefined;
}

function checkRef(ref: Obj, want: 'kv' | 'sql' | undefined, at: string, backends: Obj, out: Problem[]): void {
  const name = ref.backend as string;
  const backend = backends[name];
  if (!isObj(backend)) {
    out.push({ path: `${at}/backend`, message: `backend "${name}" is not in storage.backends (have: ${Object.keys(backends).join(', ') || 'none'})` });
    return;
  }
  const type = String(backend.type ?? '');
  const kind = want ?? refKind(ref);
  if (kind && !type.startsWith(`${kind}_`)) {
    out.push({ path: `${at}/backend`, message: `a ${kind === 'kv' ? 'KV store reference (namespace)' : 'SQL store reference (table_name)'} needs a ${kind}_* backend, but "${name}" is ${type}` });
  }
}

/** Every object with a `backend` below a provider config is a store reference. */
function walkRefs(v: unknown, at: string, backends: Obj, out: Problem[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => walkRefs(x, `${at}/${i}`, backends, out));
  else if (isObj(v)) {
    if (refKind(v)) checkRef(v, undefined, at, backends, out);
    for (const [k, x] of Object.entries(v)) walkRefs(x, `${at}/${escapePointer(k)}`, backends, out);
  }
}

export function llamaStackRunConfigChecks(config: unknown): Problem[] {
  if (!isObj(config)) return [];
  const out: Problem[] = [];
  const storage = isObj(config.storage) ? config.storage : {};
  const backends = isObj(storage.backends) ? storage.backends : {};
  const stores = isObj(storage.stores) ? storage.stores : {};
  for (const [store, kind] of Object.entries(STORE_KINDS)) {
    const ref = stores[store];
    if (isObj(ref) && typeof ref.backend === 'string') checkRef(ref, kind, `/storage/stores/${store}`, backends, out);
  }
  const providers = isObj(config.providers) ? config.providers : {};
  for (const [api, list] of Object.entries(providers)) {
    if (!Array.isArray(list)) continue;
    list.forEach((p, i) => {
      if (isObj(p)) walkRefs(p.config, `/providers/${escapePointer(api)}/${i}/config`, backends, out);
    });
  }
  const responses = providers.responses;
  if (Array.isArray(responses) && responses.some((p) => isObj(p) && p.provider_type === 'inline::builtin')) {
    const apis = Array.isArray(config.apis) ? config.apis.map(String) : [];
    const missing = RESPONSES_APIS.filter((a) => !apis.includes(a));
    if (apis.length && missing.length) out.push({ path: '/apis', message: `the builtin responses provider needs the APIs ${missing.join(', ')}` });
  }
  return out;
}

/**
 * The env file pointer a run-config value comes from: inference providers and registered
 * models follow models: in order (adapters add entries, so only providers map exactly),
 * pgvector settings come from components.llama-stack.
 */
export function llamaStackRunConfigOrigin(pointer: string): string | undefined {
  const m = /^\/providers\/inference\/(\d+)(\/|$)/.exec(pointer);
  if (m) return `/models/${m[1]}`;
  if (/^\/providers\/vector_io\/0\/config\/vector_index(\/|$)/.test(pointer)) return '/components/llama-stack/vectorIndex';
  if (/^\/providers\/vector_io\/0\/config\/distance_metric$/.test(pointer)) return '/components/llama-stack/distanceMetric';
  if (/^\/providers\/files\/0\/config\/storage_dir$/.test(pointer)) return '/components/llama-stack/files';
  return undefined;
}
