/**
 * Property-based: whatever an environment file holds, validate and render never throw. Each
 * outcome is either findings (file, line >= 0, col >= 0, a message, all printable) with
 * generated/ left byte-identical, or a render whose files parse as YAML and hold no `kind: Secret`.
 *
 * Documents: YAML text built from arbitrary JSON values, structural mutations of a copy of
 * the fixture prod.yaml (delete a key, change a value's type, insert keys, swap in hostile
 * strings, nest deeply), and text mutations of the same file. Fixed seed, bounded runs.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { isPlainObject } from '../../scripts/lib/config/merge.ts';
import { loadProject, planOne, renderOne, type Project } from '../../scripts/lib/render/environment.ts';
import { findingsOf, type Finding } from '../../scripts/lib/findings.ts';
import { readTree, writeEnvTree } from '../../scripts/lib/render/write.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

/** `npm run fuzz` (CATALYST_FUZZ=long): the long run, 25 times the documents of the short one in `npm test`, with its own seed. */
const LONG = process.env.CATALYST_FUZZ === 'long';
const SEED = LONG ? 20_261_130 : 20_261_126;
/** FUZZ_SCALE=4 (say) runs a deeper search in the short run too. */
const SCALE = LONG ? 25 : Number(process.env.FUZZ_SCALE ?? 1);
if (LONG) vi.setConfig({ testTimeout: 3_600_000 });
const RUNS = { json: 120 * SCALE, mutated: 150 * SCALE, text: 100 * SCALE, free: 20 * SCALE };
/** Every this many documents the real `render` command runs too (it loads the project each time). */
const COMMAND_EVERY = 40;
const ENV = 'fuzz';

let tp: TempProject;
let project: Project;
let prodText: string;
let prodData: Record<string, unknown>;
const stats = { documents: 0, findings: 0, rendered: 0, commandRuns: 0 };

beforeAll(() => {
  // generated/ starts empty: only this env's tree is ever written, so the before/after reads stay small.
  tp = tempProject();
  project = loadProject(tp.paths);
  // A copy of prod on an Argo CD of its own: two envs on one instance may not share project, domain, server or key prefix.
  prodText = tp.read('environments/prod.yaml').replace(/^name: prod$/m, `name: ${ENV}`).replace(/^( {2}instance:) \S+/m, `$1 ${ENV}`);
  if (!prodText.includes(`  instance: ${ENV}`)) throw new Error('the fixture prod.yaml sets no argocd.instance to replace');
  // ...and the only env with prod's identities (domain, cluster, secret keys, Vault role, SSO issuer, which no two envs may share): prod itself goes.
  rmSync(join(tp.paths.environments, 'prod.yaml'));
  prodData = parseDocument(prodText).toJS() as Record<string, unknown>;
});
afterAll(() => {
  console.log(
    `fuzz: ${stats.documents} documents (seed ${SEED}): ${stats.findings} with findings, ${stats.rendered} rendered, ${stats.commandRuns} through the render command`,
  );
  tp?.cleanup();
});

// Characters a finding may not print raw (they would hide text or drive the terminal).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkFinding(f: Finding): void {
  expect(typeof f.file === 'string' && f.file.length > 0, JSON.stringify(f)).toBe(true);
  expect(Number.isInteger(f.line) && f.line >= 0, JSON.stringify(f)).toBe(true);
  expect(Number.isInteger(f.col) && f.col >= 0, JSON.stringify(f)).toBe(true);
  expect(typeof f.message === 'string' && f.message.trim().length > 0, JSON.stringify(f)).toBe(true);
  for (const s of [f.file, f.path, f.message]) expect(UNPRINTABLE.test(s), JSON.stringify(f)).toBe(false);
}

function objectsOfKind(v: unknown, kind: string): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => objectsOfKind(x, kind));
  if (!isPlainObject(v)) return [];
  const self = v.kind === kind && typeof v.apiVersion === 'string' ? [v] : [];
  return [...self, ...Object.values(v).flatMap((x) => objectsOfKind(x, kind))];
}

