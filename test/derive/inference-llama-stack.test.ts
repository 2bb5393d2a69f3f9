/**
 * Llama Stack wiring through the real pipeline: one provider and one registered model per
 * model, pgvector, PostgreSQL stores, MCP tool groups, telemetry.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { derive } from '../../scripts/lib/derive/index.ts';
import { modelsOf } from '../../scripts/lib/config/components.ts';
import { llamaStackRunConfig, mcpServers } from '../../scripts/lib/derive/llama-stack.ts';
import type { ModelFact } from '../../scripts/lib/derive/models.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { docs, renderFixture, renderTemp, type Obj } from '../helpers/render.ts';
import { ok, runConfig, services } from '../helpers/inference.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

describe('llama-stack: the server and its run config', () => {
  it('has one remote::vllm provider per model, pointing at the model\'s route through the Gateway', () => {
    const cfg = runConfig(renderFixture('prod'));
    expect(cfg.providers.inference).toEqual([
      {
        provider_id: 'qwen3-next-80b',
        provider_type: 'remote::vllm',
        config: {
          base_url: 'http://kserve-ingress-gateway-istio.kserve.svc.cluster.local/catalyst-inference/qwen3-next-80b/v1',
          max_tokens: 4096,
          api_token: '${env.VLLM_API_TOKEN:=fake}',
        },
      },
      expect.objectContaining({ provider_id: 'qwen3-embedding-8b', provider_type: 'remote::vllm' }),
      expect.objectContaining({ provider_id: 'gpt-oss-20b', provider_type: 'remote::vllm' }),
    ]);
  });

  it('registers every model, the embedding model with its dimension', () => {
    const cfg = runConfig(renderFixture('prod'));
    expect(cfg.registered_resources.models).toEqual([
      { model_id: 'qwen3-next-80b/RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', provider_id: 'qwen3-next-80b', provider_model_id: 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', model_type: 'llm', metadata: {} },
      { model_id: 'qwen3-embedding-8b/Qwen/Qwen3-Embedding-8B', provider_id: 'qwen3-embedding-8b', provider_model_id: 'Qwen/Qwen3-Embedding-8B', model_type: 'embedding', metadata: { embedding_dimension: 4096 } },
      { model_id: 'gpt-oss-20b/RedHatAI/gpt-oss-20b', provider_id: 'gpt-oss-20b', provider_model_id: 'RedHatAI/gpt-oss-20b', model_type: 'llm', metadata: {} },
    ]);
    expect(cfg.vector_stores.default_embedding_model).toEqual({ provider_id: 'qwen3-embedding-8b', model_id: 'Qwen/Qwen3-Embedding-8B' });
  });

  it('keeps vectors in pgvector (no index settings for 4096 dimensions) and its KV and SQL stores on PostgreSQL, credentials only from the environment', () => {
    const cfg = runConfig(renderFixture('prod'));
    const pg = cfg.providers.vector_io[0];
    expect(pg.provider_type).toBe('remote::pgvector');
    expect(pg.config).toMatchObject({
      host: 'catalyst-pg-rw.catalyst-data.svc.cluster.local',
      port: 5432,
      db: 'vectors',
      user: '${env.POSTGRES_USER}',
      password: '${env.POSTGRES_PASSWORD}',
      distance_metric: 'COSINE',
    });
    expect(pg.config.vector_index).toBeUndefined();
    expect(cfg.storage.backends.kv_default).toMatchObject({ type: 'kv_postgres', db: 'llamastack', password: '${env.POSTGRES_PASSWORD}' });
    expect(cfg.storage.backends.sql_default).toMatchObject({ type: 'sql_postgres', db: 'llamastack', user: '${env.POSTGRES_USER}' });
    expect(cfg.providers.tool_runtime.map((p: Obj) => p.provider_type)).toEqual(['inline::file-search', 'remote::model-context-protocol']);
  });

  it('reads the role password from an ExternalSecret following the PostgreSQL role convention', () => {
    const out = renderFixture('prod');
    const [es] = docs(out, 'llama-stack/postgres-credentials.yaml');
    expect(es).toMatchObject({
      kind: 'ExternalSecret',
      metadata: { name: 'postgres-llamastack', namespace: 'catalyst-llama-stack' },
      spec: { target: { template: { type: 'kubernetes.io/basic-auth', data: { username: 'llamastack' } } }, data: [{ secretKey: 'password', remoteRef: { key: 'catalyst/prod/postgres/llamastack', property: 'password' } }] },
    });
    const [lsd] = docs(out, 'llama-stack/llama-stack.yaml');
    const env = new Map(lsd!.spec.server.containerSpec.env.map((e: Obj) => [e.name, e]));
    expect(env.get('POSTGRES_PASSWORD')).toEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-llamastack', key: 'password' } } });
  });

  it('sends traces to the collector from facts.otel and rolls on config changes', () => {
    const out = renderFixture('prod');
    const facts = derive(out.plan!) as { otel: { http: string } };
    const [lsd] = docs(out, 'llama-stack/llama-stack.yaml');
    const env = new Map(lsd!.spec.server.containerSpec.env.map((e: Obj) => [e.name, e.value]));
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(facts.otel.http);
    expect(env.get('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
    expect(lsd!.spec.server.userConfig).toEqual({ configMapName: 'llama-stack-config' });
    expect(lsd!.spec.server.distribution).toEqual({ image: 'docker.io/llamastack/distribution-starter:0.7.1' });
    expect(lsd!.spec.server.podOverrides.serviceAccountName).toBe('llama-stack');
    const [cm] = docs(out, 'llama-stack/config.yaml');
    expect(cm!.metadata.labels['llamastack.io/watch']).toBe('true');
    expect(Object.keys(cm!.data)).toEqual(['config.yaml']);
    expect(lsd!.metadata.annotations['catalyst.dev/config-checksum']).toMatch(/^[a-f0-9]{64}$/);
  });

  it('exports the Llama Stack URL and the models for other layers', () => {
    const out = renderFixture('prod');
    const facts = derive(out.plan!) as { llamaStack: { url: string }; models: ModelFact[] };
    expect(facts.llamaStack.url).toBe('http://llama-stack-service.catalyst-llama-stack.svc.cluster.local:8321');
    expect(facts.models.map((m) => [m.name, m.role, m.servedName])).toEqual([
      ['qwen3-next-80b', 'llm', 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8'],
      ['qwen3-embedding-8b', 'embedding', 'Qwen/Qwen3-Embedding-8B'],
      ['gpt-oss-20b', 'llm', 'RedHatAI/gpt-oss-20b'],
    ]);
    expect(modelsOf(out.plan!.env.config).map((m) => m.name)).toEqual(['qwen3-next-80b', 'qwen3-embedding-8b', 'gpt-oss-20b']);
  });

  it('has one MCP connector per enabled MCP server, from the MCP layer\'s data only', () => {
    const url = 'http://mcp-gateway.mcp-system.svc.cluster.local/mcp';
    const mcp = { enabled: true, gateway: { url }, servers: [{ name: 'github', enabled: true }, { name: 'jira', enabled: false }, { name: 'search', enabled: true }] };
    const servers = mcpServers(mcp as unknown as Parameters<typeof mcpServers>[0]);
    expect(servers).toEqual([
      { name: 'github', url },
      { name: 'search', url },
    ]);
    expect(mcpServers({ ...mcp, enabled: false } as unknown as Parameters<typeof mcpServers>[0])).toEqual([]);
    const cfg = llamaStackRunConfig({ models: [], settings: {}, postgres: { host: 'pg', port: 5432, databases: {} }, mcp: servers }) as Obj;
    // The servers share the gateway's one endpoint: one connector, not one per server that
    // would each list every server's tools.
    expect(cfg.connectors).toEqual([{ connector_type: 'mcp', connector_id: 'mcp-gateway', url, server_label: 'mcp-gateway' }]);
    expect(cfg.registered_resources.tool_groups).toBeUndefined();
    const connectors = runConfig(renderFixture('prod')).connectors as { connector_id: string; url: string }[];
    expect(connectors).toEqual([{ connector_type: 'mcp', connector_id: 'mcp-gateway', url: 'http://mcp-gateway-istio.catalyst-mcp.svc.cluster.local:8080/mcp', server_label: 'mcp-gateway' }]);
  });

  it('a Matryoshka embedding model at 1024 of its 4096 dimensions gets an HNSW index, and vLLM answers the dimensions asked', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    embeddingDimension: 4096\n', '    matryoshka: true\n    embeddingDimension: 1024\n');
    tp.edit('environments/prod.yaml', '  llama-stack:\n', '  llama-stack:\n    vectorIndex: { m: 16, efConstruction: 64, efSearch: 40 }\n');
    const out = ok(renderTemp(tp, 'prod'));
    const cfg = runConfig(out);
    expect(cfg.providers.vector_io[0].config.vector_index).toEqual({ type: 'HNSW', m: 16, ef_construction: 64, ef_search: 40 });
    expect(cfg.registered_resources.models.find((m: Obj) => m.model_type === 'embedding').metadata).toEqual({ embedding_dimension: 1024 });
    const env = services(out).get('qwen3-embedding-8b')!.spec.template.containers[0].env as Obj[];
    expect(env.find((e) => e.name === 'VLLM_ADDITIONAL_ARGS')!.value.split(' ')).toContain('--hf-overrides={"is_matryoshka":true}');
  });

  it('matryoshka on a generating model is a config error at its line', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    toolCallParser: openai\n', '    toolCallParser: openai\n    matryoshka: true\n');
    const f = renderTemp(tp, 'prod').findings;
    expect(f.map((x) => x.message)).toEqual(['matryoshka sizes embeddings; "gpt-oss-20b" is an llm model']);
    expect(f[0]!.path).toMatch(/^\/models\/\d+\/matryoshka$/);
  });

  it('a model added to the env appears as a provider and a registered model', () => {
    tp = tempProject();
    tp.edit(
      'environments/prod.yaml',
      'components:\n  cert-manager:',
      [
        '  - name: granite-4-tiny',
        '    role: llm',
        '    uri: hf://ibm-granite/granite-4.0-h-tiny',
        '    servedName: ibm-granite/granite-4.0-h-tiny',
        '    tensorParallelism: 1',
        'components:',
        '  cert-manager:',
      ].join('\n'),
    );
    const out = ok(renderTemp(tp, 'prod'));
    expect([...services(out).keys()]).toContain('granite-4-tiny');
    const cfg = runConfig(out);
    expect(cfg.providers.inference.at(-1)).toEqual({
      provider_id: 'granite-4-tiny',
      provider_type: 'remote::vllm',
      config: { base_url: 'http://kserve-ingress-gateway-istio.kserve.svc.cluster.local/catalyst-inference/granite-4-tiny/v1', max_tokens: 4096, api_token: '${env.VLLM_API_TOKEN:=fake}' },
    });
    expect(cfg.registered_resources.models.at(-1)).toEqual({
      model_id: 'granite-4-tiny/ibm-granite/granite-4.0-h-tiny',
      provider_id: 'granite-4-tiny',
      provider_model_id: 'ibm-granite/granite-4.0-h-tiny',
      model_type: 'llm',
      metadata: {},
    });
    expect(docs(out, 'models/podmonitors.yaml').map((m) => m.metadata.name)).toContain('granite-4-tiny-vllm');
  });
});
