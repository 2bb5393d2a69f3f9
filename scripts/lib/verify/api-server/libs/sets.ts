/**
 * CEL's sets extension as the 1.35 base environment adds it (kubernetes/apiserver@v0.35.0
 * pkg/cel/environment/base.go: ext.Sets() since 1.29; google/cel-go ext/sets.go):
 * sets.contains(a, b) is true when every element of b is in a, sets.equivalent(a, b) when each
 * contains the other, sets.intersects(a, b) when they share an element. Elements compare with
 * CEL equality (an int equals the double of the same value).
 */
import { CelScalar, isCelList, listType, type CelList } from '@bufbuild/cel';
import { isDeepStrictEqual } from 'node:util';
import { fn } from './opaque.ts';

const items = (l: unknown): unknown[] => (isCelList(l) ? [...(l as CelList)] : Array.isArray(l) ? l : []);
const num = (v: unknown): number | undefined => (typeof v === 'bigint' || typeof v === 'number' ? Number(v) : undefined);
const isList = (v: unknown): boolean => isCelList(v) || Array.isArray(v);
const eq = (a: unknown, b: unknown): boolean => {
  if (num(a) !== undefined && num(b) !== undefined) return num(a) === num(b);
  if (isList(a) && isList(b)) return items(a).length === items(b).length && items(a).every((x, i) => eq(x, items(b)[i]));
  return isDeepStrictEqual(a, b);
};
const contains = (a: unknown, b: unknown): boolean => items(b).every((x) => items(a).some((y) => eq(x, y)));
const L = listType(CelScalar.DYN);
const B = CelScalar.BOOL;

export const SETS_LIBRARY = [
  fn('sets.contains', [L, L], B, contains),
  fn('sets.equivalent', [L, L], B, (a: unknown, b: unknown) => contains(a, b) && contains(b, a)),
  fn('sets.intersects', [L, L], B, (a: unknown, b: unknown) => items(a).some((x) => items(b).some((y) => eq(x, y)))),
];
