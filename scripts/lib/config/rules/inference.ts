/**
 * Rules for the inference layer: the models an environment serves must fit its GPU nodes, and
 * Llama Stack must find what it is wired to (models of each role, its PostgreSQL role and
 * databases). Each finding points at the key in the env file (or the file it extends).
 */
import { LLAMA_STACK_APP, LLAMA_STACK_PG_DATABASES, LLAMA_STACK_PG_ROLE, MODELS_APP } from '../components.ts';
import type { Model as ModelConfig } from '../schema-types/index.ts';
import { componentSettings, type ResolvedEnv } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding, postgresOf } from './types.ts';
import { GPU_RULES } from './gpu.ts';
import { MODEL_CAPABILITY_RULES } from './model-capabilities.ts';
import { PGVECTOR_MAX_INDEX_DIMENSIONS } from '../components.ts';
import { own } from '../../own.ts';

/** Every entry of `models:` (disabled ones too) with its index in the merged list, for pointers. */
export function listedModels(env: ResolvedEnv): { m: ModelConfig; i: number }[] {
  return Array.isArray(env.config.models) ? (env.config.models as ModelConfig[]).map((m, i) => ({ m, i })) : [];
}

/** The models to check: the enabled entries, only when the models component is on. */
function served(env: ResolvedEnv): { m: ModelConfig; i: number }[] {
  return env.components.get(MODELS_APP)?.enabled ? listedModels(env).filter(({ m }) => m.enabled !== false) : [];
}

