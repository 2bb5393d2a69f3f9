/**
 * Layered settings: catalog defaults < environments/_base.yaml < the env file.
 * Mappings merge key by key; lists and scalars replace (lists are never concatenated,
 * so an env that lists two models gets exactly those two). `null` removes a key.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return clone(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) out[k] = clone(v);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    out[k] = k in out ? deepMerge(out[k], v) : clone(v);
  }
  return out;
}

export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/** Value at a JSON pointer segment list, or undefined. */
export function getAt(data: unknown, segs: string[]): unknown {
  let cur: unknown = data;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isPlainObject(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}
