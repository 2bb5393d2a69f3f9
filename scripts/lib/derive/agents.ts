/**
 * Facts of the agents and benchmarks layers: the agents of `agents:` (Kagenti, A2A on 9999),
 * the Llama Stack UI, and the benchmark runs of `benchmarks:` (derive/benchmarks.ts). Data
 * only: apps/agents/overlays/agents.yaml.hbs and overlays/_partials/benchmark-job.hbs shape the objects.
 *
 * Model ids, the Llama Stack URL, the MCP gateway, the collector and MLflow endpoints and
 * PostgreSQL come from the facts derived before these (derive/index.ts), never recomputed.
 */
import type { Plan } from '../plan/plan.ts';
import { component, serviceHost, settingsOf } from './common.ts';
import type { InferenceFacts } from './inference.ts';
import type { ModelFact } from './models.ts';
import { AGENTS_APP, agentsOf, BENCHMARKS_APP, benchmarkRunsOf, mcpServerConfigs, MLFLOW_APP, modelsOf, WEBUI_APP, WEBUI_NAME } from '../config/components.ts';
import type { McpFacts } from './mcp.ts';
import type { ObservabilityFacts } from './observability.ts';
import type { PlatformFacts } from './platform.ts';
import {
  benchmarkRun,
  RECORD_SCRIPT,
  RESULTS_MOUNT,
  RESULTS_PVC,
  resultsDatabase,
  runWaves,
  RUNNER_SERVICE_ACCOUNT,
  SCRIPTS_CONFIGMAP,
  type RunInputs,
} from './benchmarks.ts';
import { agentServiceName, mcpEnv, otelEnv, sv, withOwn, type Env } from './workload-env.ts';


/** A2A port of every agent (the A2A SDK's default): container, Service and card URL. */
export const A2A_PORT = 9999;
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';
export const WEBUI_PORT = 8322;
/** What Kagenti writes into an agent Deployment's app.kubernetes.io/managed-by. */
export const KAGENTI_MANAGER = 'kagenti-operator';

/** What the agents, web UI and benchmarks are wired to: facts of the layers below them. */
export interface AgentsInputs {
  platform: PlatformFacts;
  observability: ObservabilityFacts;
  inference: InferenceFacts;
  mcp: McpFacts;
}

