/**
 * Where telemetry goes. Every producer (Llama Stack, vLLM/llm-d, agents, MCP servers)
 * takes its OTLP endpoint from these facts, never from a copied string.
 *
 * Also the facts of the observability layer's own components:
 * - `facts.mlflow`: the tracking server's in-cluster URL, its OTLP traces endpoint, the
 *   host names it accepts, the trace experiment (by name) and its database connection;
 * - `facts.otelCollector`: the collector's ports and its whole configuration as data, so the
 *   ConfigMap and the Deployment's checksum annotation come from the same object;
 * - `facts.monitoring`: namespaces and job names the alert rules select on.
 */
import type { Plan } from '../plan/plan.ts';
import { AGENTS_APP, agentsOf, BENCHMARKS_APP, MCP_GATEWAY_APP, MLFLOW_APP, OTEL_COLLECTOR_APP, POSTGRES_APP } from '../config/components.ts';
import { component, serviceHost, settingsOf } from './common.ts';
import { alertRuleGroups, SA_TOKEN_SCRAPE_CLASS } from './alert-rules.ts';
import { collectorConfig, collectorPorts, EXPERIMENT_ID_DIR, EXPERIMENT_ID_FILE, goMemLimit, MLFLOW_EXPORTER, STORE_EXPORTER } from './collector-config.ts';
import { quantityBytes } from '../config/rules/observability.ts';
import type { PlatformFacts } from './platform.ts';
import { deriveAlerting } from './alerting.ts';
import { agentServicesRegex } from './workload-env.ts';

/** Name of the collector's Service (and Deployment). */
export const OTEL_COLLECTOR = 'otel-collector';
/** Name of the MLflow component, Service and Deployment. */
export const MLFLOW = 'mlflow';
export const MLFLOW_PORT = 5000;

/** ConfigMap (apps/mlflow/base, configMapGenerator) with the create-or-get experiment script. */
export const MLFLOW_SCRIPTS_CONFIGMAP = 'mlflow-experiment-scripts';
export const ENSURE_EXPERIMENT_SCRIPT = 'ensure_experiment.py';

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

