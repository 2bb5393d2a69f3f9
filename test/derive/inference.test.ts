/**
 * The GPU inference layer through the real pipeline: models -> LLMInferenceServices (GPUs,
 * MIG, vLLM flags, llm-d scheduler), Llama Stack wiring (one provider and one registered model
 * per model, pgvector, PostgreSQL stores, MCP tool groups, telemetry), health checks, the
 * validation rules with their file:line:col, and golden-style diffs of a changed env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { derive } from '../../scripts/lib/derive/index.ts';
import { modelNames } from '../../scripts/lib/config/components.ts';
import { llamaStackRunConfig, mcpServers } from '../../scripts/lib/derive/llama-stack.ts';
import type { ModelFact } from '../../scripts/lib/derive/models.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { type EnvOutput } from '../../scripts/lib/render/environment.ts';
import type { EnvConfig } from '../../scripts/lib/config/environment.ts';
import { formatFinding, type Finding, type SourcedObject } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { docs, lineAt, renderFixture, renderTemp, type Obj } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

function ok(out: EnvOutput): EnvOutput {
  if (out.findings.length) throw new Error(out.findings.map(formatFinding).join('\n'));
  return out;
}

function services(out: EnvOutput): Map<string, Obj> {
  return new Map(docs(out, 'models/llminferenceservices.yaml').map((o) => [o.metadata.name as string, o]));
}

function runConfig(out: EnvOutput): Obj {
  const cm = docs(out, 'llama-stack/config.yaml')[0]!;
  return parse(cm.data['config.yaml'] as string) as Obj;
}

const mainContainer = (svc: Obj): Obj => svc.spec.template.containers.find((c: Obj) => c.name === 'main');

/** Lines that differ between two texts: a small LCS diff, enough for rendered YAML. */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}

/** Every file that differs between two renders, with its changed lines. */
function treeDiff(before: EnvOutput, after: EnvOutput): Map<string, { removed: string[]; added: string[] }> {
  const out = new Map<string, { removed: string[]; added: string[] }>();
  for (const path of new Set([...before.files.keys(), ...after.files.keys()])) {
    const a = before.files.get(path) ?? '';
    const b = after.files.get(path) ?? '';
    if (a !== b) out.set(path, lineDiff(a, b));
  }
  return out;
}

