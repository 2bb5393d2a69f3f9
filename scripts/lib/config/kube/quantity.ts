/**
 * Kubernetes resource quantities (`500m`, `2`, `16Gi`, `1e3`), parsed to exact rationals so that
 * values in different units compare exactly. The grammar is apimachinery's
 * (pkg/api/resource/quantity.go at v0.35.7):
 *
 *   <quantity> ::= <sign>? <number> <suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | "" | k | M | G | T | P | E | (e|E) <sign>? <digits>
 */

import { ok, type Parsed } from '../../findings.ts';

/** An exact value: num / den, den > 0. */
export interface Quantity {
  num: bigint;
  den: bigint;
  /** The text it was parsed from. */
  text: string;
}

const GRAMMAR = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Exponents apimachinery reads as int32; anything this far out is beyond what a quantity holds anyway. */
const MAX_EXPONENT = 1000;
/** The largest magnitude a Quantity holds (2^63 - 1); apimachinery caps larger values. */
export const MAX_QUANTITY: Quantity = { num: 2n ** 63n - 1n, den: 1n, text: '9223372036854775807' };

export function parseQuantity(text: string): Parsed<Quantity> {
  const m = GRAMMAR.exec(text);
  if (!m) {
    return { ok: false, reason: `"${text}" is not a Kubernetes quantity (a number with an optional suffix: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)` };
  }
  const [, sign, number, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const [whole = '', frac = ''] = number.split('.');
  let num = BigInt(`${whole || '0'}${frac}`);
  let den = 10n ** BigInt(frac.length);
  if (Object.hasOwn(BINARY, suffix)) {
    num *= 2n ** BigInt(BINARY[suffix]!);
  } else {
    const exp = Object.hasOwn(DECIMAL, suffix) ? DECIMAL[suffix]! : Number(suffix.slice(1));
    if (Math.abs(exp) > MAX_EXPONENT) return { ok: false, reason: `"${text}": the exponent is out of range` };
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  if (sign === '-') num = -num;
  return ok({ num, den, text });
}

/** -1, 0 or 1 as a is less than, equal to or more than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The value is a whole number (of bytes, of devices...). */
export function isWhole(q: Quantity): boolean {
  return q.num % q.den === 0n;
}

/** The value times 10^3 is whole: at most milli precision (what CPU quantities hold). */
export function isWholeMilli(q: Quantity): boolean {
  return (q.num * 1000n) % q.den === 0n;
}