export function deriveObservability(plan: Plan, platform: PlatformFacts) {
  const cfg = plan.env.config;
  const collector = component(plan, OTEL_COLLECTOR_APP);
  const ns = collector.app.namespace;
  const host = serviceHost(OTEL_COLLECTOR, ns);
  const ports = collectorPorts(collector.app.ports, collector.app.src.file);

  // MLflow: in-cluster names (every form a client may put in the Host header), UI, database.
  const mlflowApp = component(plan, MLFLOW_APP);
  const mlNs = mlflowApp.app.namespace;
  const mlSettings = settingsOf(plan, MLFLOW_APP);
  const mlHost = serviceHost(MLFLOW, mlNs);
  const mlUrl = `http://${mlHost}:${MLFLOW_PORT}`;
  const uiHost = `${MLFLOW}.${cfg.cluster.domain}`;
  const inCluster = [MLFLOW, `${MLFLOW}.${mlNs}`, `${MLFLOW}.${mlNs}.svc`, mlHost];
  const allowedHosts = [
    ...inCluster.flatMap((h) => [h, `${h}:${MLFLOW_PORT}`]),
    ...(mlSettings.ingress?.enabled ? [uiHost] : []),
    'localhost',
    `localhost:${MLFLOW_PORT}`,
    ...(mlSettings.extraAllowedHosts ?? []),
  ];
  const pg = platform.postgres;
  const pgEnabled = component(plan, POSTGRES_APP).enabled;
  const mlDb = pg.databases.mlflow ?? { name: 'mlflow', owner: 'mlflow' };
  const experiment = mlSettings.traceExperiment ?? { name: 'platform-traces' };
  const otlpTracesEndpoint = `${mlUrl}/v1/traces`;

  const collectorSettings = settingsOf(plan, OTEL_COLLECTOR_APP);
  const enabledNs = (name: string) => (component(plan, name).enabled ? component(plan, name).app.namespace : undefined);
  const models = component(plan, 'models');
  const inferenceNs = models.app.namespace;
  return {
    otel: {
      enabled: collector.enabled,
      namespace: ns,
      host,
      /** OTLP/gRPC, e.g. for vLLM --otlp-traces-endpoint and KServe tracing. */
      grpc: `http://${host}:${ports.otlpGrpc}`,
      /** OTLP/HTTP, e.g. OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf. */
      http: `http://${host}:${ports.otlpHttp}`,
    },
    mlflow: {
      enabled: mlflowApp.enabled,
      namespace: mlNs,
      service: MLFLOW,
      port: MLFLOW_PORT,
      host: mlHost,
      url: mlUrl,
      /** OTLP/HTTP traces (MLflow >= 3.6 serves no OTLP/gRPC and no OTLP logs). */
      otlpTracesEndpoint,
      uiHost,
      uiUrl: `https://${uiHost}`,
      allowedHosts,
      experiment: { name: experiment.name, description: str(experiment.description, '') },
      scriptsConfigMap: MLFLOW_SCRIPTS_CONFIGMAP,
      ensureExperimentScript: ENSURE_EXPERIMENT_SCRIPT,
      database: {
        name: mlDb.name,
        role: mlDb.owner,
        /** No password in the URI: libpq reads PGPASSWORD (from the role's ExternalSecret). */
        backendStoreUri: `postgresql://${mlDb.owner}@${pg.host}:${pg.port}/${mlDb.name}?sslmode=require`,
        readHost: pg.readHost,
      },
    },
    otelCollector: {
      ports,
      mlflowExporter: MLFLOW_EXPORTER,
      experimentIdDir: EXPERIMENT_ID_DIR,
      experimentIdFile: EXPERIMENT_ID_FILE,
      config: collectorConfig({ settings: collectorSettings, ports, mlflowTracesEndpoint: otlpTracesEndpoint }),
      storeExporter: collectorSettings.traceStore ? STORE_EXPORTER : null,
      /** GOMEMLIMIT: 80% of the memory limit (collector v0.153.0 memorylimiterprocessor/README.md:74-80). */
      goMemLimit: goMemLimit(quantityBytes(String(collectorSettings.resources?.limits?.memory ?? ''))) ?? null,
    },
    /** Alertmanager receivers and routes (components.kube-prometheus-stack.alerting). */
    alerting: deriveAlerting(settingsOf(plan, 'kube-prometheus-stack').alerting, platform.secretStore.keyPrefix),
    monitoring: {
      /** Where KServe runs the vLLM and llm-d scheduler pods (the models component). */
      inferenceNamespace: inferenceNs,
      modelsEnabled: models.enabled,
      /** Prometheus job of the vLLM PodMonitors the models component renders (<ns>/<model>-vllm). */
      vllmJobRegex: `${inferenceNs}/.+-vllm`,
      postgres: { namespace: pg.namespace, cluster: pg.cluster },
      collectorJob: OTEL_COLLECTOR,
      mlflowJob: MLFLOW,
      saTokenScrapeClass: SA_TOKEN_SCRAPE_CLASS,
      /** The dashboards' "Agent request rate" panels: servicegraph edges whose client is one of the env's agents. */
      agentServicesRegex: agentServicesRegex(agentsOf(plan.env.config).filter((a) => a.enabled !== false)),
      ruleGroups: alertRuleGroups({
        settings: settingsOf(plan, 'monitoring-rules'),
        inferenceNamespace: inferenceNs,
        vllmJobRegex: `${inferenceNs}/.+-vllm`,
        modelsEnabled: models.enabled,
        postgres: pgEnabled ? { namespace: pg.namespace, cluster: pg.cluster } : undefined,
        collectorJob: collector.enabled ? OTEL_COLLECTOR : undefined,
        mlflowJob: mlflowApp.enabled ? MLFLOW : undefined,
        mcpNamespace: enabledNs(MCP_GATEWAY_APP),
        agentsNamespace: enabledNs(AGENTS_APP),
        agentNames: agentsOf(plan.env.config).filter((a) => a.enabled !== false).map((a) => a.name),
        benchmarksNamespace: enabledNs(BENCHMARKS_APP),
      }),
    },
  };
}

export type ObservabilityFacts = ReturnType<typeof deriveObservability>;
