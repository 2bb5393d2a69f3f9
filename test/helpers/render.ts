/** Rendering helpers the layer tests share: the real pipeline, parsed output, positions in files. */
import { expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadProject, renderOne, type EnvOutput, type Project } from '../../scripts/lib/render/environment.ts';
import { formatFinding, type Finding } from '../../scripts/lib/findings.ts';
import { collectObjects, type LocatedObject } from '../../scripts/lib/verify/hydration/collect.ts';
import { onExit, tempProject, type TempProject } from './project.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

let shared: { tp: TempProject; project: Project; outputs: Map<string, EnvOutput> } | undefined;

/** The fixture project (real tool inputs, fixture environments), loaded once per test file. */
export function fixtureProject(): { tp: TempProject; project: Project } {
  if (!shared) {
    const tp = tempProject();
    onExit(() => tp.cleanup());
    shared = { tp, project: loadProject(tp.paths), outputs: new Map() };
  }
  return shared;
}

/** Render a fixture environment (once per test file); any finding fails the test. */
export function renderFixture(env: string): EnvOutput {
  const s = (fixtureProject(), shared!);
  let out = s.outputs.get(env);
  if (!out) {
    out = renderOne(s.project, env);
    s.outputs.set(env, out);
  }
  if (out.findings.length) throw new Error(out.findings.map(formatFinding).join('\n'));
  return out;
}

const hydratedCache = new Map<string, Promise<LocatedObject[]>>();

/** A fixture environment rendered and hydrated with the real kustomize (once per test file). */
export function hydrateFixture(env: string): Promise<LocatedObject[]> {
  let p = hydratedCache.get(env);
  if (!p) {
    p = collectObjects(fixtureProject().tp.paths, renderFixture(env));
    hydratedCache.set(env, p);
  }
  return p;
}

const loaded = new WeakMap<TempProject, { project: Project; toolEdits: number }>();

/**
 * The loaded project of a temp project, reused while only its environments change (the
 * catalog and schemas are read at load; environment files at each render).
 */
export function projectOf(t: TempProject): Project {
  const hit = loaded.get(t);
  if (hit && hit.toolEdits === t.toolEdits) return hit.project;
  const project = loadProject(t.paths);
  loaded.set(t, { project, toolEdits: t.toolEdits });
  return project;
}

/** Render an environment of a temp project, findings and all. */
export function renderTemp(t: TempProject, env: string): EnvOutput {
  return renderOne(projectOf(t), env);
}

/** Render an environment of a temp project; any finding fails the test. */
export function renderOk(t: TempProject, env: string): EnvOutput {
  const out = renderTemp(t, env);
  if (out.findings.length) throw new Error(out.findings.map(formatFinding).join('\n'));
  return out;
}

/** The findings of an environment that must not render (and so produces no files). */
export function configFindings(t: TempProject, env: string): Finding[] {
  const out = renderTemp(t, env);
  expect(out.files.size).toBe(0);
  return out.findings;
}

/** The objects of one rendered file ([] when it was not rendered). */
export function docs(out: EnvOutput, path: string): Obj[] {
  const text = out.files.get(path);
  if (text === undefined) return [];
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

/**
 * 1-based line of the first line matching `re`, and the column where `at` starts on it
 * (a string or a pattern), or of its first non-blank character.
 */
export function lineAt(text: string, re: RegExp, at?: string | RegExp): { line: number; col: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no line matches ${re}`);
  const l = lines[i]!;
  const col = at === undefined ? l.search(/\S/) : typeof at === 'string' ? l.indexOf(at) : l.search(at);
  return { line: i + 1, col: col + 1 };
}
