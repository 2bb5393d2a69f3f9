/**
 * Facts of the agents and benchmarks layers: the agents of `agents:` (Kagenti, A2A on 9999),
 * the Llama Stack UI, and the benchmark runs of `benchmarks:` (one Job per run id).
 *
 * Model ids, the Llama Stack URL, the MCP gateway, the collector and MLflow endpoints and
 * PostgreSQL come from the facts derived before these (derive/index.ts), never recomputed.
 */
import type { Plan } from '../plan/plan.ts';
import type { EnvConfig } from '../config/environment.ts';
import type { K8sObject } from '../findings.ts';
import { component, serviceHost, settingsOf } from './common.ts';
import type { InferenceFacts } from './inference.ts';
import type { ModelFact } from './models.ts';
import {
  MCP_TOKEN_DIR,
  MCP_TOKEN_FILE,
  mcpServerConfigs,
  mcpTokenVolume,
  restrictedContainer,
  restrictedPod,
  type McpFacts,
} from './mcp.ts';
import { MLFLOW, type ObservabilityFacts } from './observability.ts';
import { postgresRoleSecretName, type PlatformFacts } from './platform.ts';

export const AGENTS_APP = 'agents';
export const WEBUI_APP = 'webui';
export const BENCHMARKS_APP = 'benchmarks';
/** A2A port of every agent (the A2A SDK's default): container, Service and card URL. */
export const A2A_PORT = 9999;
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';
export const WEBUI_NAME = 'webui';
export const WEBUI_PORT = 8322;
/** Shared results volume of every run; each run writes under /results/<run id>. */
export const RESULTS_PVC = 'benchmark-results';
export const RESULTS_MOUNT = '/results';
export const RUNNER_SERVICE_ACCOUNT = 'benchmark-runner';
/** ConfigMap (base/benchmarks, configMapGenerator) with the script that records a run. */
export const SCRIPTS_CONFIGMAP = 'benchmark-scripts';
export const RECORD_SCRIPT = 'record_run.py';

type Resources = { requests: Record<string, string>; limits: Record<string, string> };
type Env = Record<string, unknown>;

export interface AgentConfig {
  name: string;
  enabled?: boolean;
  description?: string;
  image: string;
  model: string;
  mcpServers?: string[];
  replicas?: number;
  resources?: Resources;
  env?: Record<string, string>;
}

export type BenchmarkKind = 'guidellm' | 'travelplanner' | 'vendingbench';

export interface BenchmarkRunConfig {
  id: string;
  kind: BenchmarkKind;
  enabled?: boolean;
  description?: string;
  model: string;
  target?: 'llama-stack' | 'model';
  deadlineSeconds?: number;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  mcpServers?: string[];
  resources?: Resources;
  guidellm?: {
    profile: 'synchronous' | 'concurrent' | 'throughput' | 'constant' | 'poisson' | 'sweep';
    rate?: number;
    durationSeconds: number;
    maxRequests?: number;
    promptTokens: number;
    outputTokens: number;
    processor?: string;
  };
}

export function agentsOf(config: EnvConfig): AgentConfig[] {
  return Array.isArray(config.agents) ? (config.agents as AgentConfig[]) : [];
}

export function benchmarkRunsOf(config: EnvConfig): BenchmarkRunConfig[] {
  return Array.isArray(config.benchmarks) ? (config.benchmarks as BenchmarkRunConfig[]) : [];
}

const sv = (name: string, value: string | number): Env => ({ name, value: String(value) });

/** The generated variables, then the env's own (which replace generated ones of the same name). */
function withOwn(generated: Env[], own: Record<string, string> | undefined): Env[] {
  const mine = Object.entries(own ?? {}).map(([k, v]) => sv(k, v));
  const names = new Set(mine.map((e) => e.name));
  return [...generated.filter((e) => !names.has(e.name)), ...mine];
}

/** OTLP/HTTP export to the collector (facts.otel.http, from facts/observability.ts constants). */
function otelEnv(otelHttp: string, service: string): Env[] {
  return [
    sv('OTEL_SERVICE_NAME', service),
    sv('OTEL_EXPORTER_OTLP_ENDPOINT', otelHttp),
    sv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'),
    sv('OTEL_TRACES_EXPORTER', 'otlp'),
    sv('OTEL_METRICS_EXPORTER', 'otlp'),
    sv('OTEL_LOGS_EXPORTER', 'none'),
  ];
}

