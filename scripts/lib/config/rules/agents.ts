/**
 * Rules for the agents layer (`agents:`, components agents and webui): every agent names a
 * served llm model and MCP servers that exist, with a unique name. Findings point at the key.
 */
import { agentsOf, AGENTS_APP, mcpServerConfigs, mcpServerNames, modelsOf, WEBUI_NAME } from '../components.ts';
import { modelMissing } from './inference.ts';
import type { ResolvedEnv } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

/** A model name of models: that is an llm, or the message why not (agents and benchmarks). */
export function llmProblem(env: ResolvedEnv, name: string): string | undefined {
  const models = modelsOf(env.config);
  const m = models.find((x) => x.name === name);
  if (!m) return modelMissing(env, name, models);
  if (m.role !== 'llm') return `"${name}" is an ${m.role} model: it needs an llm model`;
  return undefined;
}

/**
 * Each named MCP server is an entry of mcp.servers. A server listed with enabled: false is not an
 * error: it is off in this environment, and the agent or run gets the tools of the others.
 */
export function unknownMcpServers(env: ResolvedEnv, base: string, names: string[] | undefined): Finding[] {
  const known = mcpServerNames(env.config);
  const listed = mcpServerConfigs(env.config).map((s) => s.name);
  return (names ?? []).flatMap((n, j) =>
    listed.includes(n) ? [] : [finding(env, `${base}/mcpServers/${j}`, `"${n}" is not an MCP server in mcp.servers (have: ${known.join(', ') || 'none'})`)],
  );
}

function active(env: ResolvedEnv): boolean {
  return env.components.get(AGENTS_APP)?.enabled ?? false;
}

/** Agent names are unique and do not take the UI's name (same namespace). */
export const agentNamesUnique: EnvRule = (env) => {
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  agentsOf(env.config).forEach((a, i) => {
    const prev = seen.get(a.name);
    if (prev !== undefined) out.push(finding(env, `/agents/${i}/name`, `agent "${a.name}" is already defined at agents[${prev}]`));
    else seen.set(a.name, i);
    if (a.name === WEBUI_NAME) out.push(finding(env, `/agents/${i}/name`, `"${WEBUI_NAME}" is the Llama Stack UI's name in the same namespace: choose another agent name`));
  });
  return out;
};

/** An agent's model is a served llm. */
export const agentModels: EnvRule = (env) => {
  if (!active(env)) return [];
  return agentsOf(env.config).flatMap((a, i) => {
    if (a.enabled === false) return [];
    const problem = llmProblem(env, a.model);
    return problem ? [finding(env, `/agents/${i}/model`, problem)] : [];
  });
};

/** An agent's MCP servers are listed (and enabled) in mcp.servers. */
export const agentMcpServers: EnvRule = (env) => {
  if (!active(env)) return [];
  return agentsOf(env.config).flatMap((a, i) => (a.enabled === false ? [] : unknownMcpServers(env, `/agents/${i}`, a.mcpServers)));
};

/**
 * Per-tool authorization (agents[].tools): a list only for servers of its mcpServers, and once
 * an agent lists tools, one list per server it names (its MCPVirtualServer shows only listed tools).
 */
export const agentTools: EnvRule = (env) => {
  if (!active(env)) return [];
  return agentsOf(env.config).flatMap((a, i) => {
    if (a.enabled === false || !a.tools) return [];
    const named = a.mcpServers ?? [];
    const out: Finding[] = [];
    for (const s of Object.keys(a.tools)) {
      if (!named.includes(s)) out.push(finding(env, `/agents/${i}/tools/${s}`, `"${s}" is not in this agent's mcpServers (${named.join(', ') || 'none'})`));
    }
    for (const s of named) {
      if (!(s in a.tools)) out.push(finding(env, `/agents/${i}/tools`, `no tool list for MCP server "${s}": an agent with tools lists them for every server of its mcpServers`));
    }
    return out;
  });
};

export const AGENT_RULES: EnvRule[] = [agentNamesUnique, agentModels, agentMcpServers, agentTools];