/** One document through validate and render; fails the property on any broken invariant. */
function runDocument(text: string): ReturnType<typeof renderOne> {
  stats.documents += 1;
  tp.write(`environments/${ENV}.yaml`, text);
  const gen = tp.paths.generated;
  const before = readTree(gen);
  let rendered: ReturnType<typeof renderOne>;
  try {
    // renderOne validates and plans first (planOne): one call covers both.
    rendered = renderOne(project, ENV);
  } catch (err) {
    throw new Error(`pipeline threw ${(err as Error).stack ?? String(err)}\n--- document ---\n${text}`);
  }
  rendered.findings.forEach(checkFinding);
  expect(rendered.plan !== undefined, 'a plan exactly when there are no findings').toBe(rendered.findings.length === 0);
  if (rendered.findings.length) {
    stats.findings += 1;
  } else {
    stats.rendered += 1;
    for (const [f, body] of rendered.files) {
      if (!f.endsWith('.yaml')) continue;
      const docs = parseAllDocuments(body, { uniqueKeys: true, strict: true });
      const list = Array.isArray(docs) ? docs : [docs];
      for (const d of list) expect(d.errors, f).toEqual([]);
      expect(objectsOfKind(list.map((d) => d.toJS() as unknown), 'Secret'), f).toEqual([]);
    }
  }
  if (stats.documents % COMMAND_EVERY === 0) {
    // The real command: all or nothing.
    stats.commandRuns += 1;
    const errs: string[] = [];
    let code: number;
    try {
      code = renderCommand({ paths: tp.paths, envs: [ENV], format: 'text', kubeconform: false, out: () => {}, err: (s) => errs.push(s) });
    } catch (err) {
      throw new Error(`render command threw ${(err as Error).stack ?? String(err)}\n--- document ---\n${text}`);
    }
    expect(code).toBe(rendered.findings.length ? 1 : 0);
    if (code === 0) expect(readTree(join(gen, ENV))).toEqual(rendered.files);
  } else if (!rendered.findings.length) {
    writeEnvTree(gen, ENV, rendered.files);
    expect(readTree(join(gen, ENV))).toEqual(rendered.files);
  }
  if (rendered.findings.length) expect(readTree(gen), 'nothing written on findings').toEqual(before);
  return rendered;
}

// ---- arbitraries ----

const HOSTILE = [
  '',
  ' ',
  '~',
  'null',
  'yes',
  '0x1F',
  '.inf',
  '---',
  '...',
  'a: b',
  '- a',
  '{{ env }}',
  '{{{settings}}}',
  '{{#each env}}x{{/each}}',
  'x\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n',
  'kind: Secret',
  '&a',
  '*a',
  '!!binary aGk=',
  '"\'',
  '#',
  '|',
  '\\',
  '\u0000',
  '\u001b[2J',
  '\u202eevil',
  'zero\u200bwidth',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u2028',
  '\u0085',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  'x'.repeat(300),
  'https://example.com/a b',
  'https://999.1.1.1',
  'https://1.2.3.4.5:6443',
  'https://[::zz]/x',
  'https://deploy:s3cr3t@github.com/o/r.git',
  'ssh://git@github.com:99999/o/r',
  'pvc://claim/../../etc',
  'main..feature',
  'toString',
  'hasOwnProperty',
  '1e309',
  '9007199254740993',
  'd\u0435v',
  '%YAML 1.1',
  '<<',
];

/** Hostile but visible: YAML syntax, template braces, quotes, any printable Unicode. */
const visibleHostileString = fc.oneof(
  fc.constantFrom(...HOSTILE.filter((s) => !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]/.test(s.replace(/\n/g, '')))),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 24 }),
);

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

type Path = (string | number)[];

/** Every path into a value (mappings and lists), parents before children. */
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (isPlainObject(v)) for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

function getAt(v: unknown, p: Path): unknown {
  return p.reduce<unknown>((cur, k) => (cur as Record<string | number, unknown> | undefined)?.[k], v);
}

/** Set a key as an own property, even `__proto__` (what a YAML parser produces). */
function setKey(obj: Record<string, unknown> | unknown[], k: string | number, value: unknown): void {
  Object.defineProperty(obj, k, { value, writable: true, enumerable: true, configurable: true });
}

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'retype'; at: number; value: unknown }
  | { op: 'insert'; at: number; key: string; value: unknown }
  | { op: 'string'; at: number; value: string }
  | { op: 'nest'; at: number; depth: number; list: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), key: hostileString, value: anyValue }),
  fc.record({ op: fc.constant('string' as const), at: fc.nat(), value: hostileString }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 120 }), list: fc.boolean() }),
);

function mutate(data: Record<string, unknown>, ms: Mutation[]): unknown {
  const doc = structuredClone(data);
  for (const m of ms) {
    const all = paths(doc).filter((p) => p.length > 0);
    if (!all.length) break;
    const p = all[m.at % all.length]!;
    const parent = getAt(doc, p.slice(0, -1)) as Record<string, unknown> | unknown[];
    const last = p[p.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last as string];
    } else if (m.op === 'retype') {
      setKey(parent, last, m.value);
    } else if (m.op === 'insert') {
      const maps = paths(doc).filter((q) => isPlainObject(getAt(doc, q)));
      setKey(getAt(doc, maps[m.at % maps.length]!) as Record<string, unknown>, m.key, m.value);
    } else if (m.op === 'string') {
      const leaves = paths(doc).filter((q) => typeof getAt(doc, q) === 'string' && q.length > 0);
      if (!leaves.length) continue;
      const q = leaves[m.at % leaves.length]!;
      setKey(getAt(doc, q.slice(0, -1)) as Record<string, unknown>, q[q.length - 1]!, m.value);
    } else {
      let v = getAt(doc, p);
      for (let i = 0; i < m.depth; i++) v = m.list ? [v] : { n: v };
      setKey(parent, last, v);
    }
  }
  return doc;
}

