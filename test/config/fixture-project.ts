/**
 * A temp project whose environments/ holds the config fixtures (test/fixtures/config/envs: a
 * _base.yaml with models, agents and runs, and two envs lab and lab2 that extend it), so config
 * tests never depend on the bundled environments.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

export const FIXTURE_ENVS = join(ROOT, 'test/fixtures/config/envs');

export function fixtureProject(): TempProject {
  const t = tempProject();
  for (const f of readdirSync(t.paths.environments)) rmSync(join(t.paths.environments, f), { recursive: true, force: true });
  cpSync(FIXTURE_ENVS, t.paths.environments, { recursive: true });
  return t;
}

/** Append YAML text to a file of the temp project. */
export function append(t: TempProject, rel: string, text: string): void {
  t.write(rel, `${t.read(rel).replace(/\n*$/, '\n')}${text}`);
}

/** 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found`);
  return i + 1;
}
