/**
 * The benchmark Job's wrapper (derive/benchmarks.ts WRAPPER_SCRIPT) under the real /bin/sh: it
 * keeps the benchmark's exit code, and stops a benchmark that outlives its budget (before the
 * Job's activeDeadlineSeconds would kill the recorder too), leaving exit code 124 and the marker
 * the recorder reads as timed_out. The wrapper itself always exits 0, so the recorder runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEADLINE_FILE, EXIT_CODE_FILE, WRAPPER_SCRIPT } from '../../scripts/lib/derive/benchmarks.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function wrap(budget: number, ...cmd: string[]): { status: number | null; code: string; deadline: boolean; ms: number } {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-wrapper-'));
  const t0 = Date.now();
  const r = spawnSync('/bin/sh', ['-c', WRAPPER_SCRIPT, 'benchmark', ...cmd], {
    env: { PATH: process.env.PATH, RESULTS_DIR: dir, BENCHMARK_TIMEOUT_SECONDS: String(budget) },
    timeout: 60_000,
  });
  return { status: r.status, code: readFileSync(join(dir, EXIT_CODE_FILE), 'utf8').trim(), deadline: existsSync(join(dir, DEADLINE_FILE)), ms: Date.now() - t0 };
}

describe('benchmark wrapper', () => {
  it('keeps a finished benchmark\'s exit code and exits 0', () => {
    expect(wrap(30, '/bin/sh', '-c', 'exit 3')).toMatchObject({ status: 0, code: '3', deadline: false });
    expect(wrap(30, 'true')).toMatchObject({ status: 0, code: '0', deadline: false });
    // A benchmark killed by a signal (the OOM killer) is a failure, not a timeout.
    expect(wrap(30, '/bin/sh', '-c', 'kill -KILL $$')).toMatchObject({ status: 0, code: '137', deadline: false });
  });

  it('stops a benchmark at its budget with code 124, and does not wait for the budget when it ends first', () => {
    const r = wrap(1, 'sleep', '20');
    expect(r).toMatchObject({ status: 0, code: '124', deadline: true });
    expect(r.ms).toBeLessThan(15_000);
    // Nothing of the timer outlives the wrapper (its sleep would hold the container's output open).
    expect(wrap(30, 'true').ms).toBeLessThan(10_000);
  });
});
