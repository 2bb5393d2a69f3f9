/**
 * CON001: every client asks for a model by the id its server knows. The ids are read from the
 * rendered Llama Stack run config (its inference providers and registered models), never typed
 * again: Llama Stack 0.7.1 registers a model as `<provider_id>/<provider_model_id>` and its router
 * finds no other string (llamastack/llama-stack@v0.7.1:src/llama_stack/core/routing_tables/models.py
 * register_model; routing_tables/common.py lookup_model raises ModelNotFoundError). A client that
 * calls vLLM directly (GuideLLM with `target: model`) sends the served name of the provider whose
 * base_url it targets.
 */
import { parse } from 'yaml';
import { isPlainObject } from '../../config/merge.ts';
import { LLAMA_STACK_NAME } from '../../derive/llama-stack.ts';
import { llamaStackModelId } from '../../derive/models.ts';
import type { Finding, K8sObject } from '../../findings.ts';
import { type LocatedObject, refineLine } from '../hydration/index.ts';
import type { ContractInput } from './types.ts';

/** Who asks Llama Stack for a model, and in which environment variables (data: a new client is a new entry). */
export const MODEL_CLIENTS: { client: string; labels: Record<string, string>; env: string[]; config: 'agents' | 'benchmarks' }[] = [
  // BeeAI agents on Kagenti (derive/agents.ts): LLM_API_BASE/OPENAI_API_BASE are Llama Stack's /v1.
  { client: 'agent', labels: { 'app.kubernetes.io/component': 'agent' }, env: ['LLM_MODEL', 'OPENAI_CHAT_MODEL'], config: 'agents' },
  // The agentic benchmark harnesses (TravelPlanner, VendingBench): MODEL names the model under test.
  { client: 'benchmark run', labels: { 'app.kubernetes.io/name': 'benchmark' }, env: ['MODEL'], config: 'benchmarks' },
];

/** What the rendered Llama Stack run config serves: registered ids and each provider's base URL and served names. */
export interface ServedModels {
  ids: Set<string>;
  providers: { id: string; baseUrl: string; served: Set<string> }[];
}

const isLlamaStackConfig = (o: K8sObject): boolean => o.apiVersion === 'v1' && o.kind === 'ConfigMap' && o.metadata.name === `${LLAMA_STACK_NAME}-config`;

/** The model ids of the rendered run config (undefined when the env renders no Llama Stack). */
export function servedModels(objects: readonly LocatedObject[]): ServedModels | undefined {
  const cm = objects.find((o) => isLlamaStackConfig(o.obj));
  const text = (cm?.obj.data as Record<string, unknown> | undefined)?.['config.yaml'];
  if (typeof text !== 'string') return undefined;
  let cfg: unknown;
  try {
    cfg = parse(text);
  } catch {
    return undefined; // app-configs reports the parse error at its line
  }
  if (!isPlainObject(cfg)) return undefined;
  const rec = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
  const inference = rec((cfg.providers as Record<string, unknown> | undefined)?.inference);
  const providers = inference.map((p) => ({
    id: String(p.provider_id),
    baseUrl: String((p.config as Record<string, unknown> | undefined)?.base_url ?? ''),
    served: new Set<string>(),
  }));
  const ids = new Set<string>();
  for (const m of rec((cfg.registered_resources as Record<string, unknown> | undefined)?.models)) {
    const provider = providers.find((p) => p.id === m.provider_id);
    if (!provider) continue; // "Provider ... not found": the schema and app-configs checks own this
    const providerModelId = String(m.provider_model_id ?? m.model_id);
    provider.served.add(providerModelId);
    ids.add(llamaStackModelId(provider.id, providerModelId));
  }
  return { ids, providers };
}

interface Container {
  name?: string;
  env?: { name?: string; value?: unknown }[];
  command?: unknown[];
  args?: unknown[];
}

