/**
 * A temp project whose environments/ holds the config fixtures (test/fixtures/config/envs: a
 * _base.yaml with models, agents and runs, and two envs lab and lab2 that extend it), so config
 * tests never depend on the bundled environments.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';
import type { Finding } from '../../scripts/lib/findings.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { renderTemp } from '../helpers/render.ts';

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

/**
 * The findings of rendering `env` after `edit` changed the temp project, and the text of `file`
 * as edited; `file` (and any other file named in `restore`) is put back afterwards.
 */
export function findingsAfterEdit(t: TempProject, env: string, file: string, edit: () => void, restore: string[] = []): { findings: Finding[]; text: string } {
  const originals = new Map([file, ...restore].map((f) => [f, t.read(f)]));
  edit();
  const text = t.read(file);
  try {
    return { findings: renderTemp(t, env).findings, text };
  } finally {
    for (const [f, content] of originals) t.write(f, content);
  }
}