/** What a workload needs to call the MCP gateway with its own (projected) token. */
function mcpEnv(url: string, servers: { name: string; prefix: string }[]): Env[] {
  return [
    sv('MCP_URL', url),
    sv('MCP_SERVERS', servers.map((s) => s.name).join(',')),
    sv('MCP_TOOL_PREFIXES', servers.map((s) => s.prefix).join(',')),
    sv('MCP_TOKEN_FILE', MCP_TOKEN_FILE),
  ];
}

/** GuideLLM v0.7 `--profile` value. */
export function guidellmProfile(g: NonNullable<BenchmarkRunConfig['guidellm']>): string {
  switch (g.profile) {
    case 'constant':
    case 'poisson':
      return `kind=${g.profile},rate=${g.rate}`;
    case 'concurrent':
      return `kind=concurrent,streams=${g.rate}`;
    case 'sweep':
      return g.rate !== undefined ? `kind=sweep,sweep_size=${g.rate}` : 'kind=sweep';
    default:
      return `kind=${g.profile}`;
  }
}

/** The GuideLLM v0.7.x command line (`guidellm run`, registry-style options). */
export function guidellmArgs(args: { target: string; model: string; processor: string; g: NonNullable<BenchmarkRunConfig['guidellm']>; dir: string }): string[] {
  const { g } = args;
  const out = [
    'run',
    '--backend',
    `kind=openai_http,target=${args.target},model=${args.model}`,
    '--tokenizer',
    `kind=huggingface_auto,model=${args.processor}`,
    '--profile',
    guidellmProfile(g),
    '--data',
    `kind=synthetic_text,prompt_tokens=${g.promptTokens},output_tokens=${g.outputTokens}`,
    '--constraint',
    `kind=max_duration,seconds=${g.durationSeconds}`,
  ];
  if (g.maxRequests !== undefined) out.push('--constraint', `kind=max_requests,count=${g.maxRequests}`);
  out.push(
    '--output',
    `kind=json,path=${args.dir}/benchmarks.json`,
    '--output',
    `kind=csv,path=${args.dir}/benchmarks.csv`,
    '--output',
    `kind=html,path=${args.dir}/benchmarks.html`,
    '--disable-console-interactive',
  );
  return out;
}

/** Hugging Face repository of a model served from hf://<repo> (the tokenizer GuideLLM loads). */
export function modelRepo(uri: string, fallback: string): string {
  return uri.startsWith('hf://') ? uri.slice('hf://'.length) : fallback;
}

interface Shared {
  namespace: string;
  llamaStackUrl: string;
  models: ModelFact[];
  uris: Record<string, string>;
  mcpUrl: string;
  mcpAudience: string;
  mcpServers: Record<string, { name: string; prefix: string }>;
  otelHttp: string;
  mlflowUrl: string;
}

/** The annotation (and its reason) that keeps a run out of health: see the Job's comment. */
export const IGNORE_HEALTH = { 'argocd.argoproj.io/ignore-healthcheck': 'true' } as const;

