/**
 * Health-check scripts and their fixtures: each component's in its folder
 * (apps/<name>/health/<script>.lua, fixtures in apps/<name>/health/<script>/), Argo CD's own in
 * base/argocd-health/ with its fixtures in test/fixtures/health/<script>/.
 */
import { toolPaths } from '../helpers/project.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { HEALTH_CODES, type HealthCode } from './argo-lua-vm.ts';
import { HEALTH_DIR, healthScriptFiles } from '../../scripts/lib/render/argocd.ts';
import { ROOT } from '../../scripts/lib/paths.ts';

export const FIXTURE_DIR = 'test/fixtures/health';

/** Script name -> its file, relative to the root. */
const scriptFiles = (): Map<string, string> => new Map(healthScriptFiles(toolPaths()).map((f) => [f.slice(f.lastIndexOf('/') + 1, -4), f]));

/** Where the fixtures of a script are (relative to the root). */
export function fixtureDir(script: string): string {
  const file = scriptFiles().get(script);
  if (!file) throw new Error(`no health script ${script}`);
  return dirname(file) === HEALTH_DIR ? `${FIXTURE_DIR}/${script}` : `${dirname(file)}/${script}`;
}

export interface HealthFixture {
  script: string;
  name: string;
  file: string;
  /** The upstream value (reason, phase, status) this case exists for, if any. */
  covers?: string;
  expect: { status: HealthCode; message: string };
  object: Record<string, unknown>;
}

/** Script names (`<group>_<Kind>`, without `.lua`), sorted. */
export function healthScripts(): string[] {
  return [...scriptFiles().keys()].sort();
}

export function readScript(script: string): string {
  return readFileSync(join(ROOT, scriptFiles().get(script)!), 'utf8');
}

export function fixturesFor(script: string): HealthFixture[] {
  const dir = join(ROOT, fixtureDir(script));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const file = `${fixtureDir(script)}/${f}`;
    const doc = parse(readFileSync(join(dir, f), 'utf8')) as Partial<HealthFixture> | null;
    const status = doc?.expect?.status;
    if (!doc || !doc.object || !status || !(HEALTH_CODES as readonly string[]).includes(status) || typeof doc.expect?.message !== 'string') {
      throw new Error(`${file}: needs object, expect.status (one of ${HEALTH_CODES.join(', ')}) and expect.message`);
    }
    return { script, name: f.slice(0, -5), file, covers: doc.covers, expect: doc.expect!, object: doc.object };
  });
}

/** Whether `value` occurs in `tree` as a string value or a map key. */
export function occursIn(tree: unknown, value: string): boolean {
  if (typeof tree === 'string') return tree === value;
  if (Array.isArray(tree)) return tree.some((item) => occursIn(item, value));
  if (tree && typeof tree === 'object') {
    return Object.entries(tree).some(([k, item]) => k === value || occursIn(item, value));
  }
  return false;
}
