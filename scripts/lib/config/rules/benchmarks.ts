/**
 * Rules for the benchmarks layer (`benchmarks:`): run ids are unique (each is a Job name), runs
 * name a served llm and existing MCP servers, and every enabled run has an image.
 */
import { AGENTS_APP, agentsOf, BENCHMARKS_APP, benchmarkRunsOf, MODELS_APP } from '../components.ts';
import { componentSettings, type ResolvedEnv } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import { llmProblem, unknownMcpServers } from './agents.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

function active(env: ResolvedEnv): boolean {
  return env.components.get(BENCHMARKS_APP)?.enabled ?? false;
}

/** Run ids are unique: each is the name of a Job. */
export const benchmarkIdsUnique: EnvRule = (env) => {
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  benchmarkRunsOf(env.config).forEach((r, i) => {
    const prev = seen.get(r.id);
    if (prev !== undefined) out.push(finding(env, `/benchmarks/${i}/id`, `run id "${r.id}" is already used by benchmarks[${prev}]: a new run needs a new id`));
    else seen.set(r.id, i);
  });
  return out;
};

/** A run's model is a served llm; a direct model target needs the models component. */
export const benchmarkModels: EnvRule = (env) => {
  if (!active(env)) return [];
  const out: Finding[] = [];
  benchmarkRunsOf(env.config).forEach((r, i) => {
    if (r.enabled === false) return;
    const problem = llmProblem(env, r.model);
    if (problem) out.push(finding(env, `/benchmarks/${i}/model`, problem));
    if (r.target === 'model' && !env.components.get(MODELS_APP)?.enabled) {
      out.push(finding(env, `/benchmarks/${i}/target`, `run "${r.id}" targets the model's route, but components.${MODELS_APP} is disabled`));
    }
  });
  return out;
};

/** A run's MCP servers are listed (and enabled) in mcp.servers. */
export const benchmarkMcpServers: EnvRule = (env) => {
  if (!active(env)) return [];
  return benchmarkRunsOf(env.config).flatMap((r, i) => (r.enabled === false ? [] : unknownMcpServers(env, `/benchmarks/${i}`, r.mcpServers)));
};

/** An enabled run has an image: its own, or (GuideLLM) components.benchmarks.guidellmImage. */
export const benchmarkImages: EnvRule = (env) => {
  if (!active(env)) return [];
  const guidellm = componentSettings(env, BENCHMARKS_APP)?.guidellmImage;
  return benchmarkRunsOf(env.config).flatMap((r, i) => {
    if (r.enabled === false || r.image) return [];
    if (r.kind === 'guidellm' && typeof guidellm === 'string') return [];
    const hint = r.kind === 'guidellm' ? 'set benchmarks[].image or components.benchmarks.guidellmImage' : 'set its image (no default image exists for this benchmark)';
    return [finding(env, `/benchmarks/${i}`, `${r.kind} run "${r.id}" is enabled but has no image: ${hint}`)];
  });
};

/**
 * Agentic runs (TravelPlanner, VendingBench) go through an agent over A2A: they name an enabled
 * agent of agents: and the harness command (the Job wraps it so a failure is recorded). GuideLLM
 * runs load a model and name no agent.
 */
export const benchmarkAgents: EnvRule = (env) => {
  if (!active(env)) return [];
  const agentsOn = env.components.get(AGENTS_APP)?.enabled ?? false;
  const names = agentsOf(env.config).filter((a) => a.enabled !== false).map((a) => a.name);
  return benchmarkRunsOf(env.config).flatMap((r, i) => {
    if (r.enabled === false) return [];
    if (r.kind === 'guidellm') {
      return r.agent ? [finding(env, `/benchmarks/${i}/agent`, `guidellm run "${r.id}" loads the model directly: it names no agent`)] : [];
    }
    const out: Finding[] = [];
    if (!r.agent) out.push(finding(env, `/benchmarks/${i}`, `${r.kind} run "${r.id}" needs an agent (the harness talks to it over A2A)`));
    else if (!agentsOn || !names.includes(r.agent)) {
      out.push(finding(env, `/benchmarks/${i}/agent`, `"${r.agent}" is not an enabled agent of agents: (have: ${agentsOn ? names.join(', ') || 'none' : 'none, components.agents is disabled'})`));
    }
    if (!r.command?.length) out.push(finding(env, `/benchmarks/${i}`, `${r.kind} run "${r.id}" needs its harness command (the Job wraps it to record failed runs)`));
    return out;
  });
};

export const BENCHMARK_RULES: EnvRule[] = [benchmarkIdsUnique, benchmarkModels, benchmarkMcpServers, benchmarkImages, benchmarkAgents];
