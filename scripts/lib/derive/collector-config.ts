/**
 * The OpenTelemetry collector's whole configuration as data (so the ConfigMap and the
 * Deployment's checksum annotation come from the same object): receivers, the probe and
 * scrape filter, span metrics and service graph, and export of GenAI spans to MLflow.
 */
import type { OtelCollectorSettings } from '../config/schema-types/index.ts';

/**
 * The collector's ports (container and Service) by name: otlpGrpc, otlpHttp, metrics (Prometheus
 * exporter: span metrics, service graph, producers' OTLP metrics), telemetry (otelcol_* metrics)
 * and health (health_check extension). Declared in apps/otel-collector/app.yaml `ports`.
 */
export interface CollectorPorts {
  otlpGrpc: number;
  otlpHttp: number;
  metrics: number;
  telemetry: number;
  health: number;
}

/** The collector's named ports from its catalog entry; a missing one is an error naming the file. */
export function collectorPorts(ports: Record<string, number>, file: string): CollectorPorts {
  const need = (k: keyof CollectorPorts): number => {
    const v = ports[k];
    if (v === undefined) throw new Error(`${file}: ports.${k} is missing (the collector's ${k} port)`);
    return v;
  };
  return { otlpGrpc: need('otlpGrpc'), otlpHttp: need('otlpHttp'), metrics: need('metrics'), telemetry: need('telemetry'), health: need('health') };
}

/** Exporter (component id) that sends traces to MLflow; alert rules and dashboards name it. */
export const MLFLOW_EXPORTER = 'otlp_http/mlflow';
/** Where the collector's init container writes the resolved experiment id (an emptyDir). */
export const EXPERIMENT_ID_DIR = '/var/run/mlflow-experiment';
export const EXPERIMENT_ID_FILE = `${EXPERIMENT_ID_DIR}/id`;

