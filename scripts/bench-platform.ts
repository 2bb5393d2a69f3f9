/**
 * The whole-platform part of `npm run bench`: `check` with charts, cold (empty caches) and warm,
 * next to a plain `kubectl kustomize` of the same environments, as ratios.
 * Charts come from CATALYST_CHART_MIRROR when set (then the bundled project is checked);
 * otherwise from a mirror of the project's fixture charts (test/fixtures/charts), packaged with the
 * real helm, for a copy of the project whose lws, kagenti-operator and external-secrets point at them.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from './lib/commands/check.ts';
import { renderCommand } from './lib/commands/render.ts';
import { listEnvironments } from './lib/config/load.ts';
import { ROOT, projectPaths, type ProjectPaths } from './lib/paths.ts';
import { kustomizeBuild } from './lib/tools/kustomize.ts';
import { runHelm } from './lib/verify/platform/index.ts';

const quiet = { format: 'text' as const, kubeconform: false, out: () => {}, err: (s: string) => process.stderr.write(s) };
const FIXTURE_APPS: Record<string, [string, string]> = { lws: ['fx-leader', '0.1.0'], 'kagenti-operator': ['fx-shared', '0.2.0'], 'external-secrets': ['demo', '0.3.1'] };

/** A project copy pointing three helm components at the fixture charts, and a mirror of them. */
function fixturePlatform(dir: string): { paths: ProjectPaths; mirror: string } {
  const root = join(dir, 'project');
  for (const d of ['environments', 'apps', 'base', 'overlays', 'schemas']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  for (const [app, [chart, version]] of Object.entries(FIXTURE_APPS)) {
    const file = join(root, 'apps', `${app}.yaml`);
    const text = readFileSync(file, 'utf8').replace(/source:\n(?: {2}.*\n)+/, `source:\n  type: helm\n  repoURL: https://charts.fixture.example\n  chart: ${chart}\n  version: ${version}\n`);
    writeFileSync(file, text);
  }
  const paths = projectPaths(root);
  if (renderCommand({ paths, envs: undefined, ...quiet }) !== 0) throw new Error('render of the fixture platform failed');
  return { paths, mirror: join(dir, 'mirror') };
}

async function packageFixtures(mirror: string): Promise<void> {
  mkdirSync(mirror, { recursive: true });
  const charts = join(ROOT, 'test', 'fixtures', 'charts');
  for (const c of readdirSync(charts)) await runHelm(['package', join(charts, c), '--destination', mirror]);
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

export async function benchPlatform(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-platform-'));
  const saved = process.env.CATALYST_CACHE_DIR;
  try {
    let paths = projectPaths();
    let mirror = process.env.CATALYST_CHART_MIRROR;
    if (!mirror) {
      const f = fixturePlatform(dir);
      paths = f.paths;
      mirror = f.mirror;
      await packageFixtures(mirror);
    }
    const envs = listEnvironments(paths);
    const kustomize = await seconds(async () => {
      for (const env of envs) await kustomizeBuild(join(paths.generated, env));
    });
    process.env.CATALYST_CACHE_DIR = join(dir, 'cache');
    let hydrated = 0;
    let objects = 0;
    const check = async (): Promise<void> => {
      const r = await runCheck({ paths, envs: undefined, ...quiet, chartMirror: mirror });
      hydrated = r.apps.filter((a) => a.status === 'hydrated').length;
      objects = r.objects;
    };
    const cold = await seconds(check);
    const warm = await seconds(check);
    const source = process.env.CATALYST_CHART_MIRROR ? `mirror ${mirror}` : 'fixture-chart mirror';
    console.log(`whole platform (${envs.length} envs, ${source}): ${objects} objects, ${hydrated} Applications from charts/git`);
    console.log(`  kubectl kustomize of the same envs  ${kustomize.toFixed(2).padStart(7)} s  1.00x`);
    console.log(`  check, cold caches                  ${cold.toFixed(2).padStart(7)} s  ${(cold / kustomize).toFixed(2)}x`);
    console.log(`  check, warm caches                  ${warm.toFixed(2).padStart(7)} s  ${(warm / kustomize).toFixed(2)}x`);
  } finally {
    if (saved === undefined) delete process.env.CATALYST_CACHE_DIR;
    else process.env.CATALYST_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}
