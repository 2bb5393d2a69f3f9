/**
 * Lists of named items (models, mcp.servers, agents, benchmarks) merge by key over the extends
 * chain, and findings still point at the file, line and column that set the value.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment, type LoadedEnv } from '../../scripts/lib/config/load.ts';
import { locateInChain, pointerIn } from '../../scripts/lib/config/locate-chain.ts';
import { deepMerge, KEYED_LISTS, keyedTargets } from '../../scripts/lib/config/merge.ts';
import { projectPaths, ROOT } from '../../scripts/lib/paths.ts';
import { renderTemp } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';
import { append, fixtureProject, lineOf } from './fixture-project.ts';

describe('deepMerge with keyed lists', () => {
  const base = { models: [{ name: 'a', replicas: 1, args: ['x'] }, { name: 'b', replicas: 1 }], tags: ['t1', 't2'] };

  it('merges an entry into the base item of the same name, key by key', () => {
    const out = deepMerge(base, { models: [{ name: 'b', replicas: 3 }] }, KEYED_LISTS);
    expect(out).toEqual({ models: [{ name: 'a', replicas: 1, args: ['x'] }, { name: 'b', replicas: 3 }], tags: ['t1', 't2'] });
  });

  it('appends new names in order, removes a field set to null, replaces lists inside an item and other lists', () => {
    const over = { models: [{ name: 'c' }, { name: 'a', replicas: null, args: ['y'] }, { name: 'd' }], tags: ['t3'] };
    expect(deepMerge(base, over, KEYED_LISTS)).toEqual({
      models: [{ name: 'a', args: ['y'] }, { name: 'b', replicas: 1 }, { name: 'c' }, { name: 'd' }],
      tags: ['t3'],
    });
  });

  it('keeps a name listed twice in one file twice (so the duplicate is reported), and items without a name', () => {
    const over = { models: [{ name: 'a', replicas: 2 }, { name: 'a', replicas: 5 }, 'oops'] };
    expect(deepMerge(base, over, KEYED_LISTS)).toEqual({
      models: [{ name: 'a', replicas: 2, args: ['x'] }, { name: 'b', replicas: 1 }, { name: 'a', replicas: 5 }, 'oops'],
      tags: ['t1', 't2'],
    });
  });

  it('merges by the key of each list (benchmarks by id) and only at its path', () => {
    const b = { benchmarks: [{ id: 'r1', kind: 'guidellm' }], other: { models: [{ name: 'a', x: 1 }] } };
    const o = { benchmarks: [{ id: 'r1', enabled: false }], other: { models: [{ name: 'a' }] } };
    expect(deepMerge(b, o, KEYED_LISTS)).toEqual({ benchmarks: [{ id: 'r1', kind: 'guidellm', enabled: false }], other: { models: [{ name: 'a' }] } });
  });

  it('keyedTargets: first unmatched base item of the name, else the next new index', () => {
    expect(keyedTargets(['a', 'b', 'a'], ['a', 'a', 'a', undefined, 'c'])).toEqual([0, 2, 3, 4, 5]);
  });
});

describe('every keyed list is a list of named items in the schema', () => {
  const schemaDir = join(ROOT, 'schemas');
  const read = (file: string): Record<string, any> => JSON.parse(readFileSync(join(schemaDir, file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Follow $ref (a relative file and/or a #/$defs fragment) from `file`. */
  const deref = (file: string, node: Record<string, any>): [string, Record<string, any>] => { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!node.$ref) return [file, node];
    const [f, frag] = String(node.$ref).split('#');
    const target = f ? join(dirname(file), f) : file;
    let n = read(target);
    for (const seg of (frag ?? '').split('/').filter(Boolean)) n = n[seg];
    return deref(target, n);
  };
  for (const [pointer, key] of Object.entries(KEYED_LISTS)) {
    it(`${pointer} items require "${key}" and allow enabled: false`, () => {
      let [file, node] = deref('', read('environment.schema.json'));
      file = 'environment.schema.json';
      for (const seg of pointer.slice(1).split('/')) [file, node] = deref(file, node.properties[seg]);
      expect(node.type).toBe('array');
      const [, item] = deref(file, node.items);
      expect(item.required).toContain(key);
      expect(item.properties.enabled).toMatchObject({ type: 'boolean' });
    });
  }
});

describe('locating merged items in the file that set them', () => {
  let root: string;
  let env: LoadedEnv;
  const base = ['models:', '  - name: a', '    replicas: 1', '    uri: hf://x/a', '  - name: b', '    replicas: 1', '    uri: hf://x/b', ''].join('\n');
  const child = ['extends: _base.yaml', 'models:', '  - name: b', '    replicas: 4', '  - name: c', '    uri: hf://x/c', ''].join('\n');
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'keyed-locate-'));
    mkdirSync(join(root, 'environments'));
    writeFileSync(join(root, 'environments/_base.yaml'), base);
    writeFileSync(join(root, 'environments/x.yaml'), child);
    const r = loadEnvironment(projectPaths(root), 'x');
    if (!r.ok) throw new Error(JSON.stringify(r.findings));
    env = r.value;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('merges by name over the chain', () => {
    expect(env.data.models).toEqual([
      { name: 'a', replicas: 1, uri: 'hf://x/a' },
      { name: 'b', replicas: 4, uri: 'hf://x/b' },
      { name: 'c', uri: 'hf://x/c' },
    ]);
  });

  it('maps merged indices to each file', () => {
    expect(pointerIn(env, 0, '/models/1/replicas')).toBe('/models/0/replicas');
    expect(pointerIn(env, 1, '/models/1/replicas')).toBe('/models/1/replicas');
    expect(pointerIn(env, 0, '/models/2/uri')).toBe('/models/1/uri');
    expect(pointerIn(env, 1, '/models/2/uri')).toBeUndefined();
    expect(pointerIn(env, 0, '/models/0')).toBeUndefined();
    expect(pointerIn(env, 0, '/cluster/domain')).toBe('/cluster/domain');
  });

  it('points at the env file for a value it overrides, at the base for one it inherits', () => {
    expect(locateInChain(env, '/models/1/replicas', false)).toEqual({ file: 'environments/x.yaml', line: 4, col: 15, found: true });
    expect(locateInChain(env, '/models/1/uri', false)).toEqual({ file: 'environments/_base.yaml', line: 7, col: 10, found: true });
    expect(locateInChain(env, '/models/2/uri', false)).toMatchObject({ file: 'environments/x.yaml', line: 6, found: true });
    expect(locateInChain(env, '/models/0/replicas', false)).toMatchObject({ file: 'environments/_base.yaml', line: 3, found: true });
  });

  it('points a missing key at the item in the env file when it has it, else in the file that does', () => {
    expect(locateInChain(env, '/models/1/servedName', false)).toMatchObject({ file: 'environments/x.yaml', line: 3, found: false });
    expect(locateInChain(env, '/models/0/servedName', false)).toMatchObject({ file: 'environments/_base.yaml', line: 2, found: false });
  });
});

