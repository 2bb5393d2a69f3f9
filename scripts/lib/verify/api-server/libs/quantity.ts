/**
 * The Kubernetes CEL quantity library: kubernetes/apiserver@v0.35.0:pkg/cel/library/quantity.go
 * (in the base environment since 1.28, environment/base.go). A value parses as
 * k8s.io/apimachinery resource.ParseQuantity does (config/kube/quantity.ts): `<sign><number><suffix>` where the
 * suffix is a binary SI one (Ki Mi Gi Ti Pi Ei), a decimal SI one (n u m "" k M G T P E) or a
 * decimal exponent (e3, E-2); anything else ("200K", "10Mo", "10Mm", "Mi") is an error. A value
 * finer than 1n is rounded up (away from zero) to 1n, as ParseQuantity does.
 * The value is kept as an exact fraction in lowest terms, so equal quantities are equal CEL values
 * whatever their spelling (quantity("200M") == quantity("0.2G")).
 */
import { CelScalar } from '@bufbuild/cel';
import { compareQuantities, parseQuantity as parseKubeQuantity } from '../../../config/kube/quantity.ts';
import { fn, method, OPAQUE, opaque, unwrap } from './opaque.ts';

export interface Fraction {
  n: bigint;
  d: bigint;
}

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

/** resource.ParseQuantity (the grammar of config/kube/quantity.ts), in lowest terms; a reason when not a quantity. */
export function parseQuantity(s: string): Fraction | string {
  const q = parseKubeQuantity(s);
  if (!q.ok) return q.reason;
  let [n, d] = [q.value.num, q.value.den];
  // Finer than nano: rounded up to the next 1n (away from zero).
  const nanos = (n < 0n ? -n : n) * 1_000_000_000n;
  if (nanos % d !== 0n) [n, d] = [(n < 0n ? -1n : 1n) * (nanos / d + 1n), 1_000_000_000n];
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

const compareFractions = (a: Fraction, b: Fraction): bigint => BigInt(compareQuantities({ num: a.n, den: a.d, text: '' }, { num: b.n, den: b.d, text: '' }));
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
