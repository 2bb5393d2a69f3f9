/**
 * Bad input never crashes the tool, injects objects or loses data. Every case in test/bad-input/
 * (plus a few built here: a 50 MB file, raw control bytes, a directory where a file should be)
 * goes through the real CLI against a copy of the project: exit 1 (2 for usage errors), exactly
 * the expected findings with file, line and column, no stack trace, and generated/ byte-identical.
 *
 * A case is a folder test/bad-input/<name>/:
 *   env.yaml         written as environments/<name>.yaml (it extends _valid.yaml, a copy of prod.yaml
 *                    made at test time, so the case holds only what is wrong)
 *   _*.yaml          extra files written to environments/ under their own name
 *   expected.txt     the exact finding lines, `file:line:col path message`
 *   expected.regex   one regular expression per finding line instead (for messages that list
 *                    allowed keys, which grow with the schema); `#` lines are comments
 *   args.json        a command line instead of an env file: a usage error, exit 2, expected.txt
 *                    holds the first line of stderr
 *   baseline.yaml    a case the schema accepts: it must render, and the rendered files must parse
 *                    to the same objects and keys as the baseline's (written as <name>-b.yaml)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../scripts/cli.ts';
import { isPlainObject } from '../scripts/lib/config/merge.ts';
import { readTree } from '../scripts/lib/render/write.ts';
import { runCli } from './helpers/cli.ts';
import { tempProject, type TempProject } from './helpers/project.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), 'bad-input');
const BIG_FILE_BYTES = 50 * 1024 * 1024;
const MANY_KEYS = 30_000;

interface Case {
  name: string;
  /** Files to write, by path under environments/ (a trailing '/' makes a directory). */
  files: Map<string, string>;
  /** Argv for usage cases; undefined means `validate --env <name>`. */
  args?: string[];
  expected?: string[];
  regex?: RegExp[];
  /** Present for cases that must render. */
  baseline?: string;
}

