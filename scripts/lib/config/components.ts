/**
 * The catalog components the tool itself knows by name (their facts are derived, their rules
 * checked), the names it expects in config (PostgreSQL roles and databases), and typed readers
 * of the config lists. Rules and derivations both read config through these.
 */
import type { EnvConfig } from './environment.ts';
import type { Agent, BenchmarkRun, McpServer, Model } from './schema-types/index.ts';

export const POSTGRES_APP = 'postgres';
export const MODELS_APP = 'models';
export const LLAMA_STACK_APP = 'llama-stack';
export const INFERENCE_GATEWAY_APP = 'inference-gateway';
export { MCP_GATEWAY_APP } from './mcp-facts.ts';
export const AGENTS_APP = 'agents';
export const WEBUI_APP = 'webui';
export const BENCHMARKS_APP = 'benchmarks';
/** The ServiceAccount benchmark Jobs run as (the MCP gateway's tool ACL names it). */
export const RUNNER_SERVICE_ACCOUNT = 'benchmark-runner';
export const OTEL_COLLECTOR_APP = 'otel-collector';
export const MLFLOW_APP = 'mlflow';

/** The WebUI's object names (no agent may take it). */
export const WEBUI_NAME = 'webui';

/** An MCP server type: the `mcpServer.type` of a catalog entry (config/mcp-facts.ts). */
export type ServerType = McpServer['type'];

/** Llama Stack's PostgreSQL role and the databases it uses (postgres.databases keys). */
export const LLAMA_STACK_PG_ROLE = 'llamastack';
export const LLAMA_STACK_PG_DATABASES = { vectors: 'vectors', kvsql: 'llamastack' } as const;

/** Most dimensions the Llama Stack 0.7.1 pgvector adapter indexes (pgvector.py:178). */
export const PGVECTOR_MAX_INDEX_DIMENSIONS = 2000;

/** The models an environment serves: its `models:` list without the entries set to `enabled: false`. */
export function modelsOf(config: EnvConfig): Model[] {
  return (config.models ?? []).filter((m) => m.enabled !== false);
}

/** The `agents:` list of an environment ([] when it has none). */
export function agentsOf(config: EnvConfig): Agent[] {
  return config.agents ?? [];
}

/** The `benchmarks:` runs of an environment ([] when it has none). */
export function benchmarkRunsOf(config: EnvConfig): BenchmarkRun[] {
  return config.benchmarks ?? [];
}

/** The `mcp.servers` list of an environment ([] when it has none). */
export function mcpServerConfigs(config: EnvConfig): McpServer[] {
  return config.mcp?.servers ?? [];
}

/** Names of the enabled MCP servers (what agents and benchmarks may name). */
export function mcpServerNames(config: EnvConfig): string[] {
  return mcpServerConfigs(config)
    .filter((s) => s.enabled !== false)
    .map((s) => s.name);
}