export function deriveAgents(plan: Plan, below: AgentsInputs) {
  const cfg = plan.env.config;
  const inf = below.inference;
  const models: ModelFact[] = inf.models;
  const uris = Object.fromEntries(modelsOf(cfg).map((m) => [m.name, m.uri]));
  const comp = (name: string) => component(plan, name);
  const mcpServers = Object.fromEntries(
    mcpServerConfigs(cfg)
      .filter((s) => s.enabled !== false)
      .map((s) => [s.name, { name: s.name, prefix: s.prefix }]),
  );
  const llamaStackUrl = inf.llamaStack.url;
  const mcpUrl = below.mcp.mcp.gateway.url;
  const otelHttp = below.observability.otel.http;

  // --- agents ---
  const agentsNs = comp(AGENTS_APP).app.namespace;
  const as = settingsOf(plan, AGENTS_APP);
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
        sv('LLM_API_BASE', `${llamaStackUrl}/v1`),
        sv('LLM_MODEL', modelId),
        sv('OPENAI_API_BASE', `${llamaStackUrl}/v1`),
        sv('OPENAI_CHAT_MODEL', modelId),
        ...(servers.length ? mcpEnv(mcpUrl, servers) : []),
        // Its MCPVirtualServer (agents[].tools): sent as X-Mcp-Virtualserver, tools/list shows only its tools.
        ...(a.tools && servers.length ? [sv('MCP_VIRTUAL_SERVER', `${below.mcp.mcp.namespace}/${a.name}`)] : []),
        ...otelEnv(otelHttp, agentServiceName(a)),
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
      return {
        name: a.name,
        description: a.description ?? `${a.name} (BeeAI agent on A2A)`,
        image: a.image,
        replicas: a.replicas ?? as.replicas ?? 1,
        resources: a.resources ?? as.resources ?? { requests: {}, limits: {} },
        model: { name: a.model, id: modelId },
        /** Names of its MCP servers; any: it mounts a projected token for the gateway. */
        mcpServers: servers.map((s) => s.name),
        url,
        labels,
        /**
         * The Deployment's own labels: Kagenti's AgentRuntime controller sets managed-by
         * kagenti-operator on the target workload (kagenti-operator
         * internal/controller/agentruntime_controller.go applyWorkloadConfig, LabelManagedByValue);
         * desired state says the same, so Argo CD sees no drift.
         */
        workloadLabels: { ...labels, 'app.kubernetes.io/managed-by': KAGENTI_MANAGER },
        selector: { 'app.kubernetes.io/name': a.name, 'app.kubernetes.io/component': 'agent' },
        env: envList,
        runAsUser: as.runAsUser ?? 1001,
      };
    });

  // --- web UI ---
  const ws = settingsOf(plan, WEBUI_APP);
  const webHost = `${ws.hostPrefix ?? 'webui'}.${cfg.cluster.domain}`;

  // --- benchmarks ---
  const bNs = comp(BENCHMARKS_APP).app.namespace;
  const bs = settingsOf(plan, BENCHMARKS_APP);
  const pg = resultsDatabase(below.platform.postgres);
  const inputs: RunInputs = {
    llamaStackUrl,
    models,
    uris,
    mcpUrl,
    mcpServers,
    otelHttp,
    mlflowUrl: below.observability.mlflow.url,
    pg,
    recorderImage: String(settingsOf(plan, MLFLOW_APP).image ?? ''),
    agents: Object.fromEntries(agents.map((a) => [a.name, { name: a.name, url: `${a.url}/`, cardUrl: `${a.url}${AGENT_CARD_PATH}` }])),
  };
  const runs = benchmarkRunsOf(cfg).filter((r) => r.enabled !== false);
  const waves = runWaves(runs, bs.concurrency?.perModel);
  const needsMcpToken = runs.some((r) => r.kind !== 'guidellm' && (r.mcpServers ?? []).length > 0);

  return {
    agents: {
      enabled: comp(AGENTS_APP).enabled,
      namespace: agentsNs,
      port: A2A_PORT,
      cardPath: AGENT_CARD_PATH,
      syncPeriod: as.card?.syncPeriod ?? '30s',
      list: agents,
    },
    webui: {
      enabled: comp(WEBUI_APP).enabled,
      name: WEBUI_NAME,
      port: WEBUI_PORT,
      host: webHost,
      url: `https://${webHost}`,
      backendUrl: llamaStackUrl,
    },
    benchmarks: {
      enabled: comp(BENCHMARKS_APP).enabled,
      namespace: bNs,
      runIds: runs.map((r) => r.id),
      /** Render data of each run's Job (overlays/_partials/benchmark-job.hbs). */
      runs: runs.map((r, i) => benchmarkRun(r, inputs, bs, waves[i] ?? null)),
      // The claim syncs in the wave of its first consumer (the earliest run): with a
      // WaitForFirstConsumer class it stays Pending, so Progressing, until a pod mounts it, and an
      // earlier wave would wait for it forever (docs/SIMULATION.md, SIM001).
      results: { pvc: RESULTS_PVC, mount: RESULTS_MOUNT, accessMode: bs.results?.accessMode ?? 'ReadWriteOnce', syncWave: firstWave(waves) },
      serviceAccount: RUNNER_SERVICE_ACCOUNT,
      scriptsConfigMap: SCRIPTS_CONFIGMAP,
      recordScript: RECORD_SCRIPT,
      database: pg,
      needsMcpToken,
    },
  };
}

export type AgentsFacts = ReturnType<typeof deriveAgents>;

/** The earliest sync wave of the runs (null: wave 0, no annotation). */
function firstWave(waves: (number | null)[]): number | null {
  const set = waves.filter((w): w is number => w !== null);
  return set.length ? Math.min(...set) : null;
}
