/** Facts of the platform and storage layers that other layers' templates use. */
import { addFactContributor } from '../render/context.ts';

/** The CNPG Cluster name (fixed in base/postgres/cluster.yaml). */
export const PG_CLUSTER = 'catalyst-pg';
const LEVELS = ['restricted', 'baseline', 'privileged'] as const;

addFactContributor((plan) => {
  const cfg = plan.env.config;
  const pg = plan.env.components.get('postgres');
  const ns = pg?.app.namespace ?? 'catalyst-data';
  const prefix = cfg.secrets.keyPrefix ?? '';
  const roles: Record<string, { secretName: string; remoteKey: string }> = {};
  for (const role of Object.keys((pg?.settings.roles ?? {}) as object)) {
    roles[role] = { secretName: `postgres-${role.replace(/_/g, '-')}`, remoteKey: `${prefix}postgres/${role}` };
  }
  // Pod Security level per namespace: 'restricted' unless a component there has a catalog exception.
  const podSecurity: Record<string, { level: string; reason?: string }> = {};
  for (const n of plan.namespaces) podSecurity[n] = { level: 'restricted' };
  for (const a of plan.apps) {
    const ex = a.app.podSecurity;
    const cur = podSecurity[a.app.namespace];
    if (!ex || !cur) continue;
    if (LEVELS.indexOf(ex.level) > LEVELS.indexOf(cur.level as (typeof LEVELS)[number])) {
      podSecurity[a.app.namespace] = { level: ex.level, reason: `${a.name}: ${ex.reason}` };
    }
  }
  return {
    secretStore: { name: cfg.secrets.store.name, kind: 'ClusterSecretStore', refreshInterval: cfg.secrets.refreshInterval, keyPrefix: prefix },
    podSecurity,
    postgres: {
      cluster: PG_CLUSTER,
      namespace: ns,
      host: `${PG_CLUSTER}-rw.${ns}.svc.cluster.local`,
      readHost: `${PG_CLUSTER}-ro.${ns}.svc.cluster.local`,
      port: 5432,
      roles,
      databases: pg?.settings.databases ?? {},
    },
  };
});
