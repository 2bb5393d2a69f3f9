/** Walking the merged config: every value with its JSON pointer (for rules that look at shapes, not paths). */
import { isPlainObject } from '../merge.ts';
import { escapePointer } from '../yaml-source.ts';
import { own } from '../../own.ts';

export interface Visit {
  pointer: string;
  /** The mapping key or list index of the value. */
  key: string;
  value: unknown;
  /** The keys from the root down to (not including) this value. */
  path: string[];
}

/** Every value under `data`, parents before children. */
export function* walk(data: unknown, pointer = '', path: string[] = []): Generator<Visit> {
  const entries: [string, unknown][] = Array.isArray(data) ? data.map((v, i) => [String(i), v]) : isPlainObject(data) ? Object.entries(data) : [];
  for (const [k, v] of entries) {
    const p = `${pointer}/${escapePointer(k)}`;
    yield { pointer: p, key: k, value: v, path };
    yield* walk(v, p, [...path, k]);
  }
}

/**
 * The value at `pointer` takes effect: it is not inside a disabled component
 * (components.<name> with enabled false) nor inside an item of a list of named items that has
 * `enabled: false` (a disabled model, server, agent or run renders nothing).
 */
export function isActive(env: { config: unknown; components: Map<string, { enabled: boolean }> }, pointer: string): boolean {
  const segs = pointer.split('/').slice(1);
  if (segs[0] === 'components' && segs[1] !== undefined && env.components.get(segs[1].replace(/~1/g, '/').replace(/~0/g, '~'))?.enabled === false) return false;
  for (const [list, depth] of [['models', 1], ['agents', 1], ['benchmarks', 1], ['mcp/servers', 2]] as const) {
    if (segs.slice(0, depth).join('/') !== list || segs[depth] === undefined) continue;
    let item: unknown = env.config;
    for (const s of segs.slice(0, depth + 1)) item = Array.isArray(item) ? item[Number(s)] : isPlainObject(item) ? own(item, s) : undefined;
    if (isPlainObject(item) && item.enabled === false) return false;
  }
  return true;
}
