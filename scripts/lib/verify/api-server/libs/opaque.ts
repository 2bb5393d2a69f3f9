/**
 * The Kubernetes CEL libraries declare their own types (URL, IP, CIDR); @bufbuild/cel has no
 * opaque types, so a value of one is a CEL map holding a tag and the parsed value as JSON text
 * (a CEL map's values are converted to CEL values: JSON text passes unchanged). Methods of these
 * types are declared on maps and refuse any map that is not of their type.
 */
import { celFunc, celMethod, CelScalar, isCelMap, mapType, type CelFunc, type CelType } from '@bufbuild/cel';

const TAG = '\u0000k8s-type';
const VALUE = '\u0000k8s-value';
export const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

export function opaque(type: string, value: unknown): Map<string, unknown> {
  return new Map<string, unknown>([
    [TAG, type],
    [VALUE, JSON.stringify(value)],
  ]);
}

/** The parsed value of `v` when it is an opaque value of `type`; else the overload does not apply. */
export function unwrap<T>(v: unknown, type: string, method: string): T {
  if (isCelMap(v) && v.get(TAG) === type) return JSON.parse(v.get(VALUE) as string) as T;
  throw new Error(`no such overload: ${method} on ${isCelMap(v) && typeof v.get(TAG) === 'string' ? String(v.get(TAG)) : 'map'}`);
}

type Impl = (...args: never[]) => unknown;

/** `name(args)` of a library. */
export const fn = (name: string, args: readonly CelType[], result: CelType, impl: Impl): CelFunc =>
  celFunc(name, args as CelType[], result, impl as never);

/** `<type>.name(args)` of a library, on one of its opaque types. */
export const method = (type: string, name: string, args: readonly CelType[], result: CelType, impl: (self: never, ...a: never[]) => unknown): CelFunc =>
  celMethod(name, OPAQUE, args as CelType[], result, function (this: unknown, ...a: unknown[]) {
    return (impl as (s: unknown, ...r: unknown[]) => unknown)(unwrap(this, type, name), ...a) as never;
  });

/** The type tag of an opaque value, or undefined for any other value. */
export const tagOf = (v: unknown): string | undefined => (isCelMap(v) && typeof v.get(TAG) === 'string' ? (v.get(TAG) as string) : undefined);

/**
 * One method name that several libraries define on their own types (quantity and semver both have
 * `isLessThan`, `isGreaterThan`, `compareTo`): one declaration on opaque values dispatching on the
 * receiver's type tag, since the CEL environment takes one overload per signature.
 */
export const shared = (name: string, args: readonly CelType[], result: CelType, impls: Record<string, (self: never, ...a: never[]) => unknown>): CelFunc =>
  celMethod(name, OPAQUE, args as CelType[], result, function (this: unknown, ...a: unknown[]) {
    const type = tagOf(this);
    const impl = type === undefined ? undefined : impls[type];
    if (!impl) throw new Error(`no such overload: ${name} on ${type ?? 'map'}`);
    return (impl as (s: unknown, ...r: unknown[]) => unknown)(unwrap(this, type!, name), ...a) as never;
  });
