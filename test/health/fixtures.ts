/** Health-check scripts in base/argocd-health and their fixtures in test/fixtures/health/<script>/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HEALTH_CODES, type HealthCode } from './argo-lua-vm.ts';

export const SCRIPT_DIR = 'base/argocd-health';
export const FIXTURE_DIR = 'test/fixtures/health';

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
  return readdirSync(SCRIPT_DIR).filter((f) => f.endsWith('.lua')).map((f) => f.slice(0, -4)).sort();
}

export function readScript(script: string): string {
  return readFileSync(join(SCRIPT_DIR, `${script}.lua`), 'utf8');
}

export function fixturesFor(script: string): HealthFixture[] {
  const dir = join(FIXTURE_DIR, script);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const file = join(dir, f);
    const doc = parse(readFileSync(file, 'utf8')) as Partial<HealthFixture> | null;
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
