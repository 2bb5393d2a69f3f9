/** The PrometheusRule groups of the monitoring-rules component, as data. */

import { MLFLOW_EXPORTER } from './collector-config.ts';
import { workloadRuleGroups } from './alert-rules-workloads.ts';

import type { MonitoringRulesSettings } from '../config/schema-types/index.ts';

/** Prometheus scrape class (kube-prometheus-stack values) that sends Prometheus' own ServiceAccount
 * token: the llm-d endpoint picker only serves /metrics to callers allowed `get` on it. */
export const SA_TOKEN_SCRAPE_CLASS = 'kube-sa-token';

export interface RuleInputs {
  settings: MonitoringRulesSettings;
  inferenceNamespace: string;
  vllmJobRegex: string;
  modelsEnabled: boolean;
  postgres?: { namespace: string; cluster: string };
  collectorJob?: string;
  mlflowJob?: string;
  mcpNamespace?: string;
  agentsNamespace?: string;
  agentNames?: string[];
  benchmarksNamespace?: string;
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
 * (test/derive/observability-metrics.test.ts checks it), every job name comes from a rendered monitor.
 */
export function alertRuleGroups(i: RuleInputs): { name: string; interval: string; rules: Rule[] }[] {
  const s = i.settings;
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
  groups.push(
    ...workloadRuleGroups({
      interval,
      postgres: i.postgres,
      mcpNamespace: i.mcpNamespace,
      agentsNamespace: i.agentsNamespace,
      agentNames: i.agentNames,
      benchmarksNamespace: i.benchmarksNamespace,
    }),
  );
  return groups;
}
