/**
 * npm run bench: the commands timed as a user runs them (the CLI from the compiled dist/, a
 * child process each), next to plain `kubectl kustomize` of the same environments measured in
 * the same run. Every figure is wall seconds and CPU seconds (the command and its children:
 * kustomize, helm). Caches start empty in a temp CATALYST_CACHE_DIR, so "cold" is really cold.
 * - platform: the bundled envs, lws from a fixture chart (bench-projects.ts);
 * - fleet: BENCH_FLEET environments derived from prod (default 50; 0 skips it; BENCH_ONLY=fleet
 *   runs only the fleet, BENCH_ONLY=cel only the CEL part);
 * - cel: with BENCH_CHART_MIRROR (or CATALYST_CHART_MIRROR), the CEL rules per env and check with
 *   vs without CEL (bench-cel.ts).
 * Speed goals live here, never in a timed unit test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { fleetProject, platformProject, type BenchProject } from './bench-projects.ts';
import { cli, timed, type Timing } from './bench-run.ts';
import { benchWholePlatform } from './bench-platform.ts';
import { chartMirror } from './lib/commands/platform-options.ts';
import { benchCel } from './bench-cel.ts';
import { listEnvironments } from './lib/config/load.ts';
import { ROOT, projectPaths } from './lib/paths.ts';
import { findKustomize } from './lib/tools/kustomize.ts';

const FLEET = Number(process.env.BENCH_FLEET ?? 50);

interface Row {
  label: string;
  t: Timing;
  /** The kustomize time this row is compared with. */
  base?: Timing;
  /** `ratio` to kustomize (wall) or `seconds` (wall), and its limit. */
  target?: { kind: 'ratio' | 'seconds'; max: number };
}

function print(rows: Row[]): void {
  for (const r of rows) {
    const ratio = r.base ? `${(r.t.wall / r.base.wall).toFixed(2)}x` : '';
    let verdict = '';
    if (r.target) {
      const v = r.target.kind === 'ratio' ? r.t.wall / r.base!.wall : r.t.wall;
      const limit = r.target.kind === 'ratio' ? `<= ${r.target.max}x` : `<= ${r.target.max} s`;
      verdict = `target ${limit}: ${v <= r.target.max ? 'met' : 'MISSED'}`;
    }
    console.log(`  ${r.label.padEnd(44)} ${r.t.wall.toFixed(2).padStart(7)} s wall ${r.t.cpu.toFixed(2).padStart(7)} s cpu ${ratio.padStart(7)}  ${verdict}`);
  }
}

async function kustomizeAll(root: string): Promise<Timing> {
  const k = await findKustomize();
  const sum: Timing = { wall: 0, cpu: 0 };
  for (const env of listEnvironments(projectPaths(root))) {
    const t = timed(k.cmd, [...k.args, join(root, 'generated', env)]);
    sum.wall += t.wall;
    sum.cpu += t.cpu;
  }
  return sum;
}

