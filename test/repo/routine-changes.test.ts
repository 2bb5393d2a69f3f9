/**
 * Routine config changes a platform engineer makes in a pull request, applied to a copy of the
 * repo's own environments (whatever they hold today): scale a model, add a model, add an
 * environment, disable a component, add a benchmark run, an MCP server or an agent, bump a chart
 * version. Each must render every environment with 0 findings, and all of them together must
 * pass `check`. No value of environments/ is asserted: the changes are made structurally, on
 * whatever entries the files have, so this holds for any valid config.
 */
import { readdirSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { envCommand } from '../../scripts/lib/commands/env.ts';
import { modelsOf } from '../../scripts/lib/config/components.ts';
import { demand, perNodeCapacity } from '../../scripts/lib/config/gpu-accounting.ts';
import { listEnvironments, loadEnvironment } from '../../scripts/lib/config/load.ts';
import type { EnvConfig } from '../../scripts/lib/config/environment.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { check } from '../helpers/check.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

/** A change: edits a project; returns what it did (for the log), or undefined when the repo has nothing it applies to. */
type Change = (tp: TempProject) => string | undefined;

/** The environment files (not the `_` partials), by name. */
const envFiles = (tp: TempProject): string[] =>
  readdirSync(tp.paths.environments)
    .filter((f) => /^[a-z0-9].*\.ya?ml$/.test(f))
    .sort()
    .map((f) => `environments/${f}`);

/** Edit the first YAML file (in the order given) whose document has a non-empty list at `path`. */
function editFirstWithList(tp: TempProject, files: string[], path: string[], edit: (doc: Document, list: unknown[]) => string): string | undefined {
  for (const file of files) {
    const doc = parseDocument(tp.read(file));
    const node = doc.getIn(path, true);
    if (!isSeq(node) || node.items.length === 0) continue;
    const what = edit(doc, node.toJSON() as unknown[]);
    tp.write(file, doc.toString());
    return `${file}: ${what}`;
  }
  return undefined;
}

/** A copy of the first item of a list with `key` made unique by `suffix`; appended to the list. */
function appendCopy(doc: Document, path: string[], list: unknown[], key: string, rename: (v: string) => string, extra: Record<string, unknown> = {}): string {
  const first = list[0] as Record<string, unknown>;
  const taken = new Set(list.map((x) => String((x as Record<string, unknown>)[key])));
  let name = rename(String(first[key]));
  while (taken.has(name)) name = rename(name);
  const copy = { ...first, [key]: name, ...extra };
  doc.addIn(path, doc.createNode(copy));
  return `added ${path.join('.')} ${name} (a copy of ${String(first[key])})`;
}

/** The environment files, then the `_` partials they extend. */
const allFiles = (tp: TempProject): string[] => [
  ...envFiles(tp),
  ...readdirSync(tp.paths.environments)
    .filter((f) => /^_.*\.ya?ml$/.test(f))
    .sort()
    .map((f) => `environments/${f}`),
];

/**
 * More GPUs come with more model pods: the PR that scales or adds a model also raises
 * cluster.gpu.nodes of that env file (when the file sets it) until every resource fits.
 */
function withGpuNodes(tp: TempProject, did: string | undefined): string | undefined {
  const file = did?.split(':')[0];
  if (!file) return did;
  const doc = parseDocument(tp.read(file));
  const nodes = doc.getIn(['cluster', 'gpu', 'nodes']);
  const loaded = loadEnvironment(tp.paths, file.replace(/^environments\/|\.ya?ml$/g, ''));
  if (typeof nodes !== 'number' || !loaded.ok) return did;
  const config = loaded.value.data as unknown as EnvConfig;
  const perNode = perNodeCapacity(config.cluster.gpu!);
  let need = nodes;
  for (const [resource, d] of demand(modelsOf(config))) need = Math.max(need, Math.ceil(d.total / (perNode[resource] ?? 1)));
  if (need === nodes) return did;
  doc.setIn(['cluster', 'gpu', 'nodes'], need);
  tp.write(file, doc.toString());
  return `${did}; cluster.gpu.nodes ${nodes} -> ${need}`;
}

const CHANGES: Record<string, Change> = {
  'scale a model': (tp) =>
    withGpuNodes(
      tp,
      editFirstWithList(tp, envFiles(tp), ['models'], (doc, list) => {
        const m = list[0] as { name: string; replicas?: number };
        doc.setIn(['models', 0, 'replicas'], (m.replicas ?? 1) + 1);
        return `models.${m.name}.replicas ${m.replicas ?? 1} -> ${(m.replicas ?? 1) + 1}`;
      }),
    ),
  'add a model': (tp) =>
    withGpuNodes(
      tp,
      editFirstWithList(tp, envFiles(tp), ['models'], (doc, list) => {
        const first = list[0] as { servedName?: string };
        return appendCopy(doc, ['models'], list, 'name', (n) => `${n.slice(0, 40)}-b`, first.servedName ? { servedName: `${first.servedName}-b` } : {});
      }),
    ),
  // The documented way (README "Add an environment"): a copy with every per-env identity derived from the new name.
  'add an environment': (tp) => {
    const [file] = envFiles(tp);
    if (!file) return undefined;
    const from = file.replace(/^environments\//, '').replace(/\.ya?ml$/, '');
    const name = 'routine-new-env';
    let err = '';
    const code = envCommand({ paths: tp.paths, envs: undefined, format: 'text', kubeconform: false, args: ['add', name], from, out: () => undefined, err: (s) => void (err += s) });
    if (code !== 0) throw new Error(`env add ${name} --from ${from}: exit ${code}\n${err}`);
    return `environments/${name}.yaml: env add --from ${from}`;
  },
  'disable a component': (tp) => {
    // A component nothing depends on; the web UI when the catalog has it.
    const project = loadProject(tp.paths);
    const apps = [...project.catalog.values()];
    const needed = new Set(apps.flatMap((a) => a.dependsOn));
    const leaf = apps.find((a) => a.name === 'webui') ?? apps.find((a) => a.optional && !needed.has(a.name));
    if (!leaf) return undefined;
    const [file] = envFiles(tp);
    const doc = parseDocument(tp.read(file!));
    if (!isMap(doc.get('components'))) doc.set('components', doc.createNode({}));
    doc.setIn(['components', leaf.name, 'enabled'], false);
    tp.write(file!, doc.toString());
    return `${file}: components.${leaf.name}.enabled false`;
  },
  'add a benchmark run': (tp) => editFirstWithList(tp, allFiles(tp), ['benchmarks'], (doc, list) => appendCopy(doc, ['benchmarks'], list, 'id', (id) => `${id.slice(0, 50)}-r2`)),
  'add an MCP server': (tp) =>
    editFirstWithList(tp, [...allFiles(tp)].reverse(), ['mcp', 'servers'], (doc, list) => {
      const first = list[0] as { prefix?: string };
      return appendCopy(doc, ['mcp', 'servers'], list, 'name', (n) => `${n.slice(0, 20)}2`, first.prefix ? { prefix: `${first.prefix.replace(/_$/, '')}2_` } : {});
    }),
  'add an agent': (tp) => editFirstWithList(tp, allFiles(tp), ['agents'], (doc, list) => appendCopy(doc, ['agents'], list, 'name', (n) => `${n.slice(0, 40)}-b`)),
  'bump a chart version': (tp) => {
    for (const f of readdirSync(tp.paths.apps).sort()) {
      if (f.startsWith('_')) continue;
      const file = `apps/${f}/app.yaml`;
      const doc = parseDocument(tp.read(file));
      const version = doc.getIn(['source', 'version']);
      if (doc.getIn(['source', 'type']) !== 'helm' || typeof version !== 'string') continue;
      const bumped = version.replace(/(\d+)([^\d]*)$/, (_m, n: string, rest: string) => `${Number(n) + 1}${rest}`);
      doc.setIn(['source', 'version'], bumped);
      tp.write(file, doc.toString());
      return `${file}: ${version} -> ${bumped}`;
    }
    return undefined;
  },
};

/** Every environment of a project renders with 0 findings. */
function renderAll(tp: TempProject): string[] {
  const project = loadProject(tp.paths);
  return listEnvironments(tp.paths).flatMap((env) => renderOne(project, env).findings.map(formatFinding));
}

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

describe('routine config changes of the real environments pass', () => {
  it.each(Object.keys(CHANGES))('%s: every environment renders with 0 findings', (name) => {
    const tp = tempProject({ envs: 'repo' });
    projects.push(tp);
    const did = CHANGES[name]!(tp);
    console.log(`routine change "${name}": ${did ?? 'nothing to change in this repo'}`);
    expect(renderAll(tp)).toEqual([]);
  });

  it('all of them together: render, then check (drift none, every object valid, every rule holds)', async () => {
    const tp = tempProject({ envs: 'repo' });
    projects.push(tp);
    for (const change of Object.values(CHANGES)) change(tp);
    let err = '';
    const code = renderCommand({ paths: tp.paths, envs: undefined, format: 'text', kubeconform: false, out: () => {}, err: (s) => (err += s) });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((await check(tp.root)).lines).toEqual([]);
  });
});
