/**
 * Integers the API server (or the operator behind a CRD) stores as int32: replicas, CNPG
 * instances, PostgreSQL connection limits (int4), user and group ids. A value outside
 * -2^31..2^31-1 is refused at apply time; here it is reported at the line that sets it. Any
 * integer beyond 2^53 is reported too: YAML and JSON tools round it silently.
 */
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';
import { own } from '../../own.ts';

export const INT32_MAX = 2 ** 31 - 1;

/** Keys whose integer lands in an int32 field, and the smallest value it may have there. */
export const INT32_FIELDS: Record<string, { min: number; what: string }> = {
  replicas: { min: 0, what: 'replicas (int32)' },
  instances: { min: 1, what: 'CNPG spec.instances (int32)' },
  connectionLimit: { min: -1, what: 'a PostgreSQL connection limit (int4, -1 = no limit)' },
  runAsUser: { min: 0, what: 'a user id (runAsUser: non-negative, below 2^31)' },
  runAsGroup: { min: 0, what: 'a group id (runAsGroup: non-negative, below 2^31)' },
  fsGroup: { min: 0, what: 'a group id (fsGroup: non-negative, below 2^31)' },
};

/** Keys whose integer lands in an int64 field of the API (a double cannot even hold all of them). */
export const INT64_FIELDS: Record<string, string> = {
  tolerationSeconds: 'tolerationSeconds (int64)',
};
const INT64_MAX = 2n ** 63n - 1n;

export const integersInRange: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (typeof v.value !== 'number' || !Number.isInteger(v.value) || !isActive(env, v.pointer)) continue;
    const wide = own(INT64_FIELDS, v.key);
    if (wide && (BigInt(v.value) > INT64_MAX || BigInt(v.value) < -INT64_MAX - 1n)) {
      out.push(finding(env, v.pointer, `${v.key} ${v.value} is out of range for ${wide}: it must be from ${-INT64_MAX - 1n} to ${INT64_MAX}`));
      continue;
    }
    if (!Number.isSafeInteger(v.value)) {
      out.push(finding(env, v.pointer, `${v.value} is beyond 2^53: YAML and JSON tools round integers this large`));
      continue;
    }
    const field = own(INT32_FIELDS, v.key);
    if (!field) continue;
    if (v.value < field.min || v.value > INT32_MAX) {
      out.push(finding(env, v.pointer, `${v.key} ${v.value} is out of range for ${field.what}: it must be from ${field.min} to ${INT32_MAX}`));
    }
  }
  return out;
};

export const INT_RANGE_RULES: EnvRule[] = [integersInRange];
