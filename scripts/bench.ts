/**
 * npm run bench: time `check` on the bundled environments and on a synthetic fleet of 50
 * environments derived from prod; print objects validated per second and peak memory.
 * Then the whole platform with charts, cold and warm, next to plain `kubectl kustomize`
 * (bench-platform.ts). BENCH_FLEET=0 skips the fleet. Speed goals live here, never in a timed unit test.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { runCheck } from './lib/commands/check.ts';
import { isWarning } from './lib/findings.ts';
import { renderCommand } from './lib/commands/render.ts';
import { ROOT, projectPaths, type ProjectPaths } from './lib/paths.ts';
import { benchPlatform } from './bench-platform.ts';

const FLEET = Number(process.env.BENCH_FLEET ?? 50);
const quiet = { format: 'text' as const, kubeconform: false, out: () => {}, err: (s: string) => process.stderr.write(s) };

function fleetProject(size: number): { paths: ProjectPaths; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
  for (const d of ['environments', 'apps', 'base', 'overlays', 'schemas']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  const prod = readFileSync(join(ROOT, 'environments/prod.yaml'), 'utf8');
  for (const f of ['dev', 'staging', 'prod']) rmSync(join(root, 'environments', `${f}.yaml`));
  for (let i = 1; i <= size; i++) {
    const name = `prod-${String(i).padStart(2, '0')}`;
    const text = prod
      .replace(/^name: prod$/m, `name: ${name}`)
      .replace(/^ {2}project: catalyst-prod$/m, `  project: catalyst-${name}`)
      .replace(/^ {2}domain: catalyst\.example\.com$/m, `  domain: ${name}.catalyst.example.com`);
    // Each copy gets an Argo CD of its own: sharing prod's would clash on its key prefix and server.
    const doc = parseDocument(text);
    doc.deleteIn(['argocd', 'instance']);
    doc.deleteIn(['argocd', 'manager']);
    writeFileSync(join(root, 'environments', `${name}.yaml`), doc.toString());
  }
  return { paths: projectPaths(root), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

async function timeCheck(label: string, paths: ProjectPaths): Promise<void> {
  const started = performance.now();
  const r = await runCheck({ paths, envs: undefined, ...quiet });
  const secs = (performance.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  const errors = r.findings.filter((f) => !isWarning(f)).length;
  const status = `${errors ? `${errors} FINDINGS` : 'clean'}${errors < r.findings.length ? ` (${r.findings.length - errors} warnings)` : ''}`;
  console.log(
    `${label.padEnd(24)} ${String(r.envs.length).padStart(3)} envs ${String(r.objects).padStart(6)} objects ` +
      `${secs.toFixed(2).padStart(7)} s ${Math.round(r.objects / secs).toString().padStart(6)} objects/s ` +
      `peak RSS ${peak.toFixed(0)} MiB  ${status}`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${availableParallelism()} cores`);
  await timeCheck('bundled (dev/staging/prod)', projectPaths());
  await benchPlatform();
  if (FLEET <= 0) return;
  const fleet = fleetProject(FLEET);
  try {
    if (renderCommand({ paths: fleet.paths, envs: undefined, ...quiet }) !== 0) throw new Error('fleet render failed');
    await timeCheck(`synthetic fleet of ${FLEET}`, fleet.paths);
  } finally {
    fleet.cleanup();
  }
}

await main();
