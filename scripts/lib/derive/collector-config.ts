/**
 * The OpenTelemetry collector's whole configuration as data (so the ConfigMap and the
 * Deployment's checksum annotation come from the same object): receivers, the probe and
 * scrape filter, span metrics and service graph, and export of GenAI spans to MLflow.
 */
import type { OtelCollectorSettings } from '../config/schema-types.ts';

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
  settings: OtelCollectorSettings;
  mlflowTracesEndpoint: string;
}

/**
 * The collector's configuration (otelcol-contrib 0.153.0). Built as data: the ConfigMap is
 * this object serialized, the Deployment's checksum annotation is its hash.
 */
export function collectorConfig({ settings, mlflowTracesEndpoint }: CollectorInputs): Record<string, unknown> {
  const s = settings;
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
