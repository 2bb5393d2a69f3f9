/**
 * Lookups by a name that comes from the user's files: only the object's own keys count, so
 * `constructor`, `__proto__`, `toString` and the other names every object inherits are never
 * found by accident (`{}['constructor']` is a function, `'toString' in {}` is true).
 */
export function own<T>(rec: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  return rec != null && Object.hasOwn(rec, key) ? rec[key] : undefined;
}
