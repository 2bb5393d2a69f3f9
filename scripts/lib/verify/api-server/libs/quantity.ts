/**
 * The Kubernetes CEL quantity library: kubernetes/apiserver@v0.35.0:pkg/cel/library/quantity.go
 * (in the base environment since 1.28, environment/base.go). A value parses as
 * k8s.io/apimachinery resource.ParseQuantity does: `<sign><digits>[.<digits>]<suffix>` where the
 * suffix is a binary SI one (Ki Mi Gi Ti Pi Ei), a decimal SI one (n u m "" k M G T P E) or a
 * decimal exponent (e3, E-2); anything else ("200K", "10Mo", "10Mm", "Mi") is an error. A value
 * finer than 1n is rounded up (away from zero) to 1n, as ParseQuantity does.
 * The value is kept as an exact fraction in lowest terms, so equal quantities are equal CEL values
 * whatever their spelling (quantity("200M") == quantity("0.2G")).
 */
import { CelScalar } from '@bufbuild/cel';
import { fn, method, OPAQUE, opaque, unwrap } from './opaque.ts';

export interface Fraction {
  n: bigint;
  d: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y) [x, y] = [y, x % y];
  return x || 1n;
};
const reduce = (n: bigint, d: bigint): Fraction => {
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
};
const pow10 = (e: number): Fraction => (e >= 0 ? { n: 10n ** BigInt(e), d: 1n } : { n: 1n, d: 10n ** BigInt(-e) });

/** resource.ParseQuantity; a reason when the text is not a quantity. */
export function parseQuantity(s: string): Fraction | string {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(s);
  if (!m || `${m[2]}${m[3] ?? ''}` === '') return 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'';
  const [, sign, whole, frac = '', suffix = ''] = m;
  let scale: Fraction;
  if (suffix in BINARY) scale = { n: BINARY[suffix]!, d: 1n };
  else if (suffix in DECIMAL) scale = pow10(DECIMAL[suffix]!);
  else if (/^[eE][+-]?[0-9]+$/.test(suffix)) scale = pow10(Number(suffix.slice(1)));
  else return 'unable to parse quantity\'s suffix';
  let n = BigInt(`${whole}${frac}` || '0') * scale.n;
  let d = 10n ** BigInt(frac.length) * scale.d;
  // Finer than nano: rounded up to the next 1n (away from zero).
  const nanos = n * 1_000_000_000n;
  if (nanos % d !== 0n) {
    n = nanos / d + 1n;
    d = 1_000_000_000n;
  }
  if (sign === '-') n = -n;
  return reduce(n, d);
}

const Q = 'kubernetes.Quantity';
const wrap = (f: Fraction): Map<string, unknown> => opaque(Q, { n: String(f.n), d: String(f.d) });
const read = (raw: { n: string; d: string }): Fraction => ({ n: BigInt(raw.n), d: BigInt(raw.d) });
const arg = (v: unknown, name: string): Fraction => read(unwrap<{ n: string; d: string }>(v, Q, name));

export function quantity(s: string): Map<string, unknown> {
  const q = parseQuantity(s);
  if (typeof q === 'string') throw new Error(q);
  return wrap(q);
}

export const compareFractions = (a: Fraction, b: Fraction): bigint => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1n : l > r ? 1n : 0n;
};
const plus = (a: Fraction, b: Fraction, sign: bigint): Map<string, unknown> => wrap(reduce(a.n * b.d + sign * b.n * a.d, a.d * b.d));
const asInteger = (q: Fraction): bigint | undefined => (q.d === 1n && q.n <= INT64_MAX && q.n >= INT64_MIN ? q.n : undefined);

const S = CelScalar.STRING;
const I = CelScalar.INT;
type Raw = { n: string; d: string };

export const QUANTITY_LIBRARY = [
  fn('quantity', [S], OPAQUE, quantity),
  fn('isQuantity', [S], CelScalar.BOOL, (s: string) => typeof parseQuantity(s) !== 'string'),
  method(Q, 'sign', [], I, (q: Raw) => BigInt(Math.sign(Number(read(q).n)))),
  method(Q, 'isInteger', [], CelScalar.BOOL, (q: Raw) => asInteger(read(q)) !== undefined),
  method(Q, 'asInteger', [], I, (q: Raw) => {
    const v = asInteger(read(q));
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  }),
  method(Q, 'asApproximateFloat', [], CelScalar.DOUBLE, (q: Raw) => Number(read(q).n) / Number(read(q).d)),
  method(Q, 'add', [OPAQUE], OPAQUE, (q: Raw, o: unknown) => plus(read(q), arg(o, 'add'), 1n)),
  method(Q, 'add', [I], OPAQUE, (q: Raw, i: bigint) => plus(read(q), { n: i, d: 1n }, 1n)),
  method(Q, 'sub', [OPAQUE], OPAQUE, (q: Raw, o: unknown) => plus(read(q), arg(o, 'sub'), -1n)),
  method(Q, 'sub', [I], OPAQUE, (q: Raw, i: bigint) => plus(read(q), { n: i, d: 1n }, -1n)),
];

/** The comparisons, shared by name with semver (semver.ts): compareTo, isLessThan, isGreaterThan. */
export const QUANTITY_COMPARE = (q: Raw, o: unknown, name: string): bigint => compareFractions(read(q), arg(o, name));
