/**
 * The projects `npm run bench` times, each a temp copy (the repo's generated/ and caches are
 * never touched):
 * - platform: the bundled environments, with lws pointed at a fixture chart of the project
 *   (test/fixtures/charts/fx-clean), packaged with the real helm into a chart mirror, so
 *   `check` hydrates a helm Application in every env too;
 * - fleet: N environments derived from prod (name, project, domain changed; an Argo CD each).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ROOT } from './lib/paths.ts';
import { runHelm } from './lib/tools/helm.ts';

const TOOL_DIRS = ['apps', 'base', 'overlays', 'schemas'];
/** A fixture chart that passes every rule (the others exist to break rules; a clean check is what gets reused). */
const FIXTURE_APPS: Record<string, [string, string]> = { lws: ['fx-clean', '0.1.0'] };

export interface BenchProject {
  root: string;
  mirror?: string;
  cleanup(): void;
}

function copyTools(root: string): void {
  for (const d of TOOL_DIRS) cpSync(join(ROOT, d), join(root, d), { recursive: true });
}

export async function platformProject(): Promise<BenchProject> {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-bench-platform-'));
  copyTools(root);
  cpSync(join(ROOT, 'environments'), join(root, 'environments'), { recursive: true });
  for (const [app, [chart, version]] of Object.entries(FIXTURE_APPS)) {
    const file = join(root, 'apps', app, 'app.yaml');
    const text = readFileSync(file, 'utf8').replace(/source:\n(?: {2}.*\n)+/, `source:\n  type: helm\n  repoURL: https://charts.fixture.example\n  chart: ${chart}\n  version: ${version}\n`);
    writeFileSync(file, text);
  }
  const mirror = join(root, '.mirror');
  mkdirSync(mirror);
  const charts = join(ROOT, 'test', 'fixtures', 'charts');
  for (const [chart] of Object.values(FIXTURE_APPS)) await runHelm(['package', join(charts, chart), '--destination', mirror]);
  return { root, mirror, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function fleetProject(size: number): BenchProject {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-bench-fleet-'));
  copyTools(root);
  mkdirSync(join(root, 'environments'));
  for (const f of readdirSync(join(ROOT, 'environments'))) {
    if (f.startsWith('_')) cpSync(join(ROOT, 'environments', f), join(root, 'environments', f));
  }
  const prod = readFileSync(join(ROOT, 'environments/prod.yaml'), 'utf8');
  for (let i = 1; i <= size; i++) {
    const name = `prod-${String(i).padStart(2, '0')}`;
    const doc = parseDocument(prod);
    doc.set('name', name);
    doc.setIn(['argocd', 'project'], `catalyst-${name}`);
    doc.setIn(['cluster', 'domain'], `${name}.catalyst.example.com`);
    // Each copy gets an Argo CD of its own: sharing prod's would clash on its key prefix and server.
    doc.deleteIn(['argocd', 'instance']);
    doc.deleteIn(['argocd', 'manager']);
    writeFileSync(join(root, 'environments', `${name}.yaml`), doc.toString());
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
