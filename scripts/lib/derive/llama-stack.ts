/**
 * Llama Stack's run config (operator v0.9.0 ConfigMap key `config.yaml`): one vLLM provider per
 * served model (and LoRA adapter), pgvector and PostgreSQL storage, and one MCP connector for the
 * enabled MCP servers behind the gateway's endpoint (mcpConnectors). Field shapes follow the 0.7.1 pydantic models
 * (schemas/app-configs/llama-stack-run-config.schema.json is written from them).
 */
import { LLAMA_STACK_PG_DATABASES, PGVECTOR_MAX_INDEX_DIMENSIONS } from '../config/components.ts';
import type { McpFacts } from './mcp.ts';
import { llamaStackModelId, type ModelFact, type ModelRole } from './models.ts';

/** The LlamaStackDistribution name; the operator names its Service `<name>-service`. */
export const LLAMA_STACK_NAME = 'llama-stack';
export const LLAMA_STACK_PORT = 8321;

/** An MCP server Llama Stack reaches through the MCP gateway. */
export interface McpServerRef {
  name: string;
  url: string;
}

/**
 * The MCP servers of an environment, read from the MCP layer's env section when there is one:
 * `mcp.servers: [{name, enabled?, url?}]` and `mcp.gateway.url` (the gateway's MCP endpoint).
 * A server without its own url is reached at the gateway URL. No section, no servers: the MCP
 * layer adds data here, nothing in this layer changes.
 */
export function mcpServers(mcp: McpFacts['mcp']): McpServerRef[] {
  if (!mcp.enabled) return [];
  return mcp.servers.filter((s) => s.enabled).map((s) => ({ name: s.name, url: mcp.gateway.url }));
}

/** The connector of the servers that share the MCP gateway's one endpoint. */
export const MCP_GATEWAY_CONNECTOR = 'mcp-gateway';

/**
 * One connector per MCP endpoint, not per server. The gateway (mcp-gateway v0.9.0) serves every
 * server's tools, prefixed, at one URL and narrows them only by the X-Mcp-Virtualserver header
 * (internal/broker/broker.go GetVirtualServerByHeader, discovery.go applyVirtualServerFilter),
 * and a 0.7.1 connector has no headers (llama_stack_api/connectors/models.py): four connectors
 * at that URL each listed all tools under a server's name. So the servers behind the gateway are
 * one connector, `mcp-gateway`; a client narrows it per request with the MCP tool's
 * `allowed_tools` (prefixed names) or `headers` (openai_responses.py OpenAIResponseInputToolMCP).
 */
export function mcpConnectors(mcp: McpServerRef[]): Record<string, unknown>[] {
  const byUrl = new Map<string, string[]>();
  for (const s of mcp) byUrl.set(s.url, [...(byUrl.get(s.url) ?? []), s.name]);
  return [...byUrl].map(([url, names]) => {
    const id = names.length === 1 ? names[0]! : MCP_GATEWAY_CONNECTOR;
    return { connector_type: 'mcp', connector_id: id, url, server_label: id };
  });
}

export interface LlamaStackSettings {
  defaultModel?: string;
  defaultEmbeddingModel?: string;
  distanceMetric?: string;
  vectorIndex?: { m: number; efConstruction: number; efSearch: number };
  replicas?: number;
  files?: { size?: string; storageClass?: string; accessMode?: string };
}

/** Where uploaded files live: the shared files volume when configured, else the pod's /.llama emptyDir. */
export const FILES_MOUNT = '/data/files';
export const filesDir = (settings: LlamaStackSettings): string => (settings.files ? FILES_MOUNT : '/.llama/files');

/** The first model of a role, or the one named in the settings. */
export function pickModel(models: ModelFact[], role: ModelRole, name: string | undefined): ModelFact | undefined {
  return models.find((m) => m.role === role && (name === undefined || m.name === name));
}

/**
 * The Llama Stack run config (operator v0.9.0 ConfigMap key `config.yaml`, distribution 0.7.x
 * field names). Secrets are never in it: `${env.POSTGRES_USER}` / `${env.POSTGRES_PASSWORD}` come
 * from the role's ExternalSecret through the container environment.
 */
