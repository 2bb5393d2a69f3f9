/** What a ported API server check reports about one object: where (a JSON pointer), which rule and upstream function, why. */
export interface KvProblem {
  path: string;
  rule: string;
  /** The upstream function that refuses it, e.g. `ValidateTolerations`. */
  fn: string;
  message: string;
}

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): [number, Json][] => list(v).flatMap((x, i): [number, Json][] => (isObj(x) ? [[i, x]] : []));
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** RFC 6901 escaping of one pointer segment. */
export const seg = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** field.Invalid's detail: `Invalid value: "v": msg`. */
export function invalid(value: unknown, msg: string): string {
  return `Invalid value: ${JSON.stringify(value)}: ${msg}`;
}

export const KV_METADATA = 'KV001';
export const KV_TOLERATIONS = 'KV002';
export const KV_PORTS = 'KV003';
export const KV_ENV = 'KV004';
export const KV_PROBES = 'KV005';
export const KV_NAMES = 'KV006';