/** Why `name` is not among `served`: not listed, or listed with enabled: false. */
export function modelMissing(env: ResolvedEnv, name: string, served: ModelConfig[]): string {
  const listed = listedModels(env).find(({ m }) => m.name === name);
  if (listed && listed.m.enabled === false) return `model "${name}" is disabled in this environment (models[${listed.i}] has enabled: false)`;
  return `"${name}" is not a model in models: (have: ${served.map((x) => x.name).join(', ') || 'none'})`;
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Model names (the LLMInferenceService names) and served names are each used once. */
export const modelNamesUnique: EnvRule = (env) => {
  const out: Finding[] = [];
  const names = new Map<string, number>();
  const served = new Map<string, number>();
  listedModels(env).forEach(({ m, i }) => {
    const n = names.get(m.name);
    if (n !== undefined) out.push(finding(env, `/models/${i}/name`, `model "${m.name}" is already defined at models[${n}]`));
    else names.set(m.name, i);
    const s = served.get(m.servedName);
    if (s !== undefined) out.push(finding(env, `/models/${i}/servedName`, `served name "${m.servedName}" is already used by models[${s}]`));
    else served.set(m.servedName, i);
  });
  return out;
};

/** Tensor parallelism is a power of two (vLLM splits attention heads evenly across GPUs). */
export const tensorParallelismPowerOfTwo: EnvRule = (env) =>
  served(env).flatMap(({ m, i }) =>
    isPowerOfTwo(m.tensorParallelism)
      ? []
      : [finding(env, `/models/${i}/tensorParallelism`, `tensor parallelism ${m.tensorParallelism} of model "${m.name}" is not a power of two (1, 2, 4, 8 or 16)`)],
  );

/** Llama Stack needs an llm and an embedding model, and the defaults it names must exist with that role. */
export const llamaStackModels: EnvRule = (env) => {
  const ls = env.components.get(LLAMA_STACK_APP);
  if (!ls?.enabled) return [];
  const out: Finding[] = [];
  const models = served(env).map(({ m }) => m);
  for (const role of ['llm', 'embedding'] as const) {
    if (!models.some((m) => m.role === role)) {
      out.push(finding(env, `/components/${LLAMA_STACK_APP}`, `Llama Stack is enabled but models: has no ${role} model${role === 'embedding' ? ' (vector stores need one)' : ''}`));
    }
  }
  const named: ['defaultModel' | 'defaultEmbeddingModel', 'llm' | 'embedding'][] = [
    ['defaultModel', 'llm'],
    ['defaultEmbeddingModel', 'embedding'],
  ];
  for (const [key, role] of named) {
    const name = componentSettings(env, LLAMA_STACK_APP)?.[key];
    if (typeof name !== 'string') continue;
    const m = models.find((x) => x.name === name);
    if (!m) out.push(finding(env, `/components/${LLAMA_STACK_APP}/${key}`, modelMissing(env, name, models)));
    else if (m.role !== role) out.push(finding(env, `/components/${LLAMA_STACK_APP}/${key}`, `"${name}" is an ${m.role} model, not an ${role} model`));
  }
  return out;
};

/** Llama Stack's PostgreSQL role and databases exist, owned by that role; the vector database has pgvector. */
export const llamaStackPostgres: EnvRule = (env) => {
  const ls = env.components.get(LLAMA_STACK_APP);
  const pg = env.components.get('postgres');
  if (!ls?.enabled || !pg?.enabled) return [];
  const out: Finding[] = [];
  const { databases: dbs, roles } = postgresOf(env);
  if (!(LLAMA_STACK_PG_ROLE in roles)) {
    out.push(finding(env, '/components/postgres/roles', `Llama Stack needs the PostgreSQL role "${LLAMA_STACK_PG_ROLE}"`));
  }
  for (const purpose of Object.values(LLAMA_STACK_PG_DATABASES)) {
    const db = own(dbs, purpose);
    if (!db) {
      out.push(finding(env, '/components/postgres/databases', `Llama Stack needs the database "${purpose}" (components.postgres.databases.${purpose})`));
      continue;
    }
    if (db.owner !== LLAMA_STACK_PG_ROLE) {
      out.push(finding(env, `/components/postgres/databases/${purpose}/owner`, `database "${db.name}" is Llama Stack's: its owner must be "${LLAMA_STACK_PG_ROLE}"`));
    }
  }
  const vectors = dbs[LLAMA_STACK_PG_DATABASES.vectors];
  if (vectors && !(vectors.extensions ?? []).includes('vector')) {
    out.push(finding(env, `/components/postgres/databases/${LLAMA_STACK_PG_DATABASES.vectors}`, `database "${vectors.name}" holds Llama Stack's vectors: it needs the extension "vector"`));
  }
  return out;
};

/** HNSW: ef_construction of at least 2 * m (pgvector rejects smaller values). */
export const llamaStackVectorIndex: EnvRule = (env) => {
  const ls = env.components.get(LLAMA_STACK_APP);
  if (!ls?.enabled) return [];
  const idx = componentSettings(env, LLAMA_STACK_APP)?.vectorIndex;
  if (!idx || idx.efConstruction >= 2 * idx.m) return [];
  return [
    finding(
      env,
      `/components/${LLAMA_STACK_APP}/vectorIndex/efConstruction`,
      `HNSW ef_construction ${idx.efConstruction} must be at least 2 * m (${2 * idx.m})`,
    ),
  ];
};

/**
 * The pgvector adapter of Llama Stack 0.7.1 builds its HNSW/IVFFlat index only up to 2000
 * dimensions (providers/remote/vector_io/pgvector/pgvector.py:178, 222-242): above that, the
 * index settings do nothing and every search is a full scan.
 */
export const llamaStackIndexDimensions: EnvRule = (env) => {
  const ls = env.components.get(LLAMA_STACK_APP);
  if (!ls?.enabled) return [];
  const settings = componentSettings(env, LLAMA_STACK_APP);
  if (!settings?.vectorIndex) return [];
  const models = served(env).map(({ m }) => m).filter((m) => m.role === 'embedding');
  const name = settings.defaultEmbeddingModel;
  const m = models.find((x) => name === undefined || x.name === name);
  if (!m || (m.embeddingDimension ?? 0) <= PGVECTOR_MAX_INDEX_DIMENSIONS) return [];
  return [
    finding(
      env,
      `/components/${LLAMA_STACK_APP}/vectorIndex`,
      `embedding model "${m.name}" has ${m.embeddingDimension} dimensions: the pgvector adapter of Llama Stack 0.7.1 builds no index above ${PGVECTOR_MAX_INDEX_DIMENSIONS}, so vectorIndex does nothing and search is a full scan (drop vectorIndex, pick a model of at most ${PGVECTOR_MAX_INDEX_DIMENSIONS} dimensions, or, for a Matryoshka model such as Qwen3-Embedding, set matryoshka: true and embeddingDimension: ${PGVECTOR_MAX_INDEX_DIMENSIONS} or less)`,
    ),
  ];
};

/** Several replicas share uploaded files only on a ReadWriteMany volume (operator v0.9.0: /.llama is a per-pod emptyDir). */
export const llamaStackSharedFiles: EnvRule = (env) => {
  const ls = env.components.get(LLAMA_STACK_APP);
  if (!ls?.enabled) return [];
  const s = componentSettings(env, LLAMA_STACK_APP);
  const replicas = s?.replicas ?? 1;
  if (replicas <= 1) return [];
  if (!s?.files) {
    return [finding(env, `/components/${LLAMA_STACK_APP}/replicas`, `${replicas} Llama Stack replicas would keep uploaded files on per-pod emptyDirs: set components.${LLAMA_STACK_APP}.files (a ReadWriteMany volume)`)];
  }
  if (s.files.accessMode === 'ReadWriteOnce') {
    return [finding(env, `/components/${LLAMA_STACK_APP}/files/accessMode`, `${replicas} Llama Stack replicas on several nodes cannot share a ReadWriteOnce volume: use ReadWriteMany (if the files claim exists already, its access mode cannot change: delete the claim before the sync, copying the files first, or the API server refuses the update)`)];
  }
  return [];
};

export const INFERENCE_RULES: EnvRule[] = [
  modelNamesUnique,
  tensorParallelismPowerOfTwo,
  ...GPU_RULES,
  ...MODEL_CAPABILITY_RULES,
  llamaStackModels,
  llamaStackPostgres,
  llamaStackVectorIndex,
  llamaStackIndexDimensions,
  llamaStackSharedFiles,
];
