/**
 * npm run bench, CEL part (with a chart mirror: BENCH_CHART_MIRROR or CATALYST_CHART_MIRROR): the
 * repo's own environments checked with every Application hydrated, results not reused, the chart
 * cache warmed first; per env the CEL rules evaluated (check's JSON `cel`), the CEL time, and the
 * whole check with CEL against the same check with CATALYST_CEL=0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/paths.ts';
import type { CelSummary } from './lib/verify/api-server/index.ts';

function check(mirror: string, cacheDir: string, cel: boolean): { wall: number; cel: CelSummary[] } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'catalyst.mjs'), 'check', '--chart-mirror', mirror, '--require-all', '--format', 'json'], {
    env: { ...process.env, CATALYST_ROOT: ROOT, CATALYST_CACHE_DIR: cacheDir, CATALYST_PROGRESS: '0', CATALYST_REUSE_RESULTS: '0', CATALYST_CEL: cel ? '1' : '0' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`check exited ${r.status ?? r.signal}: ${(r.stderr || String(r.error)).slice(-2000)}`);
  const doc = JSON.parse(r.stdout) as { cel?: CelSummary[] };
  return { wall, cel: doc.cel ?? [] };
}

export function benchCel(mirror: string): void {
  const caches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  try {
    check(mirror, caches, false);
    const withCel = check(mirror, caches, true);
    const without = check(mirror, caches, false);
    console.log(`cel: the repo's environments, every Application hydrated from ${mirror}, chart cache warm, results not reused`);
    for (const s of withCel.cel) {
      console.log(`  ${s.env.padEnd(10)} ${String(s.rules).padStart(5)} of ${s.inSchemas} rules evaluated ${s.evaluations} times on ${s.objects} objects, ${s.unevaluable} not evaluable, ${s.violations} violation(s); CEL ${s.ms} ms`);
    }
    const ratio = withCel.wall / without.wall;
    console.log(`  check with CEL ${withCel.wall.toFixed(2)} s, without ${without.wall.toFixed(2)} s: ${ratio.toFixed(2)}x`);
  } finally {
    rmSync(caches, { recursive: true, force: true });
  }
}
