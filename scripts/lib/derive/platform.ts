/** Facts of the platform and storage layers that every other layer uses: secret store, Pod Security, PostgreSQL. */
import type { Plan } from '../plan/plan.ts';
import { component, serviceHost } from './common.ts';

/** The CNPG Cluster name (fixed in base/postgres/cluster.yaml). */
export const PG_CLUSTER = 'catalyst-pg';
export const PG_PORT = 5432;
export const POSTGRES_APP = 'postgres';
const LEVELS = ['restricted', 'baseline', 'privileged'] as const;

export interface Database {
  name: string;
  owner: string;
}

/** Secret and remote key of a PostgreSQL role's password (one ExternalSecret per consumer namespace). */
export function postgresRoleSecretName(role: string): string {
  return `postgres-${role.replace(/_/g, '-')}`;
}

/** A role's Secret name and its key in the secret store. */
export function postgresRoleRef(role: string, keyPrefix: string): { secretName: string; remoteKey: string } {
  return { secretName: postgresRoleSecretName(role), remoteKey: `${keyPrefix}postgres/${role}` };
}

export function derivePlatform(plan: Plan) {
  const cfg = plan.env.config;
  const pg = component(plan, POSTGRES_APP);
  const ns = pg.app.namespace;
  const prefix = cfg.secrets.keyPrefix ?? '';
  const roles: Record<string, { secretName: string; remoteKey: string }> = {};
  for (const role of Object.keys((pg.settings.roles ?? {}) as object)) {
    roles[role] = postgresRoleRef(role, prefix);
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
  const instances = (pg.settings.instances as number | undefined) ?? 1;
  const host = serviceHost(`${PG_CLUSTER}-rw`, ns);
  return {
    secretStore: { name: cfg.secrets.store.name, kind: 'ClusterSecretStore', refreshInterval: cfg.secrets.refreshInterval, keyPrefix: prefix },
    podSecurity,
    postgres: {
      cluster: PG_CLUSTER,
      namespace: ns,
      /** The primary (read-write) Service. */
      host,
      /** Replicas only (`-ro`): CNPG gives it endpoints only when there are replicas, so one instance reads from the primary. */
      readHost: instances > 1 ? serviceHost(`${PG_CLUSTER}-ro`, ns) : host,
      port: PG_PORT,
      instances,
      roles,
      databases: (pg.settings.databases ?? {}) as Record<string, Database>,
    },
  };
}

export type PlatformFacts = ReturnType<typeof derivePlatform>;