function loadCorpus(): Case[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(CORPUS, d.name);
      const read = (f: string): string | undefined => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
      const files = new Map<string, string>();
      for (const f of readdirSync(dir).sort()) {
        if (f === 'env.yaml') files.set(`${d.name}.yaml`, read(f)!);
        else if (f === 'baseline.yaml') files.set(`${d.name}-b.yaml`, read(f)!);
        else if (f.startsWith('_') && f.endsWith('.yaml')) files.set(f, read(f)!);
      }
      const lines = (t: string | undefined): string[] | undefined => t?.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      const args = read('args.json');
      return {
        name: d.name,
        files,
        args: args === undefined ? undefined : (JSON.parse(args) as string[]),
        expected: lines(read('expected.txt')),
        regex: lines(read('expected.regex'))?.map((l) => new RegExp(`^${l}$`)),
        baseline: files.has(`${d.name}-b.yaml`) ? `${d.name}-b` : undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Cases built at test time: too big to commit, raw control bytes, directories. */
function builtCases(): Case[] {
  const header = (name: string): string => `extends: _valid.yaml\nname: ${name}\n`;
  const big = Buffer.alloc(BIG_FILE_BYTES, '# padding padding padding\n');
  big.write(header('big-file'));
  const manyKeys = header('many-keys') + Array.from({ length: MANY_KEYS }, (_, i) => `k${i}: v\n`).join('');
  return [
    {
      name: 'big-file',
      files: new Map([['big-file.yaml', big.toString('utf8')]]),
      expected: [`environments/big-file.yaml:1:1 / file is ${BIG_FILE_BYTES} bytes, more than the limit of 1048576`],
    },
    {
      // Raw bytes, not YAML escapes: NUL and ESC in a plain value, RLO and ZWSP in keys.
      name: 'raw-control-chars',
      files: new Map([
        [
          'raw-control-chars.yaml',
          `${header('raw-control-chars')}description: Production\u001b[2J\ncomponents:\n  post\u202egres: {}\n  postgres:\n    parameters:\n      \u200bwork_mem: 16MB\n      shared_buffers: 2GB\u0000\n`,
        ],
      ]),
      expected: [
        'environments/raw-control-chars.yaml:3:14 /description the value contains U+001B, a control character: settings must be visible text',
        'environments/raw-control-chars.yaml:5:3 /components/post\\u202egres the key "post\\u202egres" contains U+202E, a bidirectional control character: keys must be visible text',
        'environments/raw-control-chars.yaml:8:7 /components/postgres/parameters/\\u200bwork_mem the key "\\u200bwork_mem" contains U+200B, a zero-width character: keys must be visible text',
        'environments/raw-control-chars.yaml:9:23 /components/postgres/parameters/shared_buffers the value contains U+0000, a control character: settings must be visible text',
      ],
    },
    {
      // Deeper than the YAML parser itself can go: a finding, not a RangeError.
      name: 'deep-nesting-parse',
      files: new Map([['deep-nesting-parse.yaml', `${header('deep-nesting-parse')}description: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`]]),
      regex: [/^environments\/deep-nesting-parse\.yaml:3:\d+ \/ invalid YAML: nested more than 64 levels deep$/],
    },
    {
      name: 'env-is-directory',
      files: new Map([['env-is-directory.yaml/', '']]),
      expected: ['environments/env-is-directory.yaml / is a directory, not a YAML file'],
    },
    {
      name: 'extends-directory',
      files: new Map([
        ['extends-directory.yaml', 'extends: _extends-directory.yaml\nname: extends-directory\n'],
        ['_extends-directory.yaml/', ''],
      ]),
      expected: ['environments/extends-directory.yaml:1:10 /extends extends target environments/_extends-directory.yaml is not a file'],
    },
    {
      name: 'yaml-and-yml',
      files: new Map([
        ['yaml-and-yml.yaml', header('yaml-and-yml')],
        ['yaml-and-yml.yml', header('yaml-and-yml')],
      ]),
      expected: ['environments/yaml-and-yml.yml / environments/yaml-and-yml.yaml and environments/yaml-and-yml.yml both exist: keep one'],
    },
    {
      // Every finding is located through an index, not a scan of the mapping: linear, not quadratic.
      name: 'many-keys',
      files: new Map([['many-keys.yaml', manyKeys]]),
      regex: Array.from({ length: MANY_KEYS }, (_, i) => new RegExp(`^environments/many-keys\\.yaml:${i + 3}:1 /k${i} unknown key "k${i}" \\(allowed: [-a-zA-Z, ]+\\)$`)),
    },
    {
      name: 'cli-env-control-chars',
      files: new Map(),
      args: ['validate', '--env', '\u001b]0;owned\u0007'],
      expected: [`catalyst: --env "\\u001b]0;owned\\u0007" is not a valid environment name (lowercase letters, digits and '-'); nothing was read`],
    },
  ];
}

const CASES = [...loadCorpus(), ...builtCases()];
const envCases = CASES.filter((c) => !c.args && !c.baseline);
const usageCases = CASES.filter((c) => c.args);
const renderCases = CASES.filter((c) => c.baseline);
/** Files that must never be read: targets of `../` in --env and extends. */
const CANARIES = ['etc.yaml', 'x.yaml'];

let tp: TempProject;
beforeAll(() => {
  tp = tempProject({ withGenerated: true });
  // Each case gets an Argo CD of its own: cases copy prod, so sharing prod's would clash on every name.
  const valid = parseDocument(tp.read('environments/prod.yaml'));
  valid.deleteIn(['argocd', 'instance']);
  valid.deleteIn(['argocd', 'manager']);
  tp.write('environments/_valid.yaml', valid.toString());
  for (const c of CASES) {
    for (const [f, text] of c.files) {
      if (f.endsWith('/')) mkdirSync(join(tp.paths.environments, f), { recursive: true });
      else writeFileSync(join(tp.paths.environments, f), text);
    }
  }
  for (const f of CANARIES) {
    mkdirSync(dirname(join(tp.root, f)), { recursive: true });
    writeFileSync(join(tp.root, f), 'name: CANARY\ncanary: this file was read\n');
  }
});
afterAll(() => tp?.cleanup());

/** The CLI in this process (same code, no process start-up): exit code and output. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { root: process.env.CATALYST_ROOT, debug: process.env.CATALYST_DEBUG };
  process.env.CATALYST_ROOT = tp.root;
  delete process.env.CATALYST_DEBUG;
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, {
      out: (s) => ((stdout += s), true),
      err: (s) => ((stderr += s), true),
    });
    return { code, stdout, stderr };
  } finally {
    if (saved.root === undefined) delete process.env.CATALYST_ROOT;
    else process.env.CATALYST_ROOT = saved.root;
    if (saved.debug !== undefined) process.env.CATALYST_DEBUG = saved.debug;
  }
}

/** The finding lines of a run (no blank lines, no summary line). */
function findingLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && !/^(validate|render|check): /.test(l));
}

