/** Facts of the platform and storage layers that every other layer uses: secret store, Pod Security, PostgreSQL. */
import { POSTGRES_APP } from '../config/components.ts';
import type { Plan } from '../plan/plan.ts';
import { component, serviceHost } from './common.ts';

/** The CNPG Cluster name (fixed in apps/postgres/base/cluster.yaml). */
export const PG_CLUSTER = 'catalyst-pg';
export const PG_PORT = 5432;
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

/** Quote a PostgreSQL identifier. */
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Per database, the owner's idempotent privileges. PostgreSQL grants CONNECT on every database
 * to PUBLIC by default (postgres/postgres@REL_17_0 doc/src/sgml/ddl.sgml, "PUBLIC ... CONNECT"),
 * so a read-only role could open any database: the owner revokes it, and grants CONNECT, USAGE
 * and SELECT to the readers of its database (roles' readOn). CNPG 1.30 manages no privileges
 * (api/v1/database_types.go:184-226, databaserole_types.go:66-86), and pg_read_all_data would
 * read every database. Run as the owner, so ALTER DEFAULT PRIVILEGES covers the tables it
 * creates later; the owner keeps CONNECT as the owner.
 */
function readGrants(
  databases: Record<string, Database>,
  roles: Record<string, { readOn?: string[] }>,
  secrets: Record<string, { secretName: string }>,
) {
  return Object.entries(databases).map(([key, db]) => {
    const readers = Object.entries(roles).filter(([, r]) => (r.readOn ?? []).includes(key)).map(([name]) => name);
    const sql = [
      `REVOKE CONNECT ON DATABASE ${ident(db.name)} FROM PUBLIC;`,
      ...readers.flatMap((r) => [
        `GRANT CONNECT ON DATABASE ${ident(db.name)} TO ${ident(r)};`,
        `GRANT USAGE ON SCHEMA public TO ${ident(r)};`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ident(r)};`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(db.owner)} IN SCHEMA public GRANT SELECT ON TABLES TO ${ident(r)};`,
      ]),
    ];
    return { key, database: db.name, owner: db.owner, ownerSecret: secrets[db.owner]?.secretName ?? '', readers, sql: sql.join('\n') };
  });
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
  const databases = (pg.settings.databases ?? {}) as Record<string, Database>;
  const roleSettings = (pg.settings.roles ?? {}) as Record<string, { readOn?: string[] }>;
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
      databases,
      readGrants: readGrants(databases, roleSettings, roles),
    },
  };
}

export type PlatformFacts = ReturnType<typeof derivePlatform>;