/** A routine change: dev gets another domain (most of its objects change). */
function editOneEnv(root: string): void {
  const file = join(root, 'environments', 'dev.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['cluster', 'domain'], 'dev-bench.catalyst.example.com');
  writeFileSync(file, doc.toString());
}

async function benchPlatform(p: BenchProject): Promise<void> {
  const caches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  const checkCaches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  try {
    const mirror = ['--chart-mirror', p.mirror!];
    const renderCold = cli(['render'], p.root, caches);
    const renderWarm = cli(['render'], p.root, caches);
    const kustomize = await kustomizeAll(p.root);
    const checkCold = cli(['check', ...mirror], p.root, checkCaches);
    const checkWarm = cli(['check', ...mirror], p.root, checkCaches);
    editOneEnv(p.root);
    const renderOne = cli(['render'], p.root, checkCaches);
    const checkOne = cli(['check', ...mirror], p.root, checkCaches);
    const n = listEnvironments(projectPaths(p.root)).length;
    console.log(`platform: ${n} bundled envs, lws from a fixture chart (helm), the other charts not cached, local Applications with kustomize`);
    print([
      { label: `kubectl kustomize of the ${n} envs, one by one`, t: kustomize, base: kustomize },
      { label: 'render, empty caches, no generated/', t: renderCold },
      { label: 'render, nothing changed', t: renderWarm, target: { kind: 'seconds', max: 1 } },
      { label: 'render after one env changed (its domain)', t: renderOne, target: { kind: 'seconds', max: 1 } },
      { label: 'check, empty caches', t: checkCold, base: kustomize },
      { label: 'check, nothing changed', t: checkWarm, base: kustomize, target: { kind: 'ratio', max: 1.5 } },
      { label: 'check after one env changed (its domain)', t: checkOne, base: kustomize, target: { kind: 'ratio', max: 1.5 } },
    ]);
  } finally {
    rmSync(caches, { recursive: true, force: true });
    rmSync(checkCaches, { recursive: true, force: true });
  }
}

async function benchFleet(size: number): Promise<void> {
  const f = fleetProject(size);
  const caches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  const checkCaches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  try {
    const renderCold = cli(['render'], f.root, caches);
    const renderWarm = cli(['render'], f.root, caches);
    const kustomize = await kustomizeAll(f.root);
    const checkCold = cli(['check'], f.root, checkCaches);
    const checkWarm = cli(['check'], f.root, checkCaches);
    console.log(`fleet: ${size} envs derived from prod (charts not cached: local Applications only)`);
    print([
      { label: `kubectl kustomize of the ${size} envs, one by one`, t: kustomize, base: kustomize },
      { label: 'render, empty caches, no generated/', t: renderCold },
      { label: 'render, nothing changed', t: renderWarm },
      { label: 'check, empty caches', t: checkCold, base: kustomize, target: { kind: 'seconds', max: 15 } },
      { label: 'check, nothing changed', t: checkWarm, base: kustomize, target: { kind: 'seconds', max: 3 } },
    ]);
  } finally {
    f.cleanup();
    rmSync(caches, { recursive: true, force: true });
    rmSync(checkCaches, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  timed('npm', ['run', '-s', 'build'], { npm_config_loglevel: 'error' });
  const k = await findKustomize();
  console.log(`node ${process.version}, ${availableParallelism()} cores, ${k.version} (${k.source}); CLI from ${join(ROOT, 'dist')}`);
  const only = process.env.BENCH_ONLY;
  if (!only) {
    const p = await platformProject();
    try {
      await benchPlatform(p);
    } finally {
      p.cleanup();
    }
  }
  if (!only || only === 'whole') await benchWhole();
  if (FLEET > 0 && (!only || only === 'fleet')) await benchFleet(FLEET);
  if (only && only !== 'cel') return;
  // BENCH_CHART_MIRROR, else the mirror check itself would read (flag-less: CATALYST_CHART_MIRROR, then the project's).
  const mirror = process.env.BENCH_CHART_MIRROR || chartMirror({ paths: projectPaths(ROOT), fetch: false })?.dir;
  if (mirror) benchCel(mirror);
  else console.log('cel: skipped (give BENCH_CHART_MIRROR=DIR to measure the CEL rules of every hydrated CRD)');
}

/** The bundled envs with every chart from the project's mirror, against helm template + kustomize doing the same. */
async function benchWhole(): Promise<void> {
  const f = await benchWholePlatform(editOneEnv);
  if (!f) {
    console.log('whole platform: skipped (no chart mirror: package.json catalyst.chartMirror does not exist here)');
    return;
  }
  console.log(`whole platform: the bundled envs, ${f.apps} Applications, every chart from the project's mirror; raw = helm template of each chart app + kubectl kustomize per env, one after another`);
  print([
    { label: 'raw tools, every env', t: f.raw, base: f.raw },
    { label: 'check --require-all, empty caches', t: f.cold, base: f.raw, target: { kind: 'ratio', max: 1.3 } },
    { label: 'check, nothing changed', t: f.unchanged, target: { kind: 'seconds', max: 0.5 } },
    { label: 'raw tools, dev only', t: f.rawOne, base: f.rawOne },
    { label: 'check after dev changed (its domain)', t: f.one, base: f.rawOne, target: { kind: 'ratio', max: 1.5 } },
  ]);
  console.log(`  peak memory of the cold check: ${f.peakMiB === undefined ? 'not measured (no /usr/bin/time)' : `${f.peakMiB.toFixed(0)} MiB (largest process, GNU time %M)`}`);
}

await main();
