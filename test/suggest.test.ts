/** "Did you mean": the bounded edit distance and the pruned search give the same answers as the plain ones. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../scripts/lib/suggest.ts';

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', '-', '_', 'A'), maxLength: 9 });

/** The search without pruning: every candidate's full distance. */
function plainNearest(name: string, candidates: string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(norm(name), norm(c));
    if (d <= limit && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

describe('suggest', () => {
  it('a bounded distance is exact up to the bound and above it otherwise', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, bound) => {
        const full = editDistance(a, b);
        const cut = editDistance(a, b, bound);
        expect(full <= bound ? cut === full : cut > bound).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('nearest picks what the plain search picks', () => {
    fc.assert(fc.property(word, fc.array(word, { maxLength: 8 }), (name, cands) => nearest(name, cands) === plainNearest(name, cands)), { numRuns: 2000 });
  });

  it('knows a swap and a typo, and stays quiet when nothing is near', () => {
    expect(nearest('replcias', ['replicas', 'resources'])).toBe('replicas');
    expect(nearest('storage', ['replicas', 'resources'])).toBeUndefined();
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});
