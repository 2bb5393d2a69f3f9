/**
 * Settings the schema accepts that can never work, refused at the line that sets them:
 * - a GuideLLM run whose Job deadline (activeDeadlineSeconds) is not longer than the run itself:
 *   one benchmark per run, a sweep runs `sweep_size` of them (default 10, at least 2), each up to
 *   durationSeconds (vllm-project/guidellm@v0.7.2 `src/guidellm/benchmark/profiles/sweep.py`,
 *   SweepProfileArgs.sweep_size and SweepProfile.strategy_types); the Job controller kills a Job at
 *   its deadline (DeadlineExceeded) and the results are never recorded;
 * - Llama Stack's default llm (components.llama-stack.defaultModel, else the first llm it picks)
 *   at `replicas: 0`: nothing serves the model every request without a model name goes to;
 * - an OIDC issuer URL with a query or fragment: OpenID Connect Discovery 1.0 §3 defines the
 *   issuer as an https URL "with no query or fragment components", and discovery appends
 *   `/.well-known/openid-configuration` to it (§4), which a query or fragment breaks;
 * - a `host:port` endpoint (no scheme, so not a URL the URL rule reads) whose port is not
 *   1..65535: the collector's OTLP exporter cannot dial it and the NetworkPolicy port the tool
 *   derives from it is refused by the API server (IsValidPortNum).
 */
import { BENCHMARKS_APP, benchmarkRunsOf, LLAMA_STACK_APP, MCP_GATEWAY_APP } from '../components.ts';
import { componentSettings } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import { listedModels } from './inference.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';

/** GuideLLM's sweep_size default (SweepProfileArgs.sweep_size, v0.7.2). */
export const GUIDELLM_SWEEP_SIZE = 10;

export const benchmarkDeadlineCoversRun: EnvRule = (env) => {
  if (!env.components.get(BENCHMARKS_APP)?.enabled) return [];
  const out: Finding[] = [];
  const fallback = componentSettings(env, BENCHMARKS_APP)?.deadlineSeconds;
  benchmarkRunsOf(env.config).forEach((r, i) => {
    const g = r.guidellm;
    if (r.enabled === false || r.kind !== 'guidellm' || !g) return;
    const deadline = r.deadlineSeconds ?? fallback;
    if (deadline === undefined) return;
    const benchmarks = g.profile === 'sweep' ? Math.max(2, Math.floor(g.rate ?? GUIDELLM_SWEEP_SIZE)) : 1;
    const run = benchmarks * g.durationSeconds;
    if (g.maxRequests !== undefined || deadline > run) return;
    const where = r.deadlineSeconds !== undefined ? `/benchmarks/${i}/deadlineSeconds` : `/benchmarks/${i}/guidellm/durationSeconds`;
    const length = benchmarks > 1 ? `${benchmarks} sweep benchmarks × durationSeconds ${g.durationSeconds} = ${run} s` : `durationSeconds ${g.durationSeconds}`;
    const from = r.deadlineSeconds !== undefined ? 'deadlineSeconds' : 'components.benchmarks.deadlineSeconds';
    out.push(finding(env, where, `run "${r.id}": the Job's activeDeadlineSeconds ${deadline} (${from}) is not longer than the run (${length}): the Job controller kills it at the deadline (DeadlineExceeded) before GuideLLM writes its results; raise the deadline above ${run} s or shorten the run`));
  });
  return out;
};

export const defaultModelServed: EnvRule = (env) => {
  if (!env.components.get(LLAMA_STACK_APP)?.enabled || !env.components.get('models')?.enabled) return [];
  const named = componentSettings(env, LLAMA_STACK_APP)?.defaultModel;
  const llms = listedModels(env).filter(({ m }) => m.enabled !== false && m.role === 'llm');
  const chosen = llms.find(({ m }) => named === undefined || m.name === named);
  if (!chosen || chosen.m.replicas !== 0) return [];
  const why = named === undefined ? 'the first llm of models:, which Llama Stack uses as its default model' : 'components.llama-stack.defaultModel';
  return [finding(env, `/models/${chosen.i}/replicas`, `model "${chosen.m.name}" is ${why}, but has replicas: 0: nothing serves the requests that name no model; give it at least 1 replica (or scaling), or make another served llm the default`)];
};

/** What is wrong with the shape of an OIDC issuer URL, or undefined. */
export function issuerProblem(url: string): string | undefined {
  if (url.includes('#')) return 'has a fragment ("#…")';
  if (url.includes('?')) return 'has a query ("?…")';
  return undefined;
}

export const oidcIssuerShape: EnvRule = (env) => {
  if (!env.components.get(MCP_GATEWAY_APP)?.enabled) return [];
  const url = componentSettings(env, MCP_GATEWAY_APP)?.auth?.issuerUrl;
  const problem = typeof url === 'string' ? issuerProblem(url) : undefined;
  if (!problem) return [];
  return [finding(env, `/components/${MCP_GATEWAY_APP}/auth/issuerUrl`, `the OIDC issuer ${problem}: an issuer is an https URL with no query or fragment (OpenID Connect Discovery 1.0 §3), and discovery appends /.well-known/openid-configuration to it, so the AuthPolicy could never fetch its keys`)];
};

const HOST_PORT = /^[^:/\s]+:([0-9]+)$/;

/** Every `endpoint` setting of the form host:port has a port from 1 to 65535. */
export const endpointPorts: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (!/endpoint$/i.test(v.key) || typeof v.value !== 'string' || !isActive(env, v.pointer)) continue;
    const m = HOST_PORT.exec(v.value);
    if (!m) continue;
    const port = Number(m[1]);
    if (port < 1 || port > 65535) out.push(finding(env, v.pointer, `the port ${m[1]} of ${v.value} is not a number from 1 to 65535: the exporter cannot dial it, and the API server refuses it as a NetworkPolicy port (IsValidPortNum)`));
  }
  return out;
};

export const NEVER_WORK_RULES: EnvRule[] = [benchmarkDeadlineCoversRun, defaultModelServed, oidcIssuerShape, endpointPorts];
