/**
 * Alert rules of the MCP, agents and benchmarks layers and of PostgreSQL archiving (issue 13),
 * as data; alert-rules.ts adds them to the catalyst-platform PrometheusRule.
 *
 * MCPServerRegistration and AgentRuntime conditions come from kube-state-metrics'
 * CustomResourceState (kube-prometheus-stack values, apps/kube-prometheus-stack/overlays):
 * `kube_customresource_<name>` gauges, condition status "True"/"False" mapped to 1/0.
 * CNPG archiver metrics: cloudnative-pg v1.30.0 config/manager/default-monitoring.yaml
 * (pg_stat_archiver) and docs/src/samples/monitoring/prometheusrule.yaml:45-52.
 */
export interface WorkloadRuleInputs {
  interval: string;
  postgres?: { namespace: string; cluster: string };
  mcpNamespace?: string;
  agentsNamespace?: string;
  /** The agents' Deployment names (agents:): the WebUI shares their namespace and is no agent. */
  agentNames?: string[];
  benchmarksNamespace?: string;
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const q = (v: string): string => JSON.stringify(v);

/** The kube-state-metrics CustomResourceState metric names the rules use. */
export const CRS_METRICS = {
  mcpServerRegistration: 'kube_customresource_mcpserverregistration_status_condition',
  agentRuntime: 'kube_customresource_agentruntime_status_condition',
} as const;

export function workloadRuleGroups(i: WorkloadRuleInputs): { name: string; interval: string; rules: Rule[] }[] {
  const groups: { name: string; interval: string; rules: Rule[] }[] = [];
  if (i.postgres) {
    const pg = `namespace=${q(i.postgres.namespace)}, cluster=${q(i.postgres.cluster)}`;
    groups.push({
      name: 'catalyst-postgres-archiving',
      interval: i.interval,
      rules: [
        {
          alert: 'PostgresWALArchivingFailing',
          expr: `max by (namespace, pod) (cnpg_pg_stat_archiver_last_failed_time{${pg}} - cnpg_pg_stat_archiver_last_archived_time{${pg}}) > 1`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'WAL archiving of {{ $labels.pod }} is failing',
            description: 'The last WAL archive attempt failed after the last success: point-in-time recovery is at risk and pg_wal fills up.',
          },
        },
        {
          alert: 'PostgresWALArchiveBacklog',
          expr: `max by (namespace, pod) (cnpg_collector_pg_wal_archive_status{${pg}, value="ready"}) > 10`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $value }} WAL segments of {{ $labels.pod }} wait to be archived',
            description: 'WAL segments are produced faster than they are archived for 15 minutes.',
          },
        },
        {
          alert: 'PostgresBackupFailing',
          expr: `max by (namespace) (cnpg_collector_last_failed_backup_timestamp{${pg}}) > max by (namespace) (cnpg_collector_last_available_backup_timestamp{${pg}})`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: `The last backup of cluster ${i.postgres.cluster} failed`,
            description: 'The most recent backup attempt failed after the last good one (in-core Barman and volume-snapshot backups).',
          },
        },
      ],
    });
  }
  const rules: Rule[] = [];
  if (i.mcpNamespace) {
    rules.push({
      alert: 'MCPServerRegistrationNotReady',
      expr: `max by (namespace, name) (${CRS_METRICS.mcpServerRegistration}{namespace=${q(i.mcpNamespace)}, type="Ready"}) == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'MCP server {{ $labels.namespace }}/{{ $labels.name }} is not Ready at the gateway',
        description: 'The MCP gateway does not offer its tools: the server is down, its route is wrong or its credentials are missing.',
      },
    });
  }
  if (i.agentsNamespace) {
    const ns = `namespace=${q(i.agentsNamespace)}`;
    // Only the agents' Deployments: the WebUI runs in the same namespace (apps/webui/app.yaml).
    const agentDeployments = `${ns}, deployment=~${q((i.agentNames ?? []).join('|'))}`;
    rules.push({
      alert: 'AgentNotReady',
      expr:
        `max by (namespace, name) (${CRS_METRICS.agentRuntime}{${ns}, type="Ready"}) == 0` +
        (i.agentNames?.length
          ? ` or max by (namespace, deployment) (kube_deployment_spec_replicas{${agentDeployments}} - kube_deployment_status_replicas_available{${agentDeployments}}) > 0`
          : ''),
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Agent {{ $labels.name }}{{ $labels.deployment }} is not ready',
        description: 'Kagenti reports the AgentRuntime not Ready, or the agent Deployment has unavailable replicas, for 10 minutes.',
      },
    });
  }
  if (i.benchmarksNamespace) {
    rules.push({
      alert: 'BenchmarkJobFailed',
      expr: `max by (namespace, job_name) (kube_job_status_failed{namespace=${q(i.benchmarksNamespace)}}) > 0`,
      // The Job (backoffLimit 0, no TTL) stays failed until the next sync replaces it: the
      // alert holds; 5m only rides out a kube-state-metrics restart, like every other alert.
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Benchmark run {{ $labels.job_name }} failed',
        description: 'The run is recorded in MLflow and the benchmarks database (status failed, or timed_out when it reached its time budget before the Job deadline); its logs are in the Job. Later runs of the same model wait (components.benchmarks.concurrency).',
      },
    });
  }
  if (rules.length) groups.push({ name: 'catalyst-workloads', interval: i.interval, rules });
  return groups;
}