function benchmarkJob(run: BenchmarkRunConfig, sh: Shared, s: BenchmarksSettings, pg: PgFacts, recorderImage: string): K8sObject {
  const model = sh.models.find((m) => m.name === run.model);
  const modelId = model?.modelId ?? run.model;
  const target = run.target ?? 'llama-stack';
  const dir = `${RESULTS_MOUNT}/${run.id}`;
  const labels = {
    'app.kubernetes.io/name': 'benchmark',
    'app.kubernetes.io/component': run.kind,
    'catalyst.dev/benchmark-run': run.id,
    'catalyst.dev/benchmark-kind': run.kind,
    'catalyst.dev/benchmark-results': RESULTS_PVC,
  };
  const mounts = [
    { name: 'results', mountPath: RESULTS_MOUNT },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  const volumes: Record<string, unknown>[] = [
    { name: 'results', persistentVolumeClaim: { claimName: RESULTS_PVC } },
    { name: 'tmp', emptyDir: {} },
    { name: 'scripts', configMap: { name: SCRIPTS_CONFIGMAP } },
  ];
  const common = [sv('RUN_ID', run.id), sv('RESULTS_DIR', dir), sv('HOME', '/tmp'), sv('HF_HOME', '/tmp/hf')];
  const params: Record<string, unknown> = { kind: run.kind, model: run.model, model_id: modelId, target };
  let bench: Record<string, unknown>;
  if (run.kind === 'guidellm' && run.guidellm) {
    const g = run.guidellm;
    // GuideLLM appends /v1/chat/completions to the target: the base without /v1.
    const base = target === 'model' ? (model?.endpoint ?? '').replace(/\/v1$/, '') : sh.llamaStackUrl;
    const processor = g.processor ?? modelRepo(sh.uris[run.model] ?? '', modelId);
    Object.assign(params, {
      target_url: base,
      profile: g.profile,
      rate: g.rate ?? null,
      duration_seconds: g.durationSeconds,
      max_requests: g.maxRequests ?? null,
      prompt_tokens: g.promptTokens,
      output_tokens: g.outputTokens,
      processor,
    });
    bench = {
      name: 'guidellm',
      image: run.image ?? s.guidellmImage ?? '',
      args: guidellmArgs({ target: base, model: modelId, processor, g, dir }),
      env: withOwn([...common, sv('GUIDELLM__DEFAULT_RESULTS_DIR', dir)], run.env),
      resources: run.resources ?? s.resources?.guidellm,
    };
  } else {
    const servers = (run.mcpServers ?? []).map((n) => sh.mcpServers[n]).filter((x): x is { name: string; prefix: string } => x !== undefined);
    const llm = `${sh.llamaStackUrl}/v1`;
    Object.assign(params, { llm_base_url: llm, mcp_servers: servers.map((x) => x.name), image: run.image ?? null });
    const env = withOwn([
      ...common,
      // OpenAI-compatible clients (the harnesses of both benchmarks) read one of these.
      sv('OPENAI_BASE_URL', llm),
      sv('OPENAI_API_BASE', llm),
      sv('LLM_API_BASE', llm),
      sv('MODEL', modelId),
      sv('LLM_MODEL', modelId),
      sv('MLFLOW_TRACKING_URI', sh.mlflowUrl),
      ...(servers.length ? mcpEnv(sh.mcpUrl, servers) : []),
      ...otelEnv(sh.otelHttp, `benchmark-${run.kind}`),
    ], run.env);
    bench = { name: run.kind, image: run.image ?? '', env, resources: run.resources ?? s.resources?.agent };
    if (run.command) bench.command = run.command;
    if (run.args) bench.args = run.args;
    if (servers.length) {
      mounts.push({ name: 'mcp-token', mountPath: MCP_TOKEN_DIR, readOnly: true } as (typeof mounts)[number]);
      volumes.push(mcpTokenVolume(sh.mcpAudience));
    }
  }
  bench.securityContext = restrictedContainer();
  bench.volumeMounts = mounts;
  const recordEnv: Env[] = [
    sv('RUN_ID', run.id),
    sv('BENCHMARK_KIND', run.kind),
    sv('RESULTS_DIR', dir),
    sv('RUN_PARAMS', JSON.stringify(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null)))),
    sv('MLFLOW_TRACKING_URI', sh.mlflowUrl),
    sv('MLFLOW_EXPERIMENT_NAME', s.experiment ?? 'benchmarks'),
    sv('PGHOST', pg.host),
    sv('PGPORT', pg.port),
    sv('PGDATABASE', pg.database),
    { name: 'PGUSER', valueFrom: { secretKeyRef: { name: pg.secretName, key: 'username' } } },
    { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: pg.secretName, key: 'password' } } },
    sv('PGSSLMODE', 'require'),
    sv('HOME', '/tmp'),
    sv('PYTHONDONTWRITEBYTECODE', '1'),
  ];
  const podSpec: Record<string, unknown> = {
    restartPolicy: 'Never',
    serviceAccountName: RUNNER_SERVICE_ACCOUNT,
    automountServiceAccountToken: false,
    securityContext: restrictedPod(s.runAsUser ?? 1001, true),
    initContainers: [
      {
        // The run's own directory on the shared volume, before the benchmark writes to it.
        name: 'prepare',
        image: recorderImage,
        command: ['mkdir', '-p', dir],
        resources: s.resources?.recorder,
        securityContext: restrictedContainer(),
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
      },
      bench,
    ],
    containers: [
      {
        // After the benchmark: results to MLflow (run named by the id) and the benchmarks database.
        name: 'record',
        image: recorderImage,
        command: ['python', `/scripts/${RECORD_SCRIPT}`],
        env: recordEnv,
        resources: s.resources?.recorder,
        securityContext: restrictedContainer(),
        volumeMounts: [...mounts.filter((m) => m.name !== 'mcp-token'), { name: 'scripts', mountPath: '/scripts', readOnly: true }],
      },
    ],
    volumes,
  };
  if ((s.results?.accessMode ?? 'ReadWriteOnce') === 'ReadWriteOnce') {
    // One node at a time can mount a ReadWriteOnce volume: concurrent runs share the node.
    podSpec.affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { 'catalyst.dev/benchmark-results': RESULTS_PVC } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: run.id, namespace: sh.namespace, labels, annotations: { ...IGNORE_HEALTH } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: run.deadlineSeconds ?? s.deadlineSeconds ?? 7200,
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

interface BenchmarksSettings {
  guidellmImage?: string;
  runAsUser?: number;
  deadlineSeconds?: number;
  experiment?: string;
  results?: { size: string; storageClass?: string; accessMode?: string };
  resources?: { guidellm?: Resources; agent?: Resources; recorder?: Resources };
}

interface PgFacts {
  host: string;
  port: number;
  database: string;
  role: string;
  secretName: string;
}

/** What the agents, web UI and benchmarks are wired to: facts of the layers below them. */
export interface AgentsInputs {
  platform: PlatformFacts;
  observability: ObservabilityFacts;
  inference: InferenceFacts;
  mcp: McpFacts;
}

export function deriveAgents(plan: Plan, below: AgentsInputs) {
  const env = plan.env;
  const cfg = env.config;
  const inf = below.inference;
  const models: ModelFact[] = inf.models;
  const uris = Object.fromEntries((Array.isArray(cfg.models) ? (cfg.models as { name: string; uri: string }[]) : []).map((m) => [m.name, m.uri]));
  const comp = (name: string) => component(plan, name);
  const mcpServers = Object.fromEntries(
    mcpServerConfigs(cfg)
      .filter((s) => s.enabled !== false)
      .map((s) => [s.name, { name: s.name, prefix: s.prefix }]),
  );
  const shared = (namespace: string): Shared => ({
    namespace,
    llamaStackUrl: inf.llamaStack.url,
    models,
    uris,
    mcpUrl: below.mcp.mcp.gateway.url,
    mcpAudience: below.mcp.mcp.gateway.workloadAudience,
    mcpServers,
    otelHttp: below.observability.otel.http,
    mlflowUrl: below.observability.mlflow.url,
  });

  // --- agents ---
  const agentsNs = comp(AGENTS_APP).app.namespace;
  const as = settingsOf<{ replicas?: number; framework?: string; runAsUser?: number; resources?: Resources; card?: { syncPeriod?: string } }>(plan, AGENTS_APP);
  const sh = shared(agentsNs);
  const agents = agentsOf(cfg)
    .filter((a) => a.enabled !== false)
    .map((a) => {
      const model = models.find((m) => m.name === a.model);
      const modelId = model?.modelId ?? a.model;
      const servers = (a.mcpServers ?? []).map((n) => mcpServers[n]).filter((x): x is { name: string; prefix: string } => x !== undefined);
      const url = `http://${serviceHost(a.name, agentsNs)}:${A2A_PORT}`;
      const envList: Env[] = withOwn([
        sv('AGENT_NAME', a.name),
        // A2A server: listen on all interfaces, port 9999; the card advertises the Service URL.
        sv('HOST', '0.0.0.0'),
        sv('PORT', A2A_PORT),
        sv('AGENT_URL', url),
        // The LLM: Llama Stack's OpenAI-compatible API and the model's registered id.
        sv('LLM_API_BASE', `${sh.llamaStackUrl}/v1`),
        sv('LLM_MODEL', modelId),
        sv('OPENAI_API_BASE', `${sh.llamaStackUrl}/v1`),
        sv('OPENAI_CHAT_MODEL', modelId),
        ...(servers.length ? mcpEnv(sh.mcpUrl, servers) : []),
        ...otelEnv(sh.otelHttp, a.name),
        sv('HOME', '/tmp'),
      ], a.env);
      const labels: Record<string, string> = {
        'app.kubernetes.io/name': a.name,
        'app.kubernetes.io/component': 'agent',
        // Kagenti (operator chart 0.3.x, agent.kagenti.dev): agents are plain Deployments with these labels.
        'kagenti.io/type': 'agent',
        'kagenti.io/protocol': 'a2a',
        'protocol.kagenti.io/a2a': '',
        'kagenti.io/framework': as.framework ?? 'BeeAI',
      };
      const volumes: Record<string, unknown>[] = [{ name: 'tmp', emptyDir: {} }];
      const mounts: Record<string, unknown>[] = [{ name: 'tmp', mountPath: '/tmp' }];
      if (servers.length) {
        volumes.push(mcpTokenVolume(sh.mcpAudience));
        mounts.push({ name: 'mcp-token', mountPath: MCP_TOKEN_DIR, readOnly: true });
      }
      return {
        name: a.name,
        description: a.description ?? `${a.name} (BeeAI agent on A2A)`,
        image: a.image,
        replicas: a.replicas ?? as.replicas ?? 1,
        resources: a.resources ?? as.resources ?? { requests: {}, limits: {} },
        model: { name: a.model, id: modelId },
        mcpServers: servers.map((s) => s.name),
        url,
        labels,
        selector: { 'app.kubernetes.io/name': a.name, 'app.kubernetes.io/component': 'agent' },
        env: envList,
        volumes,
        volumeMounts: mounts,
        securityContext: restrictedPod(as.runAsUser ?? 1001),
        containerSecurityContext: restrictedContainer(),
      };
    });

  // --- web UI ---
  const ws = settingsOf<{ hostPrefix?: string }>(plan, WEBUI_APP);
  const webHost = `${ws.hostPrefix ?? 'webui'}.${cfg.cluster.domain}`;

  // --- benchmarks ---
  const bNs = comp(BENCHMARKS_APP).app.namespace;
  const bs = settingsOf<BenchmarksSettings>(plan, BENCHMARKS_APP);
  const resultsDb = below.platform.postgres.databases.benchmarks ?? { name: 'benchmarks', owner: 'benchmarks' };
  const pg: PgFacts = {
    host: below.platform.postgres.host,
    port: below.platform.postgres.port,
    database: resultsDb.name,
    role: resultsDb.owner,
    secretName: postgresRoleSecretName(resultsDb.owner),
  };
  const mlflowImage = String(settingsOf<{ image?: string }>(plan, MLFLOW).image ?? '');
  const bsh = shared(bNs);
  const runs = benchmarkRunsOf(cfg).filter((r) => r.enabled !== false);
  // Plain trees: a shared object would serialize as a YAML alias, which the renderer rejects.
  const jobs = JSON.parse(JSON.stringify(runs.map((r) => benchmarkJob(r, bsh, bs, pg, mlflowImage)))) as K8sObject[];
  const needsMcpToken = runs.some((r) => r.kind !== 'guidellm' && (r.mcpServers ?? []).length > 0);

  return {
    agents: {
      enabled: comp(AGENTS_APP).enabled,
      namespace: agentsNs,
      port: A2A_PORT,
      cardPath: AGENT_CARD_PATH,
      syncPeriod: as.card?.syncPeriod ?? '30s',
      list: JSON.parse(JSON.stringify(agents)) as typeof agents,
    },
    webui: {
      enabled: comp(WEBUI_APP).enabled,
      name: WEBUI_NAME,
      port: WEBUI_PORT,
      host: webHost,
      url: `https://${webHost}`,
      backendUrl: inf.llamaStack.url,
    },
    benchmarks: {
      enabled: comp(BENCHMARKS_APP).enabled,
      namespace: bNs,
      runIds: runs.map((r) => r.id),
      jobs,
      results: { pvc: RESULTS_PVC, mount: RESULTS_MOUNT, accessMode: bs.results?.accessMode ?? 'ReadWriteOnce' },
      serviceAccount: RUNNER_SERVICE_ACCOUNT,
      scriptsConfigMap: SCRIPTS_CONFIGMAP,
      database: pg,
      needsMcpToken,
    },
  };
}

export type AgentsFacts = ReturnType<typeof deriveAgents>;