function containersOf(obj: K8sObject): { c: Container; pointer: string }[] {
  const spec = (obj.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  if (!spec) return [];
  return (['initContainers', 'containers'] as const).flatMap((k) =>
    (Array.isArray(spec[k]) ? (spec[k] as Container[]) : []).map((c, i) => ({ c, pointer: `/spec/template/spec/${k}/${i}` })),
  );
}

const hasLabels = (obj: K8sObject, labels: Record<string, string>): boolean =>
  Object.entries(labels).every(([k, v]) => obj.metadata.labels?.[k] === v);

const closest = (id: string, ids: Set<string>): string | undefined => [...ids].find((x) => x.endsWith(`/${id}`));

function idMessage(client: string, where: string, id: string, served: ServedModels): string {
  const hint = closest(id, served.ids);
  return (
    `${client} ${where} asks Llama Stack for model "${id}", which it does not register: Llama Stack 0.7.1 knows a model only as ` +
    `<provider_id>/<provider_model_id> (llama-stack@v0.7.1 core/routing_tables/models.py)` +
    (hint ? `; use "${hint}"` : '') +
    `; registered: ${[...served.ids].sort().join(', ') || 'none'}`
  );
}

/** `kind=openai_http,target=URL,model=ID` of GuideLLM's --backend, as a map. */
function backendOf(args: unknown[]): Record<string, string> | undefined {
  const i = args.indexOf('--backend');
  const v = i >= 0 ? args[i + 1] : undefined;
  if (typeof v !== 'string') return undefined;
  return Object.fromEntries(v.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** Index in `agents:` (by name) or `benchmarks:` (by run id) of the config entry that rendered `obj`. */
function ownerIndex(list: { name?: string; id?: string }[] | undefined, obj: K8sObject, of: 'agents' | 'benchmarks'): number {
  const want = of === 'agents' ? obj.metadata.name : obj.metadata.labels?.['catalyst.dev/benchmark-run'];
  return (list ?? []).findIndex((x) => (of === 'agents' ? x.name : x.id) === want);
}

export function modelIdFindings(input: ContractInput): Finding[] {
  const served = servedModels(input.objects);
  if (!served) return [];
  const out: Finding[] = [];
  const cfg = input.plan.env.config as { agents?: { name?: string }[]; benchmarks?: { id?: string }[] };
  const at = (o: LocatedObject, pointer: string, message: string): Finding => ({
    file: o.file, line: refineLine(o, pointer), col: 0, path: pointer, message, kind: o.obj.kind, name: o.obj.metadata.name, rule: 'CON001',
  });
  for (const o of input.objects) {
    for (const client of MODEL_CLIENTS) {
      if (!hasLabels(o.obj, client.labels)) continue;
      for (const { c, pointer } of containersOf(o.obj)) {
        for (const [j, e] of (c.env ?? []).entries()) {
          if (!e.name || !client.env.includes(e.name) || typeof e.value !== 'string' || served.ids.has(e.value)) continue;
          const message = idMessage(client.client, `${o.obj.metadata.name} (${e.name})`, e.value, served);
          // A value the env file set (agents[].env, benchmarks[].env) is reported where it was written.
          const idx = ownerIndex(cfg[client.config], o.obj, client.config);
          const own = idx >= 0 && (cfg[client.config]![idx] as { env?: Record<string, string> }).env?.[e.name] === e.value;
          if (own) {
            const path = `/${client.config}/${idx}/env/${e.name}`;
            const p = input.plan.env.locate(path, false);
            out.push({ file: p.file, line: p.line, col: p.col, path, message, rule: 'CON001' });
          } else out.push(at(o, `${pointer}/env/${j}/value`, message));
        }
      }
    }
    // GuideLLM (a benchmark Job): through Llama Stack it needs a registered id, straight to vLLM a served name.
    if (o.obj.metadata.labels?.['catalyst.dev/benchmark-kind'] !== 'guidellm') continue;
    for (const { c, pointer } of containersOf(o.obj)) {
      const argv = [...(c.command ?? []), ...(c.args ?? [])];
      const b = backendOf(argv);
      if (!b?.model || !b.target) continue;
      const ptr = `${pointer}/${c.args?.includes(`--backend`) ? 'args' : 'command'}`;
      if (new URL(b.target).hostname.startsWith(`${LLAMA_STACK_NAME}-service.`)) {
        if (!served.ids.has(b.model)) out.push(at(o, ptr, idMessage('GuideLLM run', String(o.obj.metadata.name), b.model, served)));
        continue;
      }
      const provider = served.providers.find((p) => p.baseUrl.replace(/\/v1$/, '') === b.target);
      if (provider && !provider.served.has(b.model)) {
        out.push(at(o, ptr, `GuideLLM run ${o.obj.metadata.name} calls vLLM at ${b.target} directly with model "${b.model}": vLLM serves only "${[...provider.served].join('", "')}" there (a Llama Stack id is not a served name)`));
      }
    }
  }
  return out;
}
