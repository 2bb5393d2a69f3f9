/**
 * The whole-platform part of `npm run bench`: `check` of the bundled environments with every
 * Application hydrated from the project's chart mirror (package.json catalyst.chartMirror), next
 * to the raw tools doing the same hydration in the same run, one app after another: plain
 * `helm template` of each chart Application with the same values (from the chart archive in the
 * mirror) and one `kubectl kustomize` per env for the local Applications. Memory is the peak RSS
 * of the check process tree's largest process (GNU time's %M), when /usr/bin/time exists.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { timed, type Timing } from './bench-run.ts';
import { projectMirror } from './lib/commands/platform-options.ts';
import type { K8sObject } from './lib/findings.ts';
import { listEnvironments } from './lib/config/load.ts';
import { ROOT, projectPaths } from './lib/paths.ts';
import { findKustomize } from './lib/tools/kustomize.ts';
import { mirrorChartPath, readAppSource } from './lib/verify/hydration/index.ts';
import { findHelm } from './lib/tools/helm.ts';

const TIME = '/usr/bin/time';

export interface PlatformFigures {
  raw: Timing;
  rawOne: Timing;
  cold: Timing;
  one: Timing;
  unchanged: Timing;
  /** Peak RSS in MiB of the cold check, when measurable. */
  peakMiB?: number;
  apps: number;
}

/** A temp copy of the project (its own generated/, lock and package.json: the mirror resolves from ROOT's). */
function copyProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-bench-whole-'));
  for (const d of ['apps', 'base', 'overlays', 'schemas', 'environments', 'generated']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  cpSync(join(ROOT, 'charts.lock.yaml'), join(root, 'charts.lock.yaml'));
  return root;
}

/** helm template of every chart Application of one env, and kustomize of its local ones: the raw tools' share of check. */
async function rawEnv(root: string, env: string, mirror: string): Promise<{ t: Timing; apps: number }> {
  const helm = await findHelm();
  const k = await findKustomize();
  const sum: Timing = { wall: 0, cpu: 0 };
  const add = (t: Timing): void => {
    sum.wall += t.wall;
    sum.cpu += t.cpu;
  };
  let apps = 0;
  const dir = join(root, 'generated', env, 'apps');
  const work = mkdtempSync(join(tmpdir(), 'catalyst-bench-values-'));
  try {
    for (const f of readdirSync(dir).sort()) {
      for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
        const app = d.toJS() as K8sObject;
        if (app?.kind !== 'Application') continue;
        apps++;
        const src = readAppSource(app);
        if (src.kind !== 'helm') continue;
        const values = join(work, `${app.metadata.name}.yaml`);
        writeFileSync(values, src.helm.valuesYaml);
        add(timed(helm.cmd, ['template', src.helm.releaseName, mirrorChartPath(mirror, src.chart, src.version), '-n', src.helm.namespace, '--include-crds', '-f', values]));
      }
    }
    add(timed(k.cmd, [...k.args, join(root, 'generated', env)]));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { t: sum, apps };
}

function check(root: string, caches: string, env: NodeJS.ProcessEnv = {}): { t: Timing; peakMiB?: number } {
  const args = [join(ROOT, 'bin', 'catalyst.mjs'), 'check', '--require-all'];
  const vars = { CATALYST_ROOT: root, CATALYST_CACHE_DIR: caches, CATALYST_PROGRESS: '0', ...env };
  if (!existsSync(TIME)) return { t: timed(process.execPath, args, vars) };
  const out = join(caches, '..', `time-${process.pid}.txt`);
  const t = timed(TIME, ['-f', '%M', '-o', out, process.execPath, ...args], vars);
  const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  rmSync(out, { force: true });
  return { t, peakMiB: Number.isFinite(kb) ? kb / 1024 : undefined };
}

/** undefined when the project has no chart mirror here. */
export async function benchWholePlatform(editOneEnv: (root: string) => void): Promise<PlatformFigures | undefined> {
  const mirror = projectMirror(ROOT);
  if (!mirror || !existsSync(mirror)) return undefined;
  const root = copyProject();
  const caches = mkdtempSync(join(tmpdir(), 'catalyst-bench-cache-'));
  mkdirSync(join(caches, 'c'));
  const cacheDir = join(caches, 'c');
  try {
    const vars = { CATALYST_CHART_MIRROR: mirror };
    const envs = listEnvironments(projectPaths(root));
    const raw: Timing = { wall: 0, cpu: 0 };
    let apps = 0;
    for (const env of envs) {
      const r = await rawEnv(root, env, mirror);
      raw.wall += r.t.wall;
      raw.cpu += r.t.cpu;
      apps += r.apps;
    }
    const cold = check(root, cacheDir, vars);
    const unchanged = check(root, cacheDir, vars);
    editOneEnv(root);
    timed(process.execPath, [join(ROOT, 'bin', 'catalyst.mjs'), 'render'], { CATALYST_ROOT: root, CATALYST_CACHE_DIR: cacheDir, CATALYST_PROGRESS: '0' });
    const rawOne = (await rawEnv(root, 'dev', mirror)).t;
    const one = check(root, cacheDir, vars);
    return { raw, rawOne, cold: cold.t, one: one.t, unchanged: unchanged.t, peakMiB: cold.peakMiB, apps };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(caches, { recursive: true, force: true });
  }
}
