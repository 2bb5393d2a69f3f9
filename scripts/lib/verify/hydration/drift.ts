/** Drift: the committed generated/<env>/ against what the config produces, file by file. */
import type { Finding } from '../../findings.ts';
import { firstLines, unifiedDiff } from '../../tools/unified-diff.ts';

/** Lines of the diff a stale finding shows (the rest is counted). */
const DIFF_LINES = 12;

/** Every stale, missing and extra file, each as a finding naming the file (a stale one: its first differing line and the first lines of the diff). */
export function driftFindings(env: string, rendered: Map<string, string>, onDisk: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  const file = (p: string): string => `generated/${env}/${p}`;
  for (const [path, text] of rendered) {
    const disk = onDisk.get(path);
    if (disk === undefined) {
      out.push({ file: file(path), line: 0, col: 0, path: '', message: 'missing: the config produces this file but it is not committed (run npm run render)' });
    } else if (disk !== text) {
      const line = firstDifferentLine(disk, text);
      // The committed file is "base", what the config produces is "head": the diff shows what render would write.
      const diff = firstLines(unifiedDiff(disk, text, { from: `committed ${file(path)}`, to: 'rendered from the config' }), DIFF_LINES);
      const shown = diff.split('\n').map((l) => `    ${l}`).join('\n');
      out.push({ file: file(path), line, col: 1, path: '', message: `stale: differs from what the config produces from line ${line} (run npm run render)\n${shown}` });
    }
  }
  for (const path of onDisk.keys()) {
    if (!rendered.has(path)) {
      out.push({ file: file(path), line: 0, col: 0, path: '', message: 'extra: the config no longer produces this file (run npm run render)' });
    }
  }
  return out;
}

export function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 1;
}