describe('models: one LLMInferenceService per model', () => {
  it('prod renders the lab\'s three models and dev two', () => {
    expect([...services(renderFixture('prod')).keys()]).toEqual(['qwen3-next-80b', 'qwen3-embedding-8b', 'gpt-oss-20b']);
    expect([...services(renderFixture('dev')).keys()]).toHaveLength(2);
    expect([...services(renderFixture('staging')).keys()]).toHaveLength(3);
  });

  it('use the KServe v0.20 storage version with model URI, served name, replicas and tensor parallelism', () => {
    const svc = services(renderFixture('prod')).get('qwen3-next-80b')!;
    expect(svc.apiVersion).toBe('serving.kserve.io/v1alpha2');
    expect(svc.metadata.namespace).toBe('catalyst-inference');
    expect(svc.spec.model).toEqual({ uri: 'hf://RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', name: 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8' });
    expect(svc.spec.replicas).toBe(1);
    expect(svc.spec.parallelism).toEqual({ tensor: 2 });
  });

  it('request and limit as many GPUs as the tensor parallelism, on the env\'s GPU nodes', () => {
    const prod = services(renderFixture('prod'));
    const big = prod.get('qwen3-next-80b')!;
    const res = mainContainer(big).resources;
    expect(res.requests['nvidia.com/gpu']).toBe('2');
    expect(res.limits['nvidia.com/gpu']).toBe('2');
    expect(res.requests.cpu).toBe('8');
    expect(big.spec.template.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(big.spec.template.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const emb = mainContainer(prod.get('qwen3-embedding-8b')!).resources;
    expect([emb.requests['nvidia.com/gpu'], emb.limits['nvidia.com/gpu']]).toEqual(['1', '1']);
    const dev = services(renderFixture('dev'));
    for (const svc of dev.values()) expect(mainContainer(svc).resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it('put a MIG model on its MIG slice instead of a whole GPU', () => {
    const gpt = services(renderFixture('prod')).get('gpt-oss-20b')!;
    const res = mainContainer(gpt).resources;
    expect(res.requests['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(res.limits['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(res.requests['nvidia.com/gpu']).toBeUndefined();
    expect(gpt.spec.replicas).toBe(2);
  });

  it('pass the vLLM flags (context length, tool-call parser, prefix caching) through VLLM_ADDITIONAL_ARGS', () => {
    const prod = services(renderFixture('prod'));
    const env = (svc: Obj) => new Map<string, Obj>(mainContainer(svc).env.map((e: Obj) => [e.name, e]));
    const big = env(prod.get('qwen3-next-80b')!);
    expect(big.get('VLLM_ADDITIONAL_ARGS')!.value).toBe(
      '--max-model-len=65536 --enable-prefix-caching --enable-auto-tool-choice --tool-call-parser=hermes --disable-uvicorn-access-log',
    );
    expect(env(prod.get('gpt-oss-20b')!).get('VLLM_ADDITIONAL_ARGS')!.value).toContain('--tool-call-parser=openai');
    const emb = env(prod.get('qwen3-embedding-8b')!).get('VLLM_ADDITIONAL_ARGS')!.value as string;
    expect(emb).toContain('--runner=pooling');
    expect(emb).not.toContain('tool-call');
    expect(big.get('HF_TOKEN')!.valueFrom).toEqual({ secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } });
  });

  it('route through the managed route and the inference Gateway, with the llm-d scheduler and the env\'s scorer weights', () => {
    const prod = services(renderFixture('prod'));
    const big = prod.get('qwen3-next-80b')!;
    expect(big.spec.router.route).toEqual({});
    expect(big.spec.router.gateway).toEqual({ refs: [{ name: 'kserve-ingress-gateway', namespace: 'kserve' }] });
    // One replica: no scheduler (KServe v0.20: only effective with several replicas).
    expect(big.spec.router.scheduler).toBeUndefined();
    const gptCfg = prod.get('gpt-oss-20b')!.spec.router.scheduler.config.inline;
    expect(gptCfg.kind).toBe('EndpointPickerConfig');
    expect(gptCfg.plugins.map((p: Obj) => p.type)).toEqual(['single-profile-handler', 'queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer', 'max-score-picker']);
    // gpt-oss-20b takes the env's weights (components.models.scheduler.scorers).
    expect(prod.get('gpt-oss-20b')!.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins).toEqual([
      { pluginRef: 'queue-scorer', weight: 2 },
      { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
      { pluginRef: 'prefix-cache-scorer', weight: 3 },
      { pluginRef: 'max-score-picker' },
    ]);
    const gpt = prod.get('gpt-oss-20b')!;
    expect(gpt.spec.router.scheduler.replicas).toBe(2);
    expect(gpt.spec.router.scheduler.template.containers[0].resources.limits).toEqual({ cpu: '6', memory: '16Gi' });
  });

  it('run restricted: non-root, no escalation, no capabilities, seccomp, a writable root (NVIDIA CDI hook), emptyDirs and an in-memory /dev/shm', () => {
    const svc = services(renderFixture('prod')).get('qwen3-next-80b')!;
    const pod = svc.spec.template;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('model-server');
    const c = mainContainer(svc);
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts.map((m: Obj) => m.mountPath).sort()).toEqual(['/dev/shm', '/home', '/tmp']);
    expect(pod.volumes.find((v: Obj) => v.name === 'dshm').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '32Gi' });
  });

  it('give large models an hour to start, then probe readiness on the OpenAI API', () => {
    const c = mainContainer(services(renderFixture('prod')).get('qwen3-next-80b')!);
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(3600);
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 8000, scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet.path).toBe('/v1/models');
    expect(c.livenessProbe.httpGet.path).toBe('/health');
  });

  it('scrape vLLM metrics with a PodMonitor per model and take the Hugging Face token from an ExternalSecret', () => {
    const out = renderFixture('prod');
    const monitors = docs(out, 'models/podmonitors.yaml');
    expect(monitors.map((m) => m.metadata.name)).toEqual(['qwen3-next-80b-vllm', 'qwen3-embedding-8b-vllm', 'gpt-oss-20b-vllm']);
    expect(monitors[0]!.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'qwen3-next-80b', 'kserve.io/component': 'workload' });
    expect(monitors[0]!.spec.podMetricsEndpoints[0]).toMatchObject({ portNumber: 8000, path: '/metrics', scheme: 'http' });
    const [es] = docs(out, 'models/hf-token.yaml');
    expect(es!.kind).toBe('ExternalSecret');
    expect(es!.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'catalyst-vault' });
    expect(es!.spec.data).toEqual([{ secretKey: 'HF_TOKEN', remoteRef: { key: 'catalyst/prod/huggingface', property: 'token' } }]);
    for (const text of out.files.values()) expect(text).not.toMatch(/^kind: Secret$/m);
  });

  it('render the Gateway the kserve chart and every model refer to', () => {
    const out = renderFixture('prod');
    const [gw] = docs(out, 'inference-gateway/gateway.yaml');
    expect(gw).toMatchObject({ kind: 'Gateway', metadata: { name: 'kserve-ingress-gateway', namespace: 'kserve' }, spec: { gatewayClassName: 'istio' } });
    expect(gw!.spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['catalyst-inference']);
    const kserve = parse(out.files.get('apps/kserve.yaml')!) as Obj;
    expect(kserve.spec.source.helm.valuesObject.kserve.controller.gateway.ingressGateway.kserveGateway).toBe('kserve/kserve-ingress-gateway');
  });

  it('wait for the KServe controller, the LLMInferenceService CRDs, the Gateway and the secret store', () => {
    const { plan } = renderFixture('prod');
    const models = plan!.byName.get('models')!;
    expect(models.deps).toEqual(expect.arrayContaining(['kserve-llmisvc', 'kserve-llmisvc-crds', 'inference-gateway', 'secret-store']));
    const ls = plan!.byName.get('llama-stack')!;
    expect(ls.deps).toEqual(expect.arrayContaining(['llama-stack-operator', 'models', 'postgres']));
    expect(ls.wave).toBeGreaterThan(models.wave);
  });
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
      { model_id: 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', provider_id: 'qwen3-next-80b', provider_model_id: 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', model_type: 'llm', metadata: {} },
      { model_id: 'Qwen/Qwen3-Embedding-8B', provider_id: 'qwen3-embedding-8b', provider_model_id: 'Qwen/Qwen3-Embedding-8B', model_type: 'embedding', metadata: { embedding_dimension: 4096 } },
      { model_id: 'RedHatAI/gpt-oss-20b', provider_id: 'gpt-oss-20b', provider_model_id: 'RedHatAI/gpt-oss-20b', model_type: 'llm', metadata: {} },
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
      metadata: { name: 'postgres-llamastack', namespace: 'catalyst-inference' },
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
    expect(facts.llamaStack.url).toBe('http://llama-stack-service.catalyst-inference.svc.cluster.local:8321');
    expect(facts.models.map((m) => [m.name, m.role, m.servedName])).toEqual([
      ['qwen3-next-80b', 'llm', 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8'],
      ['qwen3-embedding-8b', 'embedding', 'Qwen/Qwen3-Embedding-8B'],
      ['gpt-oss-20b', 'llm', 'RedHatAI/gpt-oss-20b'],
    ]);
    expect(modelNames(out.plan!.env.config)).toEqual(['qwen3-next-80b', 'qwen3-embedding-8b', 'gpt-oss-20b']);
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
    expect(cfg.connectors).toEqual([
      { connector_type: 'mcp', connector_id: 'github', url, server_label: 'github' },
      { connector_type: 'mcp', connector_id: 'search', url, server_label: 'search' },
    ]);
    expect(cfg.registered_resources.tool_groups).toBeUndefined();
    // The bundled prod env: one connector per enabled MCP server, all through the gateway.
    const connectors = runConfig(renderFixture('prod')).connectors as { connector_id: string; url: string }[];
    expect(connectors.map((g) => g.connector_id)).toEqual(['github', 'jira', 'search', 'benchmark']);
    for (const g of connectors) expect(g.url).toMatch(/^http:\/\/mcp-gateway-istio\.catalyst-mcp\.svc\.cluster\.local:8080\/mcp$/);
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
      model_id: 'ibm-granite/granite-4.0-h-tiny',
      provider_id: 'granite-4-tiny',
      provider_model_id: 'ibm-granite/granite-4.0-h-tiny',
      model_type: 'llm',
      metadata: {},
    });
    expect(docs(out, 'models/podmonitors.yaml').map((m) => m.metadata.name)).toContain('granite-4-tiny-vllm');
  });
});

describe('golden-style: a changed env changes exactly the expected lines', () => {
  it('a model\'s GPU count changes its tensor parallelism and its GPU requests and limits, nothing else', () => {
    tp = tempProject();
    const before = renderFixture('prod');
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?tensorParallelism:) 2/, '$1 4');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({
      removed: ['    tensor: 2', '            nvidia.com/gpu: "2"', '            nvidia.com/gpu: "2"'],
      added: ['    tensor: 4', '            nvidia.com/gpu: "4"', '            nvidia.com/gpu: "4"'],
    });
  });

  it('a scorer weight in the env changes that weight in every model that takes it, nothing else', () => {
    tp = tempProject();
    const before = renderFixture('prod');
    tp.edit('environments/prod.yaml', 'scorers: { queue: 2, kvCacheUtilization: 2, prefixCache: 3 }', 'scorers: { queue: 2, kvCacheUtilization: 5, prefixCache: 3 }');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    // Only gpt-oss-20b takes the env's kv-cache weight (the Qwen models set their own 0).
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({ removed: ['                  weight: 2'], added: ['                  weight: 5'] });
    const gpt = services(after).get('gpt-oss-20b')!;
    expect(gpt.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins[1]).toEqual({ pluginRef: 'kv-cache-utilization-scorer', weight: 5 });
  });

  it('a model\'s own scorer weight changes only that model', () => {
    tp = tempProject();
    // Two replicas, so qwen3-next-80b has a scheduler (one replica has none).
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?)tensorParallelism: 2/, '$1replicas: 2\n    tensorParallelism: 2');
    const before = ok(renderTemp(tp, 'prod'));
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?scheduler: \{ queue: 2, kvCacheUtilization: 0, prefixCache:) 3/, '$1 7');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({ removed: ['                  weight: 3'], added: ['                  weight: 7'] });
    expect(services(after).get('gpt-oss-20b')!.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins[2].weight).toBe(3);
  });
});

