/** "Did you mean …?": the nearest known name by edit distance, when it is near enough. */

/**
 * Edit distance with insert, delete, substitute and swap of two neighbours (optimal string
 * alignment). With a `bound`, a distance above it is only known to be above it: the work stops
 * (returning `bound + 1`) once a whole row exceeds it, as row minima never decrease.
 */
export function editDistance(a: string, b: string, bound = Infinity): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    let rowMin = d[i]![0]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return bound + 1;
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate within a distance of a third of the name's length (at least 1, at most 3),
 * comparing case-insensitively and ignoring `-`/`_`; undefined when none is that close. The first
 * of equally close candidates wins.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const target = norm(name);
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    if (c === name) continue;
    // Only a distance under the best so far can win: anything above that bound is cut short.
    const bound = best ? best.d - 1 : limit;
    const d = editDistance(target, norm(c), bound);
    if (d <= bound) best = { c, d };
  }
  return best?.c;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = nearest(name, candidates);
  return n === undefined ? '' : ` (did you mean "${n}"?)`;
}
