/**
 * Which parts of an environment a semantic rule reads, so the rules can run on a config with
 * schema errors: a rule is skipped when it read a part the schema rejected (or inside one, or
 * enumerated a part that holds one); every other rule's findings stand. Reads are recorded
 * through a proxy over the config and a components map that records `get` and iteration.
 */
import { escapePointer } from './yaml-source.ts';

export interface ReadLog {
  /** Pointers read (a property get). */
  reads: Set<string>;
  /** Pointers enumerated as a whole (keys listed, iterated, or serialized). */
  wholes: Set<string>;
  on: boolean;
}

export function readLog(): ReadLog {
  return { reads: new Set(), wholes: new Set(), on: false };
}

/** A read-recording view of a JSON value at `pointer`. */
export function tracked<T>(value: T, pointer: string, log: ReadLog): T {
  if (typeof value !== 'object' || value === null) return value;
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string') {
        if (key === Symbol.iterator && log.on) log.wholes.add(pointer);
        return v;
      }
      if (Array.isArray(target) && (key === 'length' || typeof v === 'function')) {
        if (log.on && key !== 'length') log.wholes.add(pointer);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(receiver) : v;
      }
      const child = `${pointer}/${escapePointer(key)}`;
      if (log.on) log.reads.add(child);
      if (typeof v !== 'object' || v === null) return v;
      if (!cache.has(key)) cache.set(key, tracked(v, child, log));
      return cache.get(key);
    },
    ownKeys(target) {
      if (log.on) log.wholes.add(pointer);
      return Reflect.ownKeys(target);
    },
    has(target, key) {
      if (log.on && typeof key === 'string') log.reads.add(`${pointer}/${escapePointer(key)}`);
      return Reflect.has(target, key);
    },
  }) as T;
}

/** A Map whose `get`/`has` record `<pointer>/<key>` and whose iteration records `<pointer>` whole. */
export class TrackedMap<V> extends Map<string, V> {
  constructor(
    entries: Iterable<[string, V]>,
    private readonly pointer: string,
    private readonly log: ReadLog,
  ) {
    super(entries);
  }
  override get(key: string): V | undefined {
    if (this.log?.on) this.log.reads.add(`${this.pointer}/${escapePointer(key)}`);
    return super.get(key);
  }
  override has(key: string): boolean {
    if (this.log?.on) this.log.reads.add(`${this.pointer}/${escapePointer(key)}`);
    return super.has(key);
  }
  override values(): MapIterator<V> {
    if (this.log?.on) this.log.wholes.add(this.pointer);
    return super.values();
  }
  override entries(): MapIterator<[string, V]> {
    if (this.log?.on) this.log.wholes.add(this.pointer);
    return super.entries();
  }
  override keys(): MapIterator<string> {
    if (this.log?.on) this.log.wholes.add(this.pointer);
    return super.keys();
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
  override forEach(fn: (v: V, k: string, m: Map<string, V>) => void, thisArg?: unknown): void {
    if (this.log?.on) this.log.wholes.add(this.pointer);
    super.forEach(fn, thisArg);
  }
}

/** Did the recorded reads touch a broken pointer (read it, read inside it, or enumerated a parent of it)? */
export function touches(log: ReadLog, broken: string[]): boolean {
  const within = (p: string, parent: string): boolean => p === parent || p.startsWith(`${parent}/`) || parent === '';
  for (const b of broken) {
    for (const r of log.reads) if (within(r, b)) return true;
    for (const w of log.wholes) if (within(b, w) || within(w, b)) return true;
  }
  return false;
}

/** The pointer a schema finding is about: its path, plus the key a "missing required key" names. */
export function brokenPointer(path: string, message: string): string {
  const p = path === '/' ? '' : path;
  const m = /is missing required key "([^"]+)"/.exec(message);
  return m ? `${p}/${escapePointer(m[1]!)}` : p;
}