describe('validation of models: file, line and column of every error', () => {
  function findings(env: string): Finding[] {
    const out = renderTemp(tp!, env);
    expect(out.files.size).toBe(0);
    return out.findings;
  }

  it('rejects a model whose GPUs exceed the node\'s GPU count', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /(name: qwen3-8b[\s\S]*?tensorParallelism:) 1/, '$1 2');
    const at = lineAt(tp.read('environments/dev.yaml'), /tensorParallelism: 2/);
    expect(findings('dev')).toContainEqual({
      file: 'environments/dev.yaml',
      line: at.line,
      col: at.col + 'tensorParallelism: '.length,
      path: '/models/0/tensorParallelism',
      message: 'a pod of model "qwen3-8b" needs 2 nvidia.com/gpu, but a node offers 1 (cluster.gpu)',
    });
  });

  it('rejects a tensor parallelism that is not a power of two', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?tensorParallelism:) 2/, '$1 3');
    const at = lineAt(tp.read('environments/prod.yaml'), /tensorParallelism: 3/);
    expect(findings('prod')).toEqual([
      {
        file: 'environments/prod.yaml',
        line: at.line,
        col: at.col + 'tensorParallelism: '.length,
        path: '/models/0/tensorParallelism',
        message: 'tensor parallelism 3 of model "qwen3-next-80b" is not a power of two (1, 2, 4, 8 or 16)',
      },
    ]);
  });

  it('rejects an embedding model without a dimension', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    embeddingDimension: 4096\n', '');
    const at = lineAt(tp.read('environments/prod.yaml'), /- name: qwen3-embedding-8b/);
    const f = findings('prod');
    expect(f).toEqual([
      expect.objectContaining({ file: 'environments/prod.yaml', line: at.line, path: '/models/1', message: 'is missing required key "embeddingDimension"' }),
    ]);
    expect(f[0]!.col).toBeGreaterThan(0);
  });

  it('rejects a MIG profile the nodes do not offer', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', 'mig: 3g.40gb', 'mig: 2g.20gb');
    const at = lineAt(tp.read('environments/prod.yaml'), /mig: 2g\.20gb/);
    expect(findings('prod')).toEqual([
      {
        file: 'environments/prod.yaml',
        line: at.line,
        col: at.col + 'mig: '.length,
        path: '/models/2/mig',
        message: 'MIG profile "2g.20gb" of model "gpt-oss-20b" is not offered by the GPU nodes (cluster.gpu.migProfiles: 3g.40gb)',
      },
    ]);
  });

  it('rejects tensor parallelism across MIG slices, a dimension on an llm and duplicate names', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', /(name: gpt-oss-20b[\s\S]*?tensorParallelism:) 1/, '$1 2');
    expect(findings('prod').map((f) => f.message)).toEqual([
      'model "gpt-oss-20b" runs on a MIG slice: tensor parallelism must be 1 (NCCL cannot span MIG instances)',
    ]);
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    toolCallParser: openai\n', '    toolCallParser: openai\n    embeddingDimension: 8\n');
    expect(findings('prod').map((f) => [f.path, f.message])).toEqual([['/models/2/embeddingDimension', '8 is not allowed: only an embedding model has an embedding dimension']]);
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/prod.yaml', '- name: gpt-oss-20b', '- name: qwen3-next-80b');
    expect(findings('prod').map((f) => [f.path, f.message])).toEqual([['/models/2/name', 'model "qwen3-next-80b" is already defined at models[0]']]);
  });

  it('rejects Llama Stack without an embedding model, or with a default model of the wrong role', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', 'defaultModel: qwen3-next-80b', 'defaultModel: qwen3-embedding-8b');
    const at = lineAt(tp.read('environments/prod.yaml'), /defaultModel: qwen3-embedding-8b/);
    expect(findings('prod')).toEqual([
      {
        file: 'environments/prod.yaml',
        line: at.line,
        col: at.col + 'defaultModel: '.length,
        path: '/components/llama-stack/defaultModel',
        message: '"qwen3-embedding-8b" is an embedding model, not an llm model',
      },
    ]);
  });
});

