/**
 * The catalog components the tool itself knows by name (their facts are derived, their rules
 * checked), the names it expects in config (PostgreSQL roles and databases), and typed readers
 * of the config lists. Rules and derivations both read config through these.
 */
import type { EnvConfig } from './environment.ts';
import type { Model } from './schema-types.ts';

export const POSTGRES_APP = 'postgres';
export const MODELS_APP = 'models';
export const LLAMA_STACK_APP = 'llama-stack';
export const INFERENCE_GATEWAY_APP = 'inference-gateway';

/** Llama Stack's PostgreSQL role and the databases it uses (postgres.databases keys). */
export const LLAMA_STACK_PG_ROLE = 'llamastack';
export const LLAMA_STACK_PG_DATABASES = { vectors: 'vectors', kvsql: 'llamastack' } as const;

/** Most dimensions the Llama Stack 0.7.1 pgvector adapter indexes (pgvector.py:178). */
export const PGVECTOR_MAX_INDEX_DIMENSIONS = 2000;

/** The `models:` list of an environment ([] when it has none). */
export function modelsOf(config: EnvConfig): Model[] {
  return config.models ?? [];
}

/** Names of the models an environment serves, in file order (for the agents' and benchmarks' rules). */
export function modelNames(config: EnvConfig): string[] {
  return modelsOf(config).map((m) => m.name);
}