function expectClean(r: { stderr: string; stdout: string }): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr + r.stdout).not.toMatch(/CANARY|this file was read/);
}

function expectFindings(c: Case, lines: string[]): void {
  if (c.expected) expect(lines).toEqual(c.expected);
  if (c.regex) {
    expect(lines).toHaveLength(c.regex.length);
    lines.forEach((l, i) => expect(l).toMatch(c.regex![i]!));
  }
}

describe('bad-input corpus', () => {
  it('has a case for each kind of bad input, each with an expectation', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    for (const c of CASES) expect(c.expected ?? c.regex ?? c.baseline, c.name).toBeDefined();
    console.log(`bad-input corpus: ${CASES.length} cases (${envCases.length} config, ${usageCases.length} usage, ${renderCases.length} render)`);
  });

  it('starts from a valid copy of prod (so each case fails only for its own reason)', async () => {
    tp.write('environments/valid-copy.yaml', 'extends: _valid.yaml\nname: valid-copy\n');
    const r = await run(['validate', '--env', 'valid-copy']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  // All config cases through one `validate --env a --env b ...` (the project loads once), each
  // finding line then attributed to the case whose file it names.
  let batch: { code: number; stdout: string; stderr: string; byCase: Map<string, string[]>; stray: string[]; generatedUnchanged: boolean } | undefined;
  async function validateAll(): Promise<NonNullable<typeof batch>> {
    if (batch) return batch;
    const before = readTree(tp.paths.generated);
    const r = await run(['validate', ...envCases.flatMap((c) => ['--env', c.name])]);
    const owner = new Map<string, string>();
    for (const c of envCases) for (const f of c.files.keys()) owner.set(`environments/${f.replace(/\/$/, '')}`, c.name);
    const byCase = new Map<string, string[]>(envCases.map((c) => [c.name, []]));
    const stray: string[] = [];
    for (const l of findingLines(r.stderr)) {
      const name = owner.get(l.split(/[: ]/)[0]!);
      if (name) byCase.get(name)!.push(l);
      else stray.push(l);
    }
    batch = { ...r, byCase, stray, generatedUnchanged: JSON.stringify([...readTree(tp.paths.generated)]) === JSON.stringify([...before]) };
    return batch;
  }

  it('validate of every config case at once: exit 1, no stack trace, nothing written, no finding outside the cases', async () => {
    const b = await validateAll();
    expectClean(b);
    expect(b.code).toBe(1);
    expect(b.stray).toEqual([]);
    expect(b.stderr).toMatch(new RegExp(`^validate: ${envCases.length} environment\\(s\\), \\d+ finding\\(s\\)$`, 'm'));
    expect(b.generatedUnchanged).toBe(true);
  });

  it.each(envCases.map((c) => [c.name, c] as const))('validate: %s', async (_name, c) => {
    const b = await validateAll();
    expectClean(b);
    expectFindings(c, b.byCase.get(c.name)!);
  });

  it('validate, one case per run: exit 1 for each of a sample', async () => {
    for (const name of ['empty', 'root-scalar', 'recursive-alias', 'env-is-directory', 'yaml-and-yml', 'unknown-vault', 'type-null']) {
      const c = CASES.find((x) => x.name === name)!;
      const before = readTree(tp.paths.generated);
      const r = await run(['validate', '--env', name]);
      expectClean(r);
      expect(r.code, name).toBe(1);
      expectFindings(c, findingLines(r.stderr));
      expect(readTree(tp.paths.generated)).toEqual(before);
    }
  });

  it.each(usageCases.map((c) => [c.name, c] as const))('usage: %s', async (_name, c) => {
    const before = readTree(tp.paths.generated);
    const r = await run(c.args!);
    expectClean(r);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(c.expected![0]);
    expect(readTree(tp.paths.generated)).toEqual(before);
  });

  it('render writes nothing and reports the same findings as validate', async () => {
    for (const name of ['malformed', 'alias-bomb', 'proto-key', 'inject-key-prefix', 'control-in-keys', 'extends-cycle', 'type-list-for-map']) {
      const c = CASES.find((x) => x.name === name)!;
      const before = readTree(tp.paths.generated);
      const r = await run(['render', '--env', name]);
      expectClean(r);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toMatch(/nothing written/);
      expectFindings(c, findingLines(r.stderr));
      expect(readTree(tp.paths.generated)).toEqual(before);
    }
  });

  it('render of every environment at once (the corpus among them) writes nothing and removes nothing', async () => {
    writeFileSync(join(tp.paths.environments, 'Bad_Name.yaml'), 'name: Bad_Name\n');
    try {
      const before = readTree(tp.paths.generated);
      const r = await run(['render']);
      expectClean(r);
      expect(r.code).toBe(1);
      const lines = findingLines(r.stderr);
      for (const c of envCases) for (const l of c.expected ?? []) expect(lines).toContain(l);
      expect(lines).toContain(`environments/Bad_Name.yaml / environment name "Bad_Name" is not a DNS-1123 label (lowercase letters, digits and '-')`);
      expect(readTree(tp.paths.generated)).toEqual(before);
    } finally {
      rmSync(join(tp.paths.environments, 'Bad_Name.yaml'), { force: true });
    }
  });

  it('goes through a real child process the same way', async () => {
    const picks = ['malformed', 'alias-bomb', 'big-file', 'raw-control-chars', 'cli-env-traversal'];
    const before = readTree(tp.paths.generated);
    const runs = await Promise.all([
      ...picks.map((name) => {
        const c = CASES.find((x) => x.name === name)!;
        return runCli(c.args ?? ['validate', '--env', name], tp.root, { CATALYST_DEBUG: '' }).then((r) => ({ c, r, render: false }));
      }),
      runCli(['render', '--env', 'inject-key-prefix'], tp.root, { CATALYST_DEBUG: '' }).then((r) => ({
        c: CASES.find((x) => x.name === 'inject-key-prefix')!,
        r,
        render: true,
      })),
    ]);
    for (const { c, r, render } of runs) {
      expectClean(r);
      if (c.args) {
        expect(r.code, c.name).toBe(2);
        expect(r.stderr.split('\n')[0]).toBe(c.expected![0]);
      } else {
        expect(r.code, c.name).toBe(1);
        expectFindings(c, findingLines(r.stderr));
        if (render) expect(r.stderr).toMatch(/nothing written/);
      }
    }
    expect(readTree(tp.paths.generated)).toEqual(before);
  });
});

/** Same keys, same list lengths, same scalar types, recursively (string values may differ). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, shape(v[k])]));
  return v === null ? 'null' : typeof v;
}

function strings(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/** Objects that look like Kubernetes objects of a kind, anywhere in a value. */
function objectsOfKind(v: unknown, kind: string): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => objectsOfKind(x, kind));
  if (!isPlainObject(v)) return [];
  const self = v.kind === kind && typeof v.apiVersion === 'string' ? [v] : [];
  return [...self, ...Object.values(v).flatMap((x) => objectsOfKind(x, kind))];
}