export function llamaStackRunConfig(args: {
  models: ModelFact[];
  settings: LlamaStackSettings;
  postgres: { host: string; port: number; databases: Record<string, { name: string }> };
  mcp: McpServerRef[];
}): Record<string, unknown> {
  const { models, settings, postgres, mcp } = args;
  const pg = (purpose: keyof typeof LLAMA_STACK_PG_DATABASES): string =>
    postgres.databases[LLAMA_STACK_PG_DATABASES[purpose]]?.name ?? LLAMA_STACK_PG_DATABASES[purpose];
  const conn = (db: string) => ({
    host: postgres.host,
    port: postgres.port,
    db,
    user: '${env.POSTGRES_USER}',
    password: '${env.POSTGRES_PASSWORD}',
  });
  const index = settings.vectorIndex ?? { m: 16, efConstruction: 64, efSearch: 40 };
  const embedding = pickModel(models, 'embedding', settings.defaultEmbeddingModel);
  // The pgvector adapter indexes at most 2000 dimensions (pgvector.py:178): no index settings above.
  const indexed = (embedding?.embeddingDimension ?? 0) <= PGVECTOR_MAX_INDEX_DIMENSIONS;
  const config: Record<string, unknown> = {
    version: 2,
    distro_name: 'catalyst',
    apis: ['files', 'inference', 'responses', 'tool_runtime', 'vector_io'],
    providers: {
      inference: models.map((m) => ({
        provider_id: m.providerId,
        provider_type: 'remote::vllm',
        config: { base_url: m.endpoint, max_tokens: m.maxTokens, api_token: '${env.VLLM_API_TOKEN:=fake}' },
      })),
      vector_io: [
        {
          provider_id: 'pgvector',
          provider_type: 'remote::pgvector',
          config: {
            ...conn(pg('vectors')),
            distance_metric: settings.distanceMetric ?? 'COSINE',
            ...(indexed ? { vector_index: { type: 'HNSW', m: index.m, ef_construction: index.efConstruction, ef_search: index.efSearch } } : {}),
            persistence: { namespace: 'vector_io::pgvector', backend: 'kv_default' },
          },
        },
      ],
      responses: [
        {
          provider_id: 'builtin',
          provider_type: 'inline::builtin',
          config: {
            persistence: {
              agent_state: { namespace: 'agents', backend: 'kv_default' },
              responses: { table_name: 'responses', backend: 'sql_default', max_write_queue_size: 10000, num_writers: 4 },
            },
          },
        },
      ],
      tool_runtime: [
        { provider_id: 'file-search', provider_type: 'inline::file-search', config: {} },
        { provider_id: 'model-context-protocol', provider_type: 'remote::model-context-protocol', config: {} },
      ],
      files: [
        {
          provider_id: 'localfs',
          provider_type: 'inline::localfs',
          config: { storage_dir: filesDir(settings), metadata_store: { table_name: 'files_metadata', backend: 'sql_default' } },
        },
      ],
    },
    storage: {
      backends: {
        kv_default: { type: 'kv_postgres', ...conn(pg('kvsql')), table_name: 'llamastack_kvstore' },
        sql_default: { type: 'sql_postgres', ...conn(pg('kvsql')) },
      },
      stores: {
        metadata: { namespace: 'registry', backend: 'kv_default' },
        inference: { table_name: 'inference_store', backend: 'sql_default', max_write_queue_size: 10000, num_writers: 4 },
        conversations: { table_name: 'openai_conversations', backend: 'sql_default' },
        prompts: { namespace: 'prompts', backend: 'kv_default' },
        connectors: { namespace: 'connectors', backend: 'kv_default' },
      },
    },
    registered_resources: {
      // Tool groups are not registered: 0.7.1 empties registered_resources.tool_groups and
      // auto-registers builtin::file_search from the tool_runtime provider.
      models: models.flatMap((m) => [
        {
          model_id: m.modelId,
          provider_id: m.providerId,
          provider_model_id: m.servedName,
          model_type: m.role,
          metadata: m.role === 'embedding' ? { embedding_dimension: m.embeddingDimension } : {},
        },
        // vLLM serves each LoRA adapter under its own name on the base model's endpoint.
        ...((m.serving.lora?.adapters as { name: string }[] | undefined) ?? []).map((a) => ({
          model_id: llamaStackModelId(m.providerId, a.name),
          provider_id: m.providerId,
          provider_model_id: a.name,
          model_type: 'llm',
          metadata: {},
        })),
      ]),
    },
    // MCP servers are connectors in 0.7.1 (clients use tools: [{type: mcp, connector_id}]).
    connectors: mcpConnectors(mcp),
    server: { port: LLAMA_STACK_PORT },
  };
  if (embedding) {
    config.vector_stores = {
      default_provider_id: 'pgvector',
      // stack.py validates `<provider_id>/<model_id>` here: model_id is the provider's own name.
      default_embedding_model: { provider_id: embedding.providerId, model_id: embedding.servedName },
    };
  }
  return config;
}
