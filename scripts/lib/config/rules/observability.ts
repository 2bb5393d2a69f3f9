/** Rules for the observability layer: what the component schemas cannot express. */
import { componentSettings, type ComponentName, type ComponentSettingsMap, type ResolvedEnv } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding, postgresOf } from './types.ts';
import { own } from '../../own.ts';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** Bytes of a Kubernetes quantity (20Gi, 500M, 1e9 without suffix); NaN when unparsable. */
export function quantityBytes(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(q);
  if (!m) return Number.NaN;
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit] ?? 1);
}

/** Bytes of a Prometheus size (retentionSize): KB, MB, GB... are powers of 1024 there. */
export function prometheusBytes(s: string): number {
  const m = /^([0-9]+)(KB|MB|GB|TB|PB)$/.exec(s);
  if (!m) return Number.NaN;
  const exp = ['KB', 'MB', 'GB', 'TB', 'PB'].indexOf(m[2]!) + 1;
  return Number(m[1]) * 1024 ** exp;
}

function settings<K extends ComponentName>(env: ResolvedEnv, name: K): { enabled: boolean; s: Partial<NonNullable<ComponentSettingsMap[K]>> } {
  return { enabled: env.components.get(name)?.enabled ?? false, s: componentSettings(env, name) ?? {} };
}

/** The artifact PVC is ReadWriteOnce: only one MLflow pod can mount it. */
export const mlflowReplicasNeedS3: EnvRule = (env) => {
  const { enabled, s } = settings(env, 'mlflow');
  if (!enabled || s.artifacts?.store !== 'pvc' || (s.replicas ?? 1) <= 1) return [];
  return [
    finding(
      env,
      '/components/mlflow/replicas',
      `${String(s.replicas)} MLflow replicas cannot share the ReadWriteOnce artifact volume: use 1 replica or artifacts.store s3`,
    ),
  ];
};

/** MLflow's backend store is the `mlflow` database of the CNPG cluster, owned by a declared role. */
export const mlflowHasDatabase: EnvRule = (env) => {
  const { enabled } = settings(env, 'mlflow');
  if (!enabled) return [];
  if (!postgresOf(env).databases.mlflow) {
    return [finding(env, '/components/postgres/databases', 'MLflow is enabled but components.postgres.databases has no "mlflow" database')];
  }
  return [];
};

/** Grafana's MLflow-traces datasource logs in with a read-only role that must exist. */
export const grafanaReaderRoleIsReadOnly: EnvRule = (env) => {
  const { enabled, s } = settings(env, 'grafana-dashboards');
  if (!enabled) return [];
  const role = s.mlflowDatasource?.role;
  if (!role) return [];
  const out: Finding[] = [];
  const { databases, roles } = postgresOf(env);
  const r = own(roles, role);
  if (!r) {
    out.push(
      finding(
        env,
        '/components/grafana-dashboards/mlflowDatasource/role',
        `role "${role}" is not in components.postgres.roles (have: ${Object.keys(roles).join(', ') || 'none'})`,
      ),
    );
  } else if (!(r.readOn ?? []).includes('mlflow')) {
    out.push(finding(env, `/components/postgres/roles/${role}`, `role "${role}" (Grafana's MLflow-traces datasource) must list "mlflow" in its readOn`));
  }
  const owners = Object.values(databases).map((d) => d.owner);
  if (owners.includes(role)) {
    out.push(finding(env, '/components/grafana-dashboards/mlflowDatasource/role', `role "${role}" owns a database: Grafana must log in with a read-only role`));
  }
  return out;
};

/** Prometheus needs headroom on its volume beyond retentionSize (WAL, compaction). */
export const prometheusRetentionFitsVolume: EnvRule = (env) => {
  const { enabled, s } = settings(env, 'kube-prometheus-stack');
  const p = s.prometheus;
  if (!enabled || !p?.retentionSize || !p.storage?.size) return [];
  const retention = prometheusBytes(p.retentionSize);
  const volume = quantityBytes(p.storage.size);
  if (!(retention > 0.9 * volume)) return [];
  return [
    finding(
      env,
      '/components/kube-prometheus-stack/prometheus/retentionSize',
      `retentionSize ${p.retentionSize} leaves no headroom on a ${p.storage.size} volume (keep it at most 90% of storage.size: Prometheus counts GB as GiB)`,
    ),
  ];
};

/** Tail sampling decides per trace: every span of a trace must reach the one collector pod. */
export const collectorSingleReplica: EnvRule = (env) => {
  const { enabled, s } = settings(env, 'otel-collector');
  if (!enabled || (s.replicas ?? 1) <= 1) return [];
  return [finding(env, '/components/otel-collector/replicas', `${String(s.replicas)} collector replicas would split traces across pods: tail sampling needs 1`)];
};

export const OBSERVABILITY_RULES: EnvRule[] = [collectorSingleReplica, mlflowReplicasNeedS3, mlflowHasDatabase, grafanaReaderRoleIsReadOnly, prometheusRetentionFitsVolume];