/** `/health` -> `health`, `/.well-known/agent.json` -> `[.]well-known/agent[.]json` (RE2, no backslashes). */
function pathAlternation(paths: string[]): string {
  return paths.map((p) => p.replace(/^\//, '').replace(/\./g, '[.]')).join('|');
}

/**
 * OTTL conditions that match health probes and scrapes, for the filter processor's
 * `trace_conditions` (context inferred from the `span.` prefix, contrib >= 0.146.0; the
 * `traces.span` form is the legacy one).
 */
export function probeSpanConditions(paths: string[]): string[] {
  if (paths.length === 0) return [];
  const alt = pathAlternation(paths);
  return [
    `IsMatch(span.name, "^(GET|HEAD) /(${alt})( .*)?$")`,
    `IsMatch(span.attributes["url.path"], "^/(${alt})$")`,
    `IsMatch(span.attributes["http.target"], "^/(${alt})([?].*)?$")`,
    `IsMatch(span.attributes["http.route"], "^/(${alt})$")`,
  ];
}

/** gen_ai.operation.name values (OTel GenAI semantic conventions) that make a trace MLflow's. */
export const GENAI_OPERATIONS = ['chat', 'text_completion', 'generate_content', 'embeddings', 'execute_tool', 'invoke_agent', 'create_agent'];

/** Exporter (component id) of the general trace store, when one is configured. */
export const STORE_EXPORTER = 'otlp_grpc/store';

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
  ports: CollectorPorts;
  mlflowTracesEndpoint: string;
}

/** The Go runtime's soft memory limit: 80% of the container's limit (memory_limiter README). */
export function goMemLimit(limitBytes: number): string | undefined {
  if (!Number.isFinite(limitBytes) || limitBytes <= 0) return undefined;
  return `${Math.floor((limitBytes * 0.8) / 2 ** 20)}MiB`;
}

/**
 * The collector's configuration (otelcol-contrib 0.153.0). Built as data: the ConfigMap is
 * this object serialized, the Deployment's checksum annotation is its hash.
 */
export function collectorConfig({ settings, ports, mlflowTracesEndpoint }: CollectorInputs): Record<string, unknown> {
  const s = settings;
  const ml = s.memoryLimiter ?? { limitPercentage: 80, spikeLimitPercentage: 20 };
  const batch = s.batch ?? { timeout: '5s', sendBatchSize: 1024, sendBatchMaxSize: 2048 };
  const sm = s.spanMetrics ?? { flushInterval: '15s', histogramBuckets: ['100ms', '1s', '10s'], dimensions: [] };
  const sg = s.serviceGraph ?? { storeTtl: '10s', storeMaxItems: 1000, dimensions: [] };
  const probes = probeSpanConditions(s.dropSpanPaths ?? []);
  const ts = s.tailSampling ?? { decisionWait: '90s', numTraces: 50000 };
  // Spans that arrive after their trace's decision follow it instead of starting a fragment that
  // is decided alone (tailsamplingprocessor decision_cache; without it both caches are off).
  const decisionCache = { sampled_cache_size: ts.numTraces, non_sampled_cache_size: ts.numTraces };
  const store = s.traceStore;
  const head = ['memory_limiter', ...(probes.length ? ['filter/drop-probes'] : [])];
  const processors: Record<string, unknown> = {
    memory_limiter: { check_interval: '1s', limit_percentage: ml.limitPercentage, spike_limit_percentage: ml.spikeLimitPercentage },
  };
  if (probes.length) processors['filter/drop-probes'] = { error_mode: 'ignore', trace_conditions: probes };
  // MLflow: whole traces that contain a GenAI span, without their database client spans.
  processors['tail_sampling/mlflow'] = {
    decision_wait: ts.decisionWait,
    num_traces: ts.numTraces,
    decision_cache: decisionCache,
    policies: [{ name: 'genai', type: 'string_attribute', string_attribute: { key: 'gen_ai.operation.name', values: GENAI_OPERATIONS } }],
  };
  processors['filter/mlflow-drop-db'] = {
    error_mode: 'ignore',
    trace_conditions: ['span.kind == SPAN_KIND_CLIENT and (span.attributes["db.system.name"] != nil or span.attributes["db.system"] != nil)'],
  };
  processors['transform/genai'] = { error_mode: 'ignore', trace_statements: GENAI_STATEMENTS };
  if (store) {
    processors['tail_sampling/store'] = {
      decision_wait: ts.decisionWait,
      num_traces: ts.numTraces,
      decision_cache: decisionCache,
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: store.slowThresholdMs ?? 2000 } },
        { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: store.baselinePercent ?? 10 } },
      ],
    };
  }
  processors.batch = { timeout: batch.timeout, send_batch_size: batch.sendBatchSize, send_batch_max_size: batch.sendBatchMaxSize };
  const pipelines: Record<string, unknown> = {
    // Span metrics and the service graph see every span (RED metrics must not be sampled).
    'traces/metrics': { receivers: ['otlp'], processors: head, exporters: ['spanmetrics', 'servicegraph'] },
    'traces/mlflow': {
      receivers: ['otlp'],
      processors: [...head, 'tail_sampling/mlflow', 'filter/mlflow-drop-db', 'transform/genai', 'batch'],
      exporters: [MLFLOW_EXPORTER],
    },
    ...(store ? { 'traces/store': { receivers: ['otlp'], processors: [...head, 'tail_sampling/store', 'batch'], exporters: [STORE_EXPORTER] } } : {}),
    metrics: { receivers: ['otlp', 'spanmetrics', 'servicegraph'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] },
  };
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${ports.health}` } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
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
        // Without these the series of every label set ever seen live forever (both default to 0).
        metrics_expiration: sm.metricsExpiration ?? '10m',
        aggregation_cardinality_limit: sm.cardinalityLimit ?? 5000,
        // Exemplars carry trace ids: Grafana links a slow bucket to its trace in MLflow.
        exemplars: { enabled: true },
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
      ...(store
        ? {
            [STORE_EXPORTER]: {
              endpoint: store.endpoint,
              tls: { insecure: store.insecure === true },
              retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
              sending_queue: { enabled: true, num_consumers: 4, queue_size: 5000 },
            },
          }
        : {}),
      prometheus: { endpoint: `0.0.0.0:${ports.metrics}`, metric_expiration: '10m', enable_open_metrics: true },
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        logs: { level: s.logLevel ?? 'info' },
        metrics: {
          level: s.telemetryLevel ?? 'normal',
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: ports.telemetry } } } }],
        },
      },
      pipelines,
    },
  };
}
