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
import { isPlainObject } from '../config/merge.ts';
import type { Plan } from '../plan/plan.ts';
import { component, serviceHost, settingsOf } from './common.ts';
import type { PlatformFacts } from './platform.ts';

/** Name of the collector's Service (and Deployment). */
export const OTEL_COLLECTOR = 'otel-collector';
/** Name of the MLflow component, Service and Deployment. */
export const MLFLOW = 'mlflow';
export const MLFLOW_PORT = 5000;

/** The collector's ports (container and Service). */
export const COLLECTOR_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** Prometheus exporter: span metrics, service graph, and OTLP metrics pushed by producers. */
  metrics: 8889,
  /** The collector's own telemetry (otelcol_* metrics). */
  telemetry: 8888,
  /** health_check extension (probes). */
  health: 13133,
} as const;

/** Exporter (component id) that sends traces to MLflow; alert rules and dashboards name it. */
export const MLFLOW_EXPORTER = 'otlp_http/mlflow';
/** Where the collector's init container writes the resolved experiment id (an emptyDir). */
export const EXPERIMENT_ID_DIR = '/var/run/mlflow-experiment';
export const EXPERIMENT_ID_FILE = `${EXPERIMENT_ID_DIR}/id`;
/** ConfigMap (base/mlflow, configMapGenerator) with the create-or-get experiment script. */
export const MLFLOW_SCRIPTS_CONFIGMAP = 'mlflow-experiment-scripts';
export const ENSURE_EXPERIMENT_SCRIPT = 'ensure_experiment.py';

