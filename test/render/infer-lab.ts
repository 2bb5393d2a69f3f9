/** The inference fixture env (test/fixtures/inference/infer-lab.yaml) in a temp project, rendered with the real pipeline. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import type { EnvOutput } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { docs, renderOk, renderTemp, type Obj } from '../helpers/render.ts';

export const FIXTURE_ENV = 'infer-lab';
export const fixtureText = (): string => readFileSync(join(ROOT, 'test/fixtures/inference/infer-lab.yaml'), 'utf8');

/** A temp project holding the fixture env, optionally edited first. */
export function labProject(edit?: (text: string) => string): TempProject {
  const tp = tempProject();
  tp.write(`environments/${FIXTURE_ENV}.yaml`, edit ? edit(fixtureText()) : fixtureText());
  return tp;
}

export const renderLab = (tp: TempProject): EnvOutput => renderOk(tp, FIXTURE_ENV);

/** The fixture env rendered once for a test file (temp project made before, removed after its tests). */
export function renderedLab(): () => EnvOutput {
  let tp: TempProject | undefined;
  let out: EnvOutput | undefined;
  beforeAll(() => {
    tp = labProject();
    out = renderLab(tp);
  });
  afterAll(() => tp?.cleanup());
  return () => out!;
}
export const renderLabRaw = (tp: TempProject): EnvOutput => renderTemp(tp, FIXTURE_ENV);

export function services(out: EnvOutput): Map<string, Obj> {
  return new Map(docs(out, 'models/llminferenceservices.yaml').map((o) => [o.metadata.name as string, o]));
}

export function runConfig(out: EnvOutput): Obj {
  const cm = docs(out, 'llama-stack/config.yaml')[0]!;
  return parse(cm.data['config.yaml'] as string) as Obj;
}

export const mainOf = (pod: Obj): Obj => pod.containers.find((c: Obj) => c.name === 'main');
