/**
 * JSON that reads back as exactly the same value, or undefined: numbers that JSON cannot hold
 * (infinities, NaN, -0) would come back changed. Every cache that keeps data as JSON writes
 * only exact values and recomputes the others.
 */
export function exactJson(value: unknown): string | undefined {
  let exact = true;
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) exact = false;
    return v;
  });
  return exact ? json : undefined;
}
