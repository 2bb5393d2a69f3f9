/**
 * Durations in Go syntax (`5s`, `1h30m`, `250ms`) become a time.Duration: int64 nanoseconds, at
 * most about 292 years. Argo CD and the operators refuse longer ones when they parse them; here
 * they are reported at the line that sets them.
 */
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';
import { printable } from '../yaml-source.ts';

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const PART = /([0-9]+)(?:\.([0-9]+))?(ns|us|µs|ms|s|m|h)/g;
const NS: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const MAX_NS = 2n ** 63n - 1n;

/** Nanoseconds of a Go duration (fractions truncated, as Go rounds them away at ns). */
export function durationNanos(text: string): bigint | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0n;
  for (const m of text.matchAll(PART)) {
    const unit = NS[m[3]!]!;
    total += BigInt(m[1]!) * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
  }
  return total;
}

export const durationsInRange: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (typeof v.value !== 'string' || !isActive(env, v.pointer)) continue;
    const ns = durationNanos(v.value);
    if (ns !== undefined && ns > MAX_NS) {
      out.push(finding(env, v.pointer, `duration ${printable(v.value, 40)} is longer than a Go time.Duration holds (about 292 years, 9223372036854775807 ns)`));
    }
  }
  return out;
};

export const DURATION_RULES: EnvRule[] = [durationsInRange];