function parseTree(dir: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [f, text] of readTree(dir)) {
    if (!f.endsWith('.yaml')) continue;
    const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) expect(d.errors, f).toEqual([]);
    out.set(f, list.map((d) => d.toJS({ maxAliasCount: 0 }) as unknown));
  }
  return out;
}

describe('values that try to inject YAML into rendered output', () => {
  it.each(renderCases.map((c) => [c.name, c] as const))('%s renders each as one plain string, with no extra document, object or key', async (_name, c) => {
    const before = readTree(tp.paths.generated);
    const r = await run(['render', '--env', c.name, '--env', c.baseline!]);
    expectClean(r);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The environments already there are untouched.
    for (const [f, text] of before) if (!f.startsWith(`${c.name}/`) && !f.startsWith(`${c.baseline}/`)) expect(readTree(tp.paths.generated).get(f), f).toBe(text);

    const got = parseTree(join(tp.paths.generated, c.name));
    const base = parseTree(join(tp.paths.generated, c.baseline!));
    expect([...got.keys()]).toEqual([...base.keys()]);
    for (const [f, docs] of got) {
      expect(docs.map(shape), f).toEqual(base.get(f)!.map(shape));
      expect(objectsOfKind(docs, 'Secret'), f).toEqual([]);
    }
    // Every string the case sets (and the baseline does not) comes out exactly as written.
    const rendered = strings([...got.values()]);
    const caseData = parseAllDocuments(tp.read(`environments/${c.name}.yaml`))[0]!.toJS() as unknown;
    const baseData = parseAllDocuments(tp.read(`environments/${c.baseline}.yaml`))[0]!.toJS() as unknown;
    const payloads = [...strings(caseData)].filter((s) => !strings(baseData).has(s) && s !== c.name);
    expect(payloads.length).toBeGreaterThanOrEqual(5);
    for (const p of payloads) expect(rendered.has(p), JSON.stringify(p)).toBe(true);
  });
});