describe('Argo CD health checks for the inference kinds', () => {
  it('ship in argocd-cm next to the Application one', () => {
    const cm = parse(renderFixture('prod').files.get('apps/argocd-cm.yaml')!) as Obj;
    for (const key of ['argoproj.io_Application', 'serving.kserve.io_LLMInferenceService', 'llamastack.io_LlamaStackDistribution', 'inference.networking.k8s.io_InferencePool']) {
      expect(cm.data[`resource.customizations.health.${key}`]).toContain('return hs');
    }
    // Argo CD runs health scripts without Lua's string library.
    for (const [k, v] of Object.entries(cm.data as Record<string, string>)) expect(v, k).not.toMatch(/\bstring\.|:find\(|:match\(/);
  });
});

describe('output validates against the strict and the upstream CRD schemas', () => {
  it.each(['dev', 'staging', 'prod'])('%s', async (env) => {
    const out = renderFixture(env);
    const objects: SourcedObject[] = [];
    for (const [path, text] of out.files) {
      if (!/^(models|llama-stack|inference-gateway)\//.test(path) || path.endsWith('/kustomization.yaml')) continue;
      for (const d of parseAllDocuments(text)) objects.push({ obj: d.toJS(), file: `generated/${env}/${path}`, line: 1 });
    }
    // The models ServiceAccount is rendered (models/serviceaccount.yaml: it lists the HF token Secret).
    for (const base of ['llama-stack']) {
      for (const d of parseAllDocuments(readFileSync(join(ROOT, 'base', base, 'serviceaccount.yaml'), 'utf8'))) objects.push({ obj: d.toJS(), file: `base/${base}`, line: 1 });
    }
    expect(objects.length).toBeGreaterThan(6);
    const own = await validateObjects(objects, { crdSchemaDir: join(ROOT, 'schemas/crds') });
    expect(own.map(formatFinding)).toEqual([]);
    const upstream = join(ROOT, '..', 'shared', 'crds');
    if (existsSync(upstream)) {
      const up = await validateObjects(objects, { crdSchemaDir: upstream, upstream: true });
      expect(up.map(formatFinding)).toEqual([]);
    }
  });
});
