import { componentSettings, type ResolvedEnv } from '../environment.ts';
import type { PostgresDatabase, PostgresSettings } from '../schema-types/index.ts';
import type { Finding } from '../../findings.ts';

/** A semantic rule over a resolved environment: what no JSON Schema can express. */
export type EnvRule = (env: ResolvedEnv) => Finding[];

/** A finding at a pointer of the merged config, located in whichever file set it. */
export function finding(env: ResolvedEnv, pointer: string, message: string, key = false): Finding {
  const at = env.locate(pointer, key);
  return { file: at.file, line: at.line, col: at.col, path: pointer, message };
}

/** components.postgres databases (by purpose) and roles (by name), to look up any name in. */
export function postgresOf(env: ResolvedEnv): { databases: Record<string, PostgresDatabase>; roles: NonNullable<PostgresSettings['roles']> } {
  const pg = componentSettings(env, 'postgres');
  return { databases: pg?.databases ?? {}, roles: pg?.roles ?? {} };
}
