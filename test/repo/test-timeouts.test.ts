/**
 * No test fails from a time limit when the machine is loaded: vitest's limits only catch hangs
 * (far above any real run), no test sets a smaller one, and no test asserts on wall-clock time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('time limits of the suite', () => {
  it('vitest waits at least 10 minutes before calling a test or hook hung', () => {
    const cfg = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');
    for (const key of ['testTimeout', 'hookTimeout']) {
      const m = new RegExp(`${key}: ([\\d_]+)`).exec(cfg);
      expect(m, key).not.toBeNull();
      expect(Number(m![1]!.replace(/_/g, '')), key).toBeGreaterThanOrEqual(600_000);
    }
  });

  it('finds a measured duration asserted on (sanity: a planted example)', () => {
    expect(elapsedAssertions('const t0 = performance.now();\nconst ms = performance.now() - t0;\nexpect(ms).toBeLessThan(1000);\n')).toEqual([3]);
    expect(elapsedAssertions('const took = Date.now() - start;\nexpect(took).toBeGreaterThan(0);\n')).toEqual([]);
  });

  it('no test file sets its own smaller time limit or asserts on elapsed time', () => {
    const offenders: string[] = [];
    for (const f of testFiles(join(ROOT, 'test'))) {
      if (f.endsWith('test-timeouts.test.ts')) continue;
      const text = readFileSync(f, 'utf8');
      for (const line of elapsedAssertions(text)) offenders.push(`${relative(ROOT, f)}:${line} elapsed-time assertion`);
      text
        .split('\n')
        .forEach((line, i) => {
          const at = `${relative(ROOT, f)}:${i + 1}`;
          const limit = /\{\s*(?:test)?[tT]imeout:\s*([\d_]+)\s*\}|\},\s*([\d_]{4,})\);/.exec(line);
          if (limit && Number((limit[1] ?? limit[2])!.replace(/_/g, '')) < 600_000) offenders.push(`${at} time limit: ${line.trim()}`);
          if (/Date\.now\(\)\s*-\s*\w+\)\.toBeLessThan/.test(line)) offenders.push(`${at} wall-clock assertion: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});

/** Lines (1-based) that bound a duration measured in the file: `x = performance.now() - t0` (or Date.now()) then `expect(x).toBeLessThan…`. */
function elapsedAssertions(text: string): number[] {
  const measured = new Set([...text.matchAll(/\b(\w+)\s*=\s*(?:performance|Date)\.now\(\)\s*-/g)].map((m) => m[1]!));
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /expect\((\w+)\)\.toBeLessThan/.exec(line);
    if (m && measured.has(m[1]!)) out.push(i + 1);
  });
  return out;
}
