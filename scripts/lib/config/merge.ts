/**
 * Layered settings: catalog defaults < environments/_base.yaml < the env file.
 * Mappings merge key by key; `null` removes a key. Lists of named items (KEYED_LISTS: models,
 * mcp.servers, agents, benchmarks) merge item by item on their key: an entry whose name is
 * already listed below merges into that item (so `{name: jira, enabled: false}` turns off just
 * jira), new names are appended in order. Every other list replaces (it is never concatenated).
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON pointer of a list of named items in an environment -> the key that names its items. */
export type KeyedLists = Readonly<Record<string, string>>;

/** The lists of named items users override one item at a time per environment. */
export const KEYED_LISTS: KeyedLists = {
  '/models': 'name',
  '/mcp/servers': 'name',
  '/agents': 'name',
  '/benchmarks': 'id',
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `over` merged onto `base`. `keyed` names the lists (by JSON pointer from the root of the
 * merge) that merge by key; `at` is the pointer of `base`/`over` (for recursion).
 */
export function deepMerge(base: unknown, over: unknown, keyed: KeyedLists = {}, at = ''): unknown {
  if (over === undefined) return clone(base);
  const key = keyed[at];
  if (key !== undefined && Array.isArray(base) && Array.isArray(over)) return mergeKeyed(base, over, key);
  if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) out[k] = clone(v);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    const child = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    out[k] = Object.hasOwn(out, k) ? deepMerge(out[k], v, keyed, child) : clone(v);
  }
  return out;
}

/** The item's name under `key`, when it is a mapping with a string or number there. */
export function itemKey(item: unknown, key: string): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const v = item[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * Where each item of `over` lands when merged onto a list of `baseLength` items named `baseKeys`:
 * the index of the first not-yet-matched base item with the same name, or a new index at the end.
 * (A name listed twice in one file is appended the second time, so the duplicate is reported.)
 */
export function keyedTargets(baseKeys: (string | undefined)[], overKeys: (string | undefined)[]): number[] {
  const used = new Set<number>();
  let next = baseKeys.length;
  return overKeys.map((k) => {
    const i = k === undefined ? -1 : baseKeys.findIndex((b, j) => b === k && !used.has(j));
    if (i >= 0) {
      used.add(i);
      return i;
    }
    return next++;
  });
}

function mergeKeyed(base: unknown[], over: unknown[], key: string): unknown[] {
  const out = base.map((x) => clone(x));
  const targets = keyedTargets(
    base.map((x) => itemKey(x, key)),
    over.map((x) => itemKey(x, key)),
  );
  over.forEach((item, j) => {
    const t = targets[j]!;
    // Items merge key by key (nested lists inside an item replace, as everywhere else).
    out[t] = t < base.length ? deepMerge(out[t], item) : clone(item);
  });
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
    else if (isPlainObject(cur)) cur = Object.hasOwn(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}
