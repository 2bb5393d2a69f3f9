/** Rules for the storage layer. */
import type { EnvRule } from './types.ts';
import { componentSettings } from '../environment.ts';
import { finding, postgresOf } from './types.ts';

/** PostgreSQL must be a CloudNativePG 17 'standard' (or 'system') image: those carry pgvector. */
export const postgresImageHasPgvector: EnvRule = (env) => {
  const pg = env.components.get('postgres');
  if (!pg?.enabled) return [];
  const image = componentSettings(env, 'postgres')?.imageName ?? '';
  const tag = image.split(':').pop() ?? '';
  if (/^17(\.\d+)?(-\d{12})?-(standard|system)-[a-z]+$/.test(tag)) return [];
  return [
    finding(
      env,
      '/components/postgres/imageName',
      `"${image}" is not a PostgreSQL 17 'standard' image (tag like 17.6-standard-trixie): only those carry pgvector`,
    ),
  ];
};

/** Each database name is used once. */
export const postgresDatabasesUnique: EnvRule = (env) => {
  const pg = env.components.get('postgres');
  if (!pg?.enabled) return [];
  const dbs = postgresOf(env).databases;
  const seen = new Map<string, string>();
  const out = [];
  for (const [purpose, db] of Object.entries(dbs)) {
    const prev = seen.get(db.name);
    if (prev) out.push(finding(env, `/components/postgres/databases/${purpose}/name`, `database "${db.name}" is already used for ${prev}`));
    else seen.set(db.name, purpose);
  }
  return out;
};

/** Every database owner is one of the declared roles. */
export const postgresOwnersAreRoles: EnvRule = (env) => {
  const pg = env.components.get('postgres');
  if (!pg?.enabled) return [];
  const { databases: dbs, roles: byName } = postgresOf(env);
  const roles = Object.keys(byName);
  return Object.entries(dbs)
    .filter(([, db]) => !roles.includes(db.owner))
    .map(([purpose, db]) =>
      finding(env, `/components/postgres/databases/${purpose}/owner`, `owner "${db.owner}" is not a role in components.postgres.roles (have: ${roles.join(', ') || 'none'})`),
    );
};

/** A reader's readOn names declared databases, and no role reads a database it owns. */
export const postgresReadOnKnown: EnvRule = (env) => {
  const pg = env.components.get('postgres');
  if (!pg?.enabled) return [];
  const { databases: dbs, roles } = postgresOf(env);
  return Object.entries(roles).flatMap(([role, r]) =>
    (r.readOn ?? []).flatMap((db, j) =>
      dbs[db]
        ? []
        : [finding(env, `/components/postgres/roles/${role}/readOn/${j}`, `"${db}" is not a database in components.postgres.databases (have: ${Object.keys(dbs).join(', ') || 'none'})`)],
    ),
  );
};