describe('one-entry overrides per environment (fixture envs lab and lab2 extend one _base.yaml)', () => {
  let t: TempProject;
  let before: Record<string, Map<string, string>>;
  beforeAll(() => {
    t = fixtureProject();
    before = { lab: renderTemp(t, 'lab').files, lab2: renderTemp(t, 'lab2').files };
    expect(before.lab!.size).toBeGreaterThan(0);
  });
  afterAll(() => t.cleanup());
  const changed = (a: Map<string, string>, b: Map<string, string>): string[] =>
    [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();

  it('disables one MCP server and scales one model in one env: 0 findings, only that env changes', () => {
    const file = 'environments/lab.yaml';
    const original = t.read(file);
    append(t, file, ['mcp:', '  servers:', '    - { name: jira, enabled: false }', 'models:', '    - { name: qwen3-8b, replicas: 2 }', ''].join('\n'));
    const lab = renderTemp(t, 'lab');
    const lab2 = renderTemp(t, 'lab2');
    t.write(file, original);
    expect(lab.findings).toEqual([]);
    expect(lab2.findings).toEqual([]);
    expect(changed(before.lab2!, lab2.files)).toEqual([]);
    const diff = changed(before.lab!, lab.files);
    // Jira's component; the agent that used its tools; the gateway's per-tool authorization that
    // granted the agent Jira; the scaled model; the prerequisites (Jira's secret keys). (Llama
    // Stack's one connector is the gateway's endpoint, whichever servers are behind it: unchanged.)
    expect(diff).toEqual(['PREREQUISITES.md', 'agents/agents.yaml', 'mcp-gateway/tool-auth-policy.yaml', 'mcp-jira/kustomization.yaml', 'mcp-jira/servers.yaml', 'models/llminferenceservices.yaml']);
    expect(before.lab!.get('mcp-gateway/tool-auth-policy.yaml')).toContain("'catalyst-mcp/jira'");
    expect(lab.files.get('mcp-gateway/tool-auth-policy.yaml')).not.toContain("'catalyst-mcp/jira'");
    expect(lab.files.get('mcp-gateway/tool-auth-policy.yaml')).toContain("'catalyst-mcp/github'");
    // Jira's objects are gone; nothing else of the MCP servers changes; the model scaled.
    const text = (m: Map<string, string>) => [...m.values()].join('\n');
    expect(text(before.lab!)).toMatch(/name: mcp-jira\b/);
    expect(text(lab.files)).not.toMatch(/name: mcp-jira\b/);
    for (const other of ['github', 'search', 'benchmark']) expect(text(lab.files)).toMatch(new RegExp(`name: mcp-${other}\\b`));
    const replicas = (m: Map<string, string>) => /name: qwen3-8b\n[\s\S]*?replicas: (\d+)/.exec(m.get('models/llminferenceservices.yaml') ?? '')?.[1];
    expect(replicas(lab.files)).toBe('2');
  });

  it('reports a bad value in an env-file override of a base item at the env file line', () => {
    const file = 'environments/lab.yaml';
    const original = t.read(file);
    append(t, file, ['mcp:', '  servers:', '    - name: jira', '      prefix: "Jira-"', ''].join('\n'));
    const out = renderTemp(t, 'lab');
    const text = t.read(file);
    t.write(file, original);
    const f = out.findings.find((x) => x.path === '/mcp/servers/1/prefix');
    expect(f).toMatchObject({ file, line: lineOf(text, 'prefix: "Jira-"'), col: 15 });
  });

  it('reports a rule on an overridden model at the env file, and a disabled model an agent names', () => {
    const file = 'environments/lab.yaml';
    const original = t.read(file);
    append(t, file, ['models:', '  - name: qwen3-embedding-0-6b', '    tensorParallelism: 3', '  - name: qwen3-8b', '    enabled: false', ''].join('\n'));
    const out = renderTemp(t, 'lab');
    const text = t.read(file);
    t.write(file, original);
    const tp = out.findings.find((x) => x.path === '/models/1/tensorParallelism');
    expect(tp).toMatchObject({ file, line: lineOf(text, 'tensorParallelism: 3') });
    const agent = out.findings.find((x) => x.path === '/agents/0/model');
    expect(agent?.message).toMatch(/is disabled in this environment/);
    expect(agent?.file).toBe('environments/_base.yaml');
  });
});
