/** Fixture environments for the Argo CD tests: a temp project holding only envs built from test/fixtures/argo/env.yaml.tmpl. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';
import { listEnvironments } from '../../scripts/lib/config/load.ts';
import { tempProject, type TempProject } from './project.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface FixtureEnv {
  name: string;
  server?: string;
  /** Extra lines under `argocd:` (two-space indented YAML), e.g. `  instance: hub`. */
  argocd?: string[];
  /** Text replacements applied to the env file after templating. */
  edits?: [string, string][];
}

export function fixtureText(e: FixtureEnv): string {
  let text = readFileSync(join(ROOT, 'test/fixtures/argo/env.yaml.tmpl'), 'utf8')
    .replaceAll('__NAME__', e.name)
    .replace('__SERVER__', e.server ?? IN_CLUSTER)
    .replace('__ARGOCD__\n', (e.argocd ?? []).map((l) => `${l}\n`).join(''));
  for (const [from, to] of e.edits ?? []) {
    if (!text.includes(from)) throw new Error(`fixture edit: ${from} not found`);
    text = text.replace(from, to);
  }
  return text;
}

/** A temp project whose environments/ holds _base.yaml and exactly these fixture envs. */
export function argoProject(envs: FixtureEnv[]): TempProject {
  const tp = tempProject();
  for (const n of listEnvironments(tp.paths)) rmSync(join(tp.paths.environments, `${n}.yaml`));
  for (const e of envs) tp.write(`environments/${e.name}.yaml`, fixtureText(e));
  return tp;
}
