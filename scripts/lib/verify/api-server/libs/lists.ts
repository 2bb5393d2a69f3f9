/**
 * The Kubernetes CEL lists and regex libraries: kubernetes/apiserver@v0.35.0:pkg/cel/library/lists.go
 * (isSorted, sum, min, max, indexOf, lastIndexOf over lists of comparable values; min and max of an
 * empty list are an error) and regex.go (find, findAll). Regular expressions run on JavaScript's
 * engine with the `u` flag: RE2 syntax the rules use (classes, anchors, alternation, repetition)
 * means the same there.
 */
import { celMethod, CelScalar, isCelList, listType, type CelList, type CelType } from '@bufbuild/cel';

const D = CelScalar.DYN;
const L = listType(D);
const items = (l: unknown): unknown[] => (isCelList(l) ? [...(l as CelList)] : Array.isArray(l) ? l : []);
const cmp = (a: unknown, b: unknown): number => {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload: values are not comparable');
};
const same = (a: unknown, b: unknown): boolean => (typeof a === typeof b ? a === b : (typeof a === 'bigint' || typeof a === 'number') && Number(a) === Number(b));

function extreme(l: unknown, sign: number): unknown {
  const xs = items(l);
  if (!xs.length) throw new Error(`${sign > 0 ? 'max' : 'min'}(list) cannot be called on an empty list`);
  return xs.reduce((m, x) => (cmp(x, m) * sign > 0 ? x : m));
}

type Impl = (self: never, ...a: never[]) => unknown;
const on = (target: CelType, name: string, args: readonly CelType[], result: CelType, impl: Impl) =>
  celMethod(name, target, args as CelType[], result, function (this: unknown, ...a: unknown[]) {
    return (impl as (s: unknown, ...r: unknown[]) => unknown)(this, ...a) as never;
  });
const method = (name: string, args: readonly CelType[], result: CelType, impl: Impl) => on(L, name, args, result, impl);

export const LISTS_LIBRARY = [
  method('isSorted', [], CelScalar.BOOL, (l) => items(l).every((x, i, xs) => i === 0 || cmp(xs[i - 1], x) <= 0)),
  method('sum', [], D, (l) => items(l).reduce((s: unknown, x) => (typeof s === 'bigint' && typeof x === 'bigint' ? s + x : Number(s) + Number(x)), typeof items(l)[0] === 'number' ? 0 : 0n)),
  method('min', [], D, (l) => extreme(l, -1)),
  method('max', [], D, (l) => extreme(l, 1)),
  method('indexOf', [D], CelScalar.INT, (l, v) => BigInt(items(l).findIndex((x) => same(x, v)))),
  method('lastIndexOf', [D], CelScalar.INT, (l, v) => BigInt(items(l).map((x) => same(x, v)).lastIndexOf(true))),
];

const S = CelScalar.STRING;
const re = (p: string, g = ''): RegExp => new RegExp(p, `u${g}`);

export const REGEX_LIBRARY = [
  on(S, 'find', [S], S, (s: string, p: string) => re(p).exec(s)?.[0] ?? ''),
  on(S, 'findAll', [S], listType(S), (s: string, p: string) => [...s.matchAll(re(p, 'g'))].map((m) => m[0])),
  on(S, 'findAll', [S, CelScalar.INT], listType(S), (s: string, p: string, n: bigint) => {
    const all = [...s.matchAll(re(p, 'g'))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
];
