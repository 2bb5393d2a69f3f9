/**
 * Finding the file, line and column that set a value of the merged environment.
 *
 * A pointer into the merged document is not always the same pointer in each file of the extends
 * chain: lists of named items merge by key (merge.ts KEYED_LISTS), so merged `/models/2` may be
 * `/models/0` of the env file (an override of one model) and `/models/2` of _base.yaml. The merge
 * of each keyed list is replayed over the chain to map every merged item to the item of each file
 * that contributed to it.
 */
import type { LoadedEnv } from './load.ts';
import { isPlainObject, itemKey, KEYED_LISTS, keyedTargets } from './merge.ts';
import { escapePointer, pointerSegments, positionOf } from './yaml-source.ts';

/** For each item of the merged list: source index (0 = env file) -> index of the item in that file. */
type Origins = Map<number, number>[];

const cache = new WeakMap<LoadedEnv, Map<string, Origins>>();

/** What a file says at a pointer: nothing, a reset (null or a non-list on the way), or a list. */
function listIn(data: unknown, segs: string[]): { kind: 'absent' } | { kind: 'reset' } | { kind: 'list'; items: unknown[] } {
  let cur: unknown = data;
  for (const s of segs) {
    if (!isPlainObject(cur)) return { kind: 'reset' };
    if (!Object.hasOwn(cur, s)) return { kind: 'absent' };
    cur = cur[s];
  }
  return Array.isArray(cur) ? { kind: 'list', items: cur } : { kind: 'reset' };
}

/** Replays the keyed merge of the list at `listPtr` from the farthest file to the env file. */
function originsOf(loaded: LoadedEnv, listPtr: string, key: string): Origins {
  let per = cache.get(loaded);
  if (!per) cache.set(loaded, (per = new Map()));
  const hit = per.get(listPtr);
  if (hit) return hit;
  const segs = pointerSegments(listPtr);
  let items: { key?: string; from: Map<number, number> }[] | undefined;
  for (let s = loaded.sources.length - 1; s >= 0; s--) {
    const found = listIn(loaded.sources[s]!.data, segs);
    if (found.kind === 'absent') continue;
    if (found.kind === 'reset') {
      items = undefined;
      continue;
    }
    const keys = found.items.map((x) => itemKey(x, key));
    if (!items) {
      items = keys.map((k, j) => ({ key: k, from: new Map([[s, j]]) }));
      continue;
    }
    const targets = keyedTargets(
      items.map((i) => i.key),
      keys,
    );
    for (const [j, t] of targets.entries()) {
      if (t < items.length) items[t]!.from.set(s, j);
      else items.push({ key: keys[j], from: new Map([[s, j]]) });
    }
  }
  const origins = (items ?? []).map((i) => i.from);
  per.set(listPtr, origins);
  return origins;
}

/**
 * The pointer in source `s` (0 = the env file) of merged `pointer`, or undefined when that file
 * does not set the item the pointer falls in.
 */
export function pointerIn(loaded: LoadedEnv, s: number, pointer: string): string | undefined {
  for (const [listPtr, key] of Object.entries(KEYED_LISTS)) {
    if (!pointer.startsWith(`${listPtr}/`)) continue;
    const [idx, ...rest] = pointerSegments(pointer.slice(listPtr.length));
    const j = originsOf(loaded, listPtr, key)[Number(idx)]?.get(s);
    if (j === undefined) return undefined;
    return `${listPtr}/${j}${rest.map((r) => `/${escapePointer(r)}`).join('')}`;
  }
  return pointer;
}

/**
 * Position of merged `pointer` in the nearest file of the chain that sets it (`found`), else
 * of its nearest existing parent: in the env file when it has the item, else in the first file
 * that has it.
 */
export function locateInChain(loaded: LoadedEnv, pointer: string, key: boolean): { file: string; line: number; col: number; found: boolean } {
  for (const [s, src] of loaded.sources.entries()) {
    const own = pointerIn(loaded, s, pointer);
    if (own === undefined) continue;
    const p = positionOf(src, own, key);
    if (p.found) return { file: src.file, line: p.line, col: p.col, found: true };
  }
  for (const [s, src] of loaded.sources.entries()) {
    const own = pointerIn(loaded, s, pointer);
    if (own === undefined) continue;
    const p = positionOf(src, own, key);
    return { file: src.file, line: p.line, col: p.col, found: false };
  }
  const first = loaded.sources[0]!;
  const p = positionOf(first, pointer, key);
  return { file: first.file, line: p.line, col: p.col, found: false };
}