/** YAML text of a value in one of several styles (JSON is YAML too). */
const serialized = (v: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.tuple(v, fc.constantFrom('block', 'flow', 'json', 'quoted')).map(([value, style]) => {
    if (style === 'json') return `${JSON.stringify(value) ?? 'null'}\n`;
    return stringify(value, {
      lineWidth: 0,
      flowCollectionPadding: style === 'flow',
      collectionStyle: style === 'flow' ? 'flow' : 'any',
      defaultStringType: style === 'quoted' ? 'QUOTE_DOUBLE' : 'PLAIN',
    });
  });

/** Documents from arbitrary JSON: any root, or a mapping that looks a little like an env file. */
const jsonDocument = serialized(
  fc.oneof(
    fc.jsonValue({ maxDepth: 5 }),
    fc
      .tuple(fc.dictionary(hostileString, anyValue, { maxKeys: 6 }), fc.boolean())
      .map(([extra, named]) => ({ ...(named ? { extends: '_base.yaml', name: ENV } : {}), ...extra })),
  ),
);

const mutatedDocument = serialized(fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(prodData, ms)));

type TextEdit = { at: number; op: 'insert' | 'delete' | 'dupline' | 'char' | 'cut'; text: string; len: number };
const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert', 'delete', 'dupline', 'char', 'cut'),
  text: fc.oneof(hostileString, fc.constantFrom(':', '- ', '&x ', '*x', '!!set ', '{', '[', '"', "'", '\t', '\n  ', '? ', '%YAML 1.1\n', '---\n', '<<: ')),
  len: fc.integer({ min: 1, max: 40 }),
});

function editText(text: string, edits: TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const at = e.at % (t.length + 1);
    if (e.op === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
    else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
    else if (e.op === 'char') t = t.slice(0, at) + e.text.slice(0, 1) + t.slice(at + 1);
    else if (e.op === 'cut') t = t.slice(0, at);
    else {
      const lines = t.split('\n');
      const i = at % lines.length;
      lines.splice(i, 0, lines[i]!);
      t = lines.join('\n');
    }
  }
  return t;
}

const textDocument = fc.array(textEdit, { minLength: 1, maxLength: 3 }).map((edits) => editText(prodText, edits));

/** Hostile strings where the schema takes any string, several of them rendered: most of these render. */
const freeFieldDocument = fc
  .record({
    description: hostileString,
    product: visibleHostileString,
    parameters: fc.dictionary(fc.stringMatching(/^[a-z_.]{1,16}$/), visibleHostileString, { maxKeys: 6 }),
    toleration: visibleHostileString,
  })
  .map(({ description, product, parameters, toleration }) => {
    const doc = structuredClone(prodData) as { description?: string; cluster: { gpu?: Record<string, unknown> }; components: { postgres?: { parameters?: object } } };
    doc.description = description;
    if (doc.cluster.gpu) {
      doc.cluster.gpu.product = product;
      doc.cluster.gpu.tolerations = [{ key: toleration, operator: 'Exists', effect: 'NoSchedule' }];
    }
    const pg = doc.components.postgres ?? (doc.components.postgres = {});
    pg.parameters = { ...pg.parameters, ...parameters };
    return { text: stringify(doc, { lineWidth: 0 }), parameters: pg.parameters as Record<string, string> };
  });

describe('fuzz: random documents through validate and render', () => {
  it('the unmutated copy of prod renders (so mutations start from a valid document)', () => {
    tp.write(`environments/${ENV}.yaml`, prodText);
    expect(findingsOf(planOne(project, ENV))).toEqual([]);
  });

  it(`YAML built from arbitrary JSON values (${RUNS.json} documents)`, () => {
    fc.assert(fc.property(jsonDocument, (t) => void runDocument(t)), { seed: SEED, numRuns: RUNS.json });
  });

  it(`structural mutations of prod.yaml (${RUNS.mutated} documents)`, () => {
    fc.assert(fc.property(mutatedDocument, (t) => void runDocument(t)), { seed: SEED, numRuns: RUNS.mutated });
  });

  it(`text mutations of prod.yaml (${RUNS.text} documents)`, () => {
    fc.assert(fc.property(textDocument, (t) => void runDocument(t)), { seed: SEED, numRuns: RUNS.text });
  });

  it(`hostile strings in free-form fields of prod.yaml (${RUNS.free} documents)`, () => {
    fc.assert(
      fc.property(freeFieldDocument, ({ text, parameters }) => {
        const r = runDocument(text);
        if (r.findings.length) return;
        // The parameters come out as exactly the strings that went in, no more, no fewer.
        const cluster = parseDocument(r.files.get('postgres/patch-cluster.yaml')!).toJS() as { spec: { postgresql: { parameters: object } } };
        expect(cluster.spec.postgresql.parameters).toEqual(parameters);
      }),
      { seed: SEED, numRuns: RUNS.free },
    );
  });
});