type Settings = Record<string, unknown>;

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** `/health` -> `health`, `/.well-known/agent.json` -> `[.]well-known/agent[.]json` (RE2, no backslashes). */
function pathAlternation(paths: string[]): string {
  return paths.map((p) => p.replace(/^\//, '').replace(/\./g, '[.]')).join('|');
}

/** OTTL conditions (filter processor, span context) that match health probes and scrapes. */
export function probeSpanConditions(paths: string[]): string[] {
  if (paths.length === 0) return [];
  const alt = pathAlternation(paths);
  return [
    `IsMatch(name, "^(GET|HEAD) /(${alt})( .*)?$")`,
    `IsMatch(attributes["url.path"], "^/(${alt})$")`,
    `IsMatch(attributes["http.target"], "^/(${alt})([?].*)?$")`,
    `IsMatch(attributes["http.route"], "^/(${alt})$")`,
  ];
}

/** OTTL statements that give MLflow's trace UI span types and sessions (from the lab's collector). */
const GENAI_STATEMENTS = [
  // The service of every span, so MLflow's span table (and the Grafana trace dashboard) can group by it.
  'set(span.attributes["service.name"], resource.attributes["service.name"]) where resource.attributes["service.name"] != nil',
  'set(span.attributes["mlflow.spanType"], "CHAT_MODEL") where span.attributes["gen_ai.operation.name"] == "chat"',
  'set(span.attributes["mlflow.spanType"], "LLM") where span.attributes["gen_ai.operation.name"] == "text_completion"',
  'set(span.attributes["mlflow.spanType"], "EMBEDDING") where span.attributes["gen_ai.operation.name"] == "embeddings"',
  'set(span.attributes["mlflow.spanType"], "TOOL") where span.attributes["gen_ai.operation.name"] == "execute_tool"',
  'set(span.attributes["mlflow.spanType"], "AGENT") where span.attributes["gen_ai.operation.name"] == "invoke_agent"',
  'set(span.attributes["session.id"], span.attributes["gen_ai.conversation.id"]) where span.attributes["gen_ai.conversation.id"] != nil',
];

export interface CollectorInputs {
  settings: Settings;
  mlflowTracesEndpoint: string;
}

/**
 * The collector's configuration (otelcol-contrib 0.153.0). Built as data: the ConfigMap is
 * this object serialized, the Deployment's checksum annotation is its hash.
 */
export function collectorConfig({ settings, mlflowTracesEndpoint }: CollectorInputs): Record<string, unknown> {
  const s = settings as {
    logLevel?: string;
    telemetryLevel?: string;
    memoryLimiter?: { limitPercentage: number; spikeLimitPercentage: number };
    batch?: { timeout: string; sendBatchSize: number; sendBatchMaxSize: number };
    dropSpanPaths?: string[];
    spanMetrics?: { flushInterval: string; histogramBuckets: string[]; dimensions: string[] };
    serviceGraph?: { storeTtl: string; storeMaxItems: number; dimensions: string[] };
  };
  const ml = s.memoryLimiter ?? { limitPercentage: 80, spikeLimitPercentage: 20 };
  const batch = s.batch ?? { timeout: '5s', sendBatchSize: 1024, sendBatchMaxSize: 2048 };
  const sm = s.spanMetrics ?? { flushInterval: '15s', histogramBuckets: ['100ms', '1s', '10s'], dimensions: [] };
  const sg = s.serviceGraph ?? { storeTtl: '10s', storeMaxItems: 1000, dimensions: [] };
  const probes = probeSpanConditions(s.dropSpanPaths ?? []);
  const traceProcessors = ['memory_limiter', ...(probes.length ? ['filter/drop-probes'] : []), 'transform/genai', 'batch'];
  const processors: Record<string, unknown> = {
    memory_limiter: { check_interval: '1s', limit_percentage: ml.limitPercentage, spike_limit_percentage: ml.spikeLimitPercentage },
  };
  if (probes.length) processors['filter/drop-probes'] = { error_mode: 'ignore', traces: { span: probes } };
  processors['transform/genai'] = { error_mode: 'ignore', trace_statements: GENAI_STATEMENTS };
  processors.batch = { timeout: batch.timeout, send_batch_size: batch.sendBatchSize, send_batch_max_size: batch.sendBatchMaxSize };
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.health}` } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpHttp}` },
        },
      },
    },
    processors,
    connectors: {
      spanmetrics: {
        namespace: 'traces_spanmetrics',
        histogram: { unit: 'ms', explicit: { buckets: [...sm.histogramBuckets] } },
        dimensions: sm.dimensions.map((name) => ({ name })),
        resource_metrics_key_attributes: ['service.name'],
        metrics_flush_interval: sm.flushInterval,
      },
      servicegraph: {
        latency_histogram_buckets: [...sm.histogramBuckets],
        dimensions: sg.dimensions,
        store: { ttl: sg.storeTtl, max_items: sg.storeMaxItems },
      },
    },
    exporters: {
      [MLFLOW_EXPORTER]: {
        traces_endpoint: mlflowTracesEndpoint,
        // MLflow routes OTLP spans by experiment id only; the id is resolved by name at pod
        // start (init container) and read from this file by the collector's file provider.
        headers: { 'x-mlflow-experiment-id': `\${file:${EXPERIMENT_ID_FILE}}` },
        timeout: '30s',
        retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
        sending_queue: { enabled: true, num_consumers: 4, queue_size: 5000 },
      },
      prometheus: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.metrics}`, metric_expiration: '10m' },
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        logs: { level: s.logLevel ?? 'info' },
        metrics: {
          level: s.telemetryLevel ?? 'normal',
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: COLLECTOR_PORTS.telemetry } } } }],
        },
      },
      pipelines: {
        traces: { receivers: ['otlp'], processors: traceProcessors, exporters: [MLFLOW_EXPORTER, 'spanmetrics', 'servicegraph'] },
        metrics: { receivers: ['otlp', 'spanmetrics', 'servicegraph'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] },
      },
    },
  };
}

/** Prometheus scrape class (kube-prometheus-stack values) that sends Prometheus' own ServiceAccount
 * token: the llm-d endpoint picker only serves /metrics to callers allowed `get` on it. */
export const SA_TOKEN_SCRAPE_CLASS = 'kube-sa-token';

export interface RuleInputs {
  settings: Settings;
  inferenceNamespace: string;
  vllmJobRegex: string;
  modelsEnabled: boolean;
  postgres?: { namespace: string; cluster: string };
  collectorJob?: string;
  mlflowJob?: string;
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const q = (v: string): string => JSON.stringify(v);

/**
 * The PrometheusRule groups. Every metric named here is listed in data/observability/metrics.yaml
 * (test/observability-metrics.test.ts checks it), every job name comes from a rendered monitor.
 */
export function alertRuleGroups(i: RuleInputs): { name: string; interval: string; rules: Rule[] }[] {
  const s = i.settings as {
    interval?: string;
    slo?: { ttftP95Seconds: number; interTokenLatencyP95Seconds: number };
    alerts?: { kvCacheUsageRatio: number; queueWaitingRequests: number; postgresFreeDiskRatio: number; collectorRefusedSpansPerSecond: number };
  };
  const interval = s.interval ?? '30s';
  const slo = s.slo ?? { ttftP95Seconds: 2, interTokenLatencyP95Seconds: 0.2 };
  const a = s.alerts ?? { kvCacheUsageRatio: 0.9, queueWaitingRequests: 10, postgresFreeDiskRatio: 0.15, collectorRefusedSpansPerSecond: 1 };
  const inf = `namespace=${q(i.inferenceNamespace)}`;
  const vllmUp = `up{job=~${q(i.vllmJobRegex)}}`;
  const groups: { name: string; interval: string; rules: Rule[] }[] = [];

  groups.push({
    name: 'catalyst-slo',
    interval,
    rules: [
      // Constant series so dashboards can draw the env's targets next to the measurements.
      { record: 'catalyst:slo_ttft_p95_seconds', expr: `vector(${slo.ttftP95Seconds})` },
      { record: 'catalyst:slo_inter_token_latency_p95_seconds', expr: `vector(${slo.interTokenLatencyP95Seconds})` },
    ],
  });

  const inference: Rule[] = [
    {
      alert: 'ModelServerDown',
      expr: `${vllmUp} == 0`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vLLM model server {{ $labels.namespace }}/{{ $labels.pod }} is down',
        description: 'Prometheus cannot scrape the vLLM pod {{ $labels.pod }} (job {{ $labels.job }}) for 5 minutes.',
      },
    },
  ];
  if (i.modelsEnabled) {
    inference.push({
      alert: 'NoModelServerUp',
      expr: `absent(${vllmUp} == 1)`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `No vLLM model server is up in ${i.inferenceNamespace}`,
        description: 'Models are configured for this environment but no vLLM pod has been scraped successfully for 10 minutes.',
      },
    });
  }
  inference.push(
    {
      alert: 'KVCacheSaturated',
      expr: `max by (namespace, pod, model_name) (vllm:kv_cache_usage_perc{${inf}}) > ${a.kvCacheUsageRatio}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'KV cache of {{ $labels.model_name }} on {{ $labels.pod }} is {{ $value | humanizePercentage }} full',
        description: `vllm:kv_cache_usage_perc above ${a.kvCacheUsageRatio} for 10 minutes: requests get preempted and queue. Add replicas or lower max-num-seqs.`,
      },
    },
    {
      alert: 'RequestQueueGrowing',
      expr:
        `sum by (namespace, model_name) (vllm:num_requests_waiting{${inf}}) > ${a.queueWaitingRequests}` +
        ` and sum by (namespace, model_name) (deriv(vllm:num_requests_waiting{${inf}}[10m])) > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $value }} requests waiting for {{ $labels.model_name }} and the queue keeps growing',
        description: `More than ${a.queueWaitingRequests} requests wait in vLLM's queue and the count has been rising for 10 minutes.`,
      },
    },
    {
      alert: 'TimeToFirstTokenP95High',
      expr:
        `histogram_quantile(0.95, sum by (namespace, model_name, le) (rate(vllm:time_to_first_token_seconds_bucket{${inf}}[5m])))` +
        ` > ${slo.ttftP95Seconds}`,
      for: '10m',
      labels: { severity: 'warning', slo: 'ttft' },
      annotations: {
        summary: 'p95 time to first token of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
        description: `The p95 time to first token is above this environment's target of ${slo.ttftP95Seconds}s (components.monitoring-rules.slo.ttftP95Seconds) for 10 minutes.`,
      },
    },
    {
      alert: 'InterTokenLatencyP95High',
      expr:
        `histogram_quantile(0.95, sum by (namespace, model_name, le) (rate(vllm:inter_token_latency_seconds_bucket{${inf}}[5m])))` +
        ` > ${slo.interTokenLatencyP95Seconds}`,
      for: '15m',
      labels: { severity: 'warning', slo: 'itl' },
      annotations: {
        summary: 'p95 inter-token latency of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
        description: `The p95 inter-token latency is above this environment's target of ${slo.interTokenLatencyP95Seconds}s for 15 minutes.`,
      },
    },
    {
      alert: 'InferencePoolNoReadyEndpoints',
      expr: `max by (namespace, name) (inference_pool_ready_pods{${inf}}) == 0`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'The llm-d scheduler of pool {{ $labels.name }} sees no ready model server',
        description: 'inference_pool_ready_pods is 0 for 5 minutes: every request to this model fails.',
      },
    },
  );
  groups.push({ name: 'catalyst-inference', interval, rules: inference });

  if (i.postgres) {
    const pg = `namespace=${q(i.postgres.namespace)}`;
    const pvc = `${pg}, persistentvolumeclaim=~${q(`${i.postgres.cluster}-[0-9]+(-wal)?`)}`;
    groups.push({
      name: 'catalyst-postgres',
      interval,
      rules: [
        {
          alert: 'PostgresNotReady',
          expr:
            `min by (namespace, pod) (cnpg_collector_up{${pg}, cluster=${q(i.postgres.cluster)}}) == 0` +
            ` or max by (namespace, pod) (kube_pod_status_ready{${pg}, pod=~${q(`${i.postgres.cluster}-[0-9]+`)}, condition="true"}) == 0`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'PostgreSQL instance {{ $labels.pod }} is not ready',
            description: `The CloudNativePG instance {{ $labels.pod }} of cluster ${i.postgres.cluster} is down or not ready for 5 minutes.`,
          },
        },
        {
          alert: 'PostgresLowOnDisk',
          expr:
            `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{${pvc}}` +
            ` / kubelet_volume_stats_capacity_bytes{${pvc}}) < ${a.postgresFreeDiskRatio}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'PostgreSQL volume {{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free',
            description: `Less than ${a.postgresFreeDiskRatio * 100}% free on a data or WAL volume; grow components.postgres.storage (or walStorage) before it fills.`,
          },
        },
      ],
    });
  }

  const obs: Rule[] = [];
  if (i.collectorJob) {
    const job = `job=${q(i.collectorJob)}`;
    obs.push(
      {
        alert: 'TraceExportFailing',
        expr: `sum by (namespace, exporter) (rate(otelcol_exporter_send_failed_spans_total{${job}}[5m])) > 0`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'The OpenTelemetry collector fails to export spans through {{ $labels.exporter }}',
          description: `Spans are failing to export for 10 minutes; for ${MLFLOW_EXPORTER} check that MLflow is up and the trace experiment exists.`,
        },
      },
      {
        alert: 'TraceExportQueueFilling',
        expr: `max by (namespace, exporter) (otelcol_exporter_queue_size{${job}} / otelcol_exporter_queue_capacity{${job}}) > 0.8`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'The export queue of {{ $labels.exporter }} is {{ $value | humanizePercentage }} full',
          description: 'The backend is slower than the incoming spans; when the queue is full spans are dropped.',
        },
      },
      {
        alert: 'CollectorRefusingSpans',
        expr: `sum by (namespace) (rate(otelcol_receiver_refused_spans_total{${job}}[5m])) > ${a.collectorRefusedSpansPerSecond}`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'The OpenTelemetry collector refuses {{ $value }} spans/s',
          description: 'The memory limiter refuses data: give the collector more memory (components.otel-collector.resources).',
        },
      },
      {
        alert: 'CollectorDown',
        expr: `up{${job}} == 0`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'OpenTelemetry collector {{ $labels.pod }} is down',
          description: 'No traces reach MLflow and no span metrics reach Prometheus while the collector is down.',
        },
      },
    );
  }
  if (i.mlflowJob) {
    const job = `job=${q(i.mlflowJob)}`;
    obs.push(
      {
        alert: 'MLflowDown',
        expr: `up{${job}} == 0`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'MLflow tracking server {{ $labels.pod }} is down',
          description: 'The MLflow tracking server cannot be scraped for 5 minutes; trace export to it fails too.',
        },
      },
      {
        alert: 'MLflowServerErrors',
        expr: `sum by (namespace) (rate(mlflow_http_request_total{${job}, status=~"5.."}[5m])) / sum by (namespace) (rate(mlflow_http_request_total{${job}}[5m])) > 0.05`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'MLflow answers {{ $value | humanizePercentage }} of requests with a server error',
          description: 'More than 5% of MLflow API requests fail with 5xx for 10 minutes (often the PostgreSQL backend).',
        },
      },
    );
  }
  if (obs.length) groups.push({ name: 'catalyst-observability', interval, rules: obs });
  return groups;
}

export function deriveObservability(plan: Plan, platform: PlatformFacts) {
  const cfg = plan.env.config;
  const collector = component(plan, OTEL_COLLECTOR);
  const ns = collector.app.namespace;
  const host = serviceHost(OTEL_COLLECTOR, ns);

  // MLflow: in-cluster names (every form a client may put in the Host header), UI, database.
  const mlflowApp = component(plan, MLFLOW);
  const mlNs = mlflowApp.app.namespace;
  const mlSettings = settingsOf<Settings>(plan, MLFLOW);
  const mlHost = serviceHost(MLFLOW, mlNs);
  const mlUrl = `http://${mlHost}:${MLFLOW_PORT}`;
  const uiHost = `${MLFLOW}.${cfg.cluster.domain}`;
  const inCluster = [MLFLOW, `${MLFLOW}.${mlNs}`, `${MLFLOW}.${mlNs}.svc`, mlHost];
  const allowedHosts = [
    ...inCluster.flatMap((h) => [h, `${h}:${MLFLOW_PORT}`]),
    ...((mlSettings.ingress as { enabled?: boolean } | undefined)?.enabled ? [uiHost] : []),
    'localhost',
    `localhost:${MLFLOW_PORT}`,
    ...((mlSettings.extraAllowedHosts as string[] | undefined) ?? []),
  ];
  const pg = platform.postgres;
  const pgEnabled = component(plan, 'postgres').enabled;
  const mlDb = pg.databases.mlflow ?? { name: 'mlflow', owner: 'mlflow' };
  const experiment = isPlainObject(mlSettings.traceExperiment)
    ? (mlSettings.traceExperiment as { name: string; description?: string })
    : { name: 'platform-traces' };
  const otlpTracesEndpoint = `${mlUrl}/v1/traces`;

  const models = component(plan, 'models');
  const inferenceNs = models.app.namespace;
  return {
    otel: {
      enabled: collector.enabled,
      namespace: ns,
      host,
      /** OTLP/gRPC, e.g. for vLLM --otlp-traces-endpoint and KServe tracing. */
      grpc: `http://${host}:4317`,
      /** OTLP/HTTP, e.g. OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf. */
      http: `http://${host}:4318`,
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
      ports: COLLECTOR_PORTS,
      mlflowExporter: MLFLOW_EXPORTER,
      experimentIdDir: EXPERIMENT_ID_DIR,
      experimentIdFile: EXPERIMENT_ID_FILE,
      config: collectorConfig({ settings: settingsOf(plan, OTEL_COLLECTOR), mlflowTracesEndpoint: otlpTracesEndpoint }),
    },
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
      ruleGroups: alertRuleGroups({
        settings: settingsOf(plan, 'monitoring-rules'),
        inferenceNamespace: inferenceNs,
        vllmJobRegex: `${inferenceNs}/.+-vllm`,
        modelsEnabled: models.enabled,
        postgres: pgEnabled ? { namespace: pg.namespace, cluster: pg.cluster } : undefined,
        collectorJob: collector.enabled ? OTEL_COLLECTOR : undefined,
        mlflowJob: mlflowApp.enabled ? MLFLOW : undefined,
      }),
    },
  };
}

export type ObservabilityFacts = ReturnType<typeof deriveObservability>;
