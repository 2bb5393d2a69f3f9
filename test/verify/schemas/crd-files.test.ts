/**
 * The project's own strict CRD schemas (schemas/crds, kubeconform layout).
 *
 * - every file compiles (ajv 8, draft-07, ajv-formats) and is self-contained;
 * - every object level sets additionalProperties (false; a schema for maps; or `true` only for
 *   documented free-form fields, which carry a $comment);
 * - one realistic manifest per kind, as the project would emit it (test/fixtures/crd-examples/),
 *   passes our schema and the upstream reference schema (shared/crds, converted from the real CRDs);
 * - an unknown field at the top of spec and one deep inside fail our schema, and a missing
 *   required field fails both;
 * - every upstream field is still known here, with the same type, enum, pattern and required
 *   list, outside the deliberate subsets (pod specs, affinity, unused secret store providers).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = { [key: string]: unknown };
type PathKey = string | number;

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ourDir = join(projectRoot, 'schemas', 'crds');
const upstreamDir = process.env['CRD_UPSTREAM_DIR'] ?? join(projectRoot, '..', 'shared', 'crds');
const hasUpstream = existsSync(upstreamDir);

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listJson(full));
    else if (entry.endsWith('.json')) out.push(relative(ourDir, full).split('\\').join('/'));
  }
  return out.sort();
}

// pinned-sources.json is the record of npm run schemas:crds, not a schema (schemas/crds/README.md)
const schemaFiles = listJson(ourDir).filter((f) => f.includes('/'));
/** Files derived from a pinned CRD: compared with it by check (CEL003), not with the shared reference copies. */
const pinnedFiles = new Set(Object.keys(JSON.parse(readFileSync(join(ourDir, 'pinned-sources.json'), 'utf8')) as Record<string, unknown>));

function isJson(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function readJson(file: string): Json {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isJson(parsed)) throw new Error(`${file}: not a JSON object`);
  return parsed;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const ours = newAjv();
const upstream = newAjv();
const compiled = new Map<string, ValidateFunction>();
function validator(which: 'ours' | 'upstream', file: string): ValidateFunction {
  const key = `${which}:${file}`;
  let fn = compiled.get(key);
  if (!fn) {
    const schema = readJson(join(which === 'ours' ? ourDir : upstreamDir, file));
    fn = (which === 'ours' ? ours : upstream).compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

function errorsOf(fn: ValidateFunction, doc: unknown): string[] {
  if (fn(doc)) return [];
  return (fn.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ------------------------------------------------------------------ schema walking helpers

type Visit = (node: Json, where: string) => void;
function walkSchema(node: unknown, where: string, visit: Visit): void {
  if (!isJson(node)) return;
  visit(node, where);
  const props = node['properties'];
  if (isJson(props)) for (const [k, v] of Object.entries(props)) walkSchema(v, `${where}.${k}`, visit);
  const defs = node['definitions'];
  if (isJson(defs)) for (const [k, v] of Object.entries(defs)) walkSchema(v, `#/definitions/${k}`, visit);
  walkSchema(node['items'], `${where}[]`, visit);
  walkSchema(node['additionalProperties'], `${where}{}`, visit);
  walkSchema(node['not'], `${where}/not`, visit);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((b, i) => walkSchema(b, `${where}/${key}${i}`, visit));
  }
}

function isObjectType(node: Json): boolean {
  const t = node['type'];
  return t === 'object' || (Array.isArray(t) && t.includes('object'));
}

function resolve(rootSchema: Json, node: Json): Json {
  let cur = node;
  for (let i = 0; i < 10 && typeof cur['$ref'] === 'string'; i++) {
    const ref = cur['$ref'] as string;
    const name = ref.replace(/^#\/definitions\//, '');
    const defs = rootSchema['definitions'];
    const target = isJson(defs) ? defs[name] : undefined;
    if (!isJson(target)) throw new Error(`unresolvable ${ref}`);
    cur = target;
  }
  return cur;
}

// ------------------------------------------------------------------ document helpers

function getAt(doc: unknown, path: PathKey[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') cur = cur[key];
    else if (isJson(cur) && typeof key === 'string') cur = cur[key];
    else return undefined;
  }
  return cur;
}

function withChange(doc: Json, path: PathKey[], change: (parent: Json, key: string) => void): Json {
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isJson(parent) || typeof last !== 'string') throw new Error(`bad path ${path.join('.')}`);
  change(parent, last);
  return copy;
}

const withUnknownField = (doc: Json, objectPath: PathKey[]): Json =>
  withChange(doc, [...objectPath, 'notAFieldUpstream'], (parent, key) => {
    parent[key] = 'x';
  });
const without = (doc: Json, path: PathKey[]): Json =>
  withChange(doc, path, (parent, key) => {
    if (!(key in parent)) throw new Error(`${path.join('.')} is not set in the example`);
    delete parent[key];
  });

// ------------------------------------------------------------------ examples

interface Example {
  /** a manifest as the project would emit it */
  doc: Json;
  /** an object inside spec (two or more levels down) where an unknown field must be rejected */
  deep: PathKey[];
  /** a field that upstream requires: removing it must fail ours and upstream */
  required: PathKey[];
}

/** One example per schema file: test/fixtures/crd-examples/<group>/<kind>_<version>.yaml. */
const examplesDir = join(projectRoot, 'test', 'fixtures', 'crd-examples');
const examples: Record<string, Example> = Object.fromEntries(
  readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.split('\\').join('/').replace(/\.yaml$/, '.json'), parse(readFileSync(join(examplesDir, f), 'utf8')) as Example]),
);

// ------------------------------------------------------------------ tests

describe('schemas/crds: files', () => {
  it('has schema files, each with one example in test/fixtures/crd-examples', () => {
    expect(schemaFiles.length).toBeGreaterThan(30);
    expect(Object.keys(examples).sort()).toEqual(schemaFiles);
  });

  it.each(schemaFiles)('%s is pretty-printed draft-07 for one apiVersion/kind and compiles', (file) => {
    const text = readFileSync(join(ourDir, file), 'utf8');
    const schema = readJson(join(ourDir, file));
    expect(text).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');

    const [group, base] = file.split('/') as [string, string];
    const version = base.replace(/\.json$/, '').split('_')[1];
    const props = schema['properties'] as Json;
    expect(props['apiVersion']).toEqual({ type: 'string', const: `${group}/${version}` });
    const kind = (props['kind'] as Json)['const'];
    expect(typeof kind === 'string' && `${kind.toLowerCase()}_${version}.json`).toBe(base);
    expect(schema['required']).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    expect(schema['additionalProperties']).toBe(false);

    // metadata: name required (DNS-1123 subdomain), nothing unknown
    const metadata = resolve(schema, props['metadata'] as Json);
    expect(metadata['required']).toEqual(['name']);
    expect(metadata['additionalProperties']).toBe(false);

    expect(() => ours.compile(schema)).not.toThrow();
  });

  it.each(schemaFiles)('%s: every object level sets additionalProperties, every $ref is local', (file) => {
    const schema = readJson(join(ourDir, file));
    const problems: string[] = [];
    walkSchema(schema, '', (node, where) => {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        try {
          resolve(schema, node);
        } catch {
          problems.push(`${where}: $ref ${ref} does not resolve inside the file`);
        }
        return;
      }
      if (!isObjectType(node)) return;
      const ap = node['additionalProperties'];
      if (ap === undefined) problems.push(`${where}: additionalProperties not set`);
      else if (node['properties'] !== undefined && ap !== false) problems.push(`${where}: has properties but additionalProperties is not false`);
      else if (ap === true && typeof node['$comment'] !== 'string') problems.push(`${where}: free-form object without a $comment saying why`);
      else if (ap !== true && ap !== false && !isJson(ap)) problems.push(`${where}: additionalProperties is neither boolean nor a schema`);
    });
    expect(problems).toEqual([]);
  });
});

describe('schemas/crds: examples', () => {
  for (const [file, ex] of Object.entries(examples)) {
    describe(file, () => {
      it('the example passes our schema', () => {
        expect(errorsOf(validator('ours', file), ex.doc)).toEqual([]);
      });

      it.skipIf(!hasUpstream || !existsSync(join(upstreamDir, file)))('the example passes the upstream reference schema', () => {
        expect(errorsOf(validator('upstream', file), ex.doc)).toEqual([]);
      });

      it('an unknown field at the top of spec fails', () => {
        expect(errorsOf(validator('ours', file), withUnknownField(ex.doc, ['spec']))).not.toEqual([]);
      });

      it('an unknown field deep inside spec fails', () => {
        expect(isJson(getAt(ex.doc, ex.deep))).toBe(true);
        const errors = errorsOf(validator('ours', file), withUnknownField(ex.doc, ex.deep));
        expect(errors.join('\n')).toContain('notAFieldUpstream');
      });

      it('an unknown metadata field, a bad name or a missing name fails', () => {
        const fn = validator('ours', file);
        expect(errorsOf(fn, withUnknownField(ex.doc, ['metadata']))).not.toEqual([]);
        expect(errorsOf(fn, withChange(ex.doc, ['metadata', 'name'], (p, k) => (p[k] = 'Not_A_DNS_Name')))).not.toEqual([]);
        expect(errorsOf(fn, without(ex.doc, ['metadata', 'name']))).not.toEqual([]);
      });

      it('a wrong apiVersion or kind fails', () => {
        const fn = validator('ours', file);
        expect(errorsOf(fn, withChange(ex.doc, ['apiVersion'], (p, k) => (p[k] = 'example.com/v1')))).not.toEqual([]);
        expect(errorsOf(fn, withChange(ex.doc, ['kind'], (p, k) => (p[k] = 'ConfigMap')))).not.toEqual([]);
      });

      it('a missing required field fails our schema', () => {
        expect(errorsOf(validator('ours', file), without(ex.doc, ex.required))).not.toEqual([]);
      });

      it.skipIf(!hasUpstream || !existsSync(join(upstreamDir, file)))('... and the upstream one too (same required list)', () => {
        expect(errorsOf(validator('upstream', file), without(ex.doc, ex.required))).not.toEqual([]);
      });
    });
  }
});

describe('schemas/crds: targeted strictness', () => {
  const llm = examples['serving.kserve.io/llminferenceservice_v1alpha2.json'];
  const app = examples['argoproj.io/application_v1alpha1.json'];
  const pool = examples['inference.networking.k8s.io/inferencepool_v1.json'];
  const rule = examples['monitoring.coreos.com/prometheusrule_v1.json'];
  if (!llm || !app || !pool || !rule) throw new Error('missing example');

  it('pod spec subset: a pod field outside the subset is rejected, free-form fields stay free', () => {
    const fn = validator('ours', 'serving.kserve.io/llminferenceservice_v1alpha2.json');
    expect(errorsOf(fn, withChange(llm.doc, ['spec', 'template', 'hostNetwork'], (p, k) => (p[k] = true)))).not.toEqual([]);
    const scheduler: PathKey[] = ['spec', 'router', 'scheduler', 'config', 'inline'];
    expect(errorsOf(fn, withUnknownField(llm.doc, scheduler))).toEqual([]);
    // resource quantities are int-or-string with the Kubernetes quantity pattern
    const limits: PathKey[] = ['spec', 'template', 'containers', 0, 'resources', 'limits', 'memory'];
    expect(errorsOf(fn, withChange(llm.doc, limits, (p, k) => (p[k] = 'lots')))).not.toEqual([]);
    expect(errorsOf(fn, withChange(llm.doc, limits, (p, k) => (p[k] = 1.5)))).not.toEqual([]);
  });

  it('Argo CD helm.valuesObject is free-form, helm itself is not', () => {
    const fn = validator('ours', 'argoproj.io/application_v1alpha1.json');
    expect(errorsOf(fn, withUnknownField(app.doc, ['spec', 'source', 'helm', 'valuesObject']))).toEqual([]);
    expect(errorsOf(fn, withUnknownField(app.doc, ['spec', 'source', 'helm']))).not.toEqual([]);
  });

  it('enums are enforced', () => {
    const fn = validator('ours', 'inference.networking.k8s.io/inferencepool_v1.json');
    const mode: PathKey[] = ['spec', 'endpointPickerRef', 'failureMode'];
    expect(errorsOf(fn, withChange(pool.doc, mode, (p, k) => (p[k] = 'FailSometimes')))).not.toEqual([]);
  });

  it('PrometheusRule expr is int-or-string', () => {
    const fn = validator('ours', 'monitoring.coreos.com/prometheusrule_v1.json');
    const expr: PathKey[] = ['spec', 'groups', 0, 'rules', 1, 'expr'];
    expect(errorsOf(fn, withChange(rule.doc, expr, (p, k) => (p[k] = 42)))).toEqual([]);
    expect(errorsOf(fn, withChange(rule.doc, expr, (p, k) => (p[k] = true)))).not.toEqual([]);
  });
});

// ------------------------------------------------------------------ upstream coverage

/** Our nodes that deliberately do not mirror upstream (see schemas/crds/README.md). */
function isDeliberateSubset(node: Json): boolean {
  const comment = node['$comment'];
  if (node['additionalProperties'] === true) return true;
  return typeof comment === 'string' && /strict subset|typed one level deep|embedded ObjectMeta/.test(comment);
}

const COMPARED = ['type', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'];

function compareToUpstream(up: Json, mineRaw: Json, mineRoot: Json, where: string, problems: string[]): void {
  const mine = resolve(mineRoot, mineRaw);
  if (isDeliberateSubset(mine)) return;
  for (const key of COMPARED) {
    if (JSON.stringify(up[key]) !== JSON.stringify(mine[key])) {
      problems.push(`${where}: ${key} upstream ${JSON.stringify(up[key])}, here ${JSON.stringify(mine[key])}`);
    }
  }
  const upRequired = [...((up['required'] as string[] | undefined) ?? [])].sort();
  const myRequired = [...((mine['required'] as string[] | undefined) ?? [])].sort();
  if (JSON.stringify(upRequired) !== JSON.stringify(myRequired)) {
    problems.push(`${where}: required upstream ${JSON.stringify(upRequired)}, here ${JSON.stringify(myRequired)}`);
  }
  const upProps = isJson(up['properties']) ? up['properties'] : {};
  const myProps = isJson(mine['properties']) ? mine['properties'] : {};
  for (const [k, v] of Object.entries(upProps)) {
    const m = myProps[k];
    if (!isJson(m)) problems.push(`${where}.${k}: upstream field missing here`);
    else if (isJson(v)) compareToUpstream(v, m, mineRoot, `${where}.${k}`, problems);
  }
  for (const k of Object.keys(myProps)) if (!(k in upProps)) problems.push(`${where}.${k}: not an upstream field`);
  if (isJson(up['items']) && isJson(mine['items'])) compareToUpstream(up['items'], mine['items'], mineRoot, `${where}[]`, problems);
  const upAp = up['additionalProperties'];
  const myAp = mine['additionalProperties'];
  if (isJson(upAp) && isJson(myAp)) compareToUpstream(upAp, myAp, mineRoot, `${where}{}`, problems);
  else if (isJson(upAp) !== isJson(myAp)) problems.push(`${where}: map in one schema, not in the other`);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const u = up[key];
    const m = mine[key];
    if (Array.isArray(u) !== Array.isArray(m) || (Array.isArray(u) && Array.isArray(m) && u.length !== m.length)) {
      problems.push(`${where}: ${key} differs`);
    }
  }
}

describe.skipIf(!hasUpstream)('schemas/crds: upstream coverage', () => {
  it.each(schemaFiles.filter((f) => existsSync(join(upstreamDir, f)) && !pinnedFiles.has(f)))('%s knows every upstream field with the same type, enum, pattern and required list', (file) => {
    const mine = readJson(join(ourDir, file));
    const up = readJson(join(upstreamDir, file));
    const problems: string[] = [];
    const upProps = up['properties'] as Json;
    const myProps = mine['properties'] as Json;
    for (const [k, v] of Object.entries(upProps)) {
      if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
      const m = myProps[k];
      if (!isJson(m)) problems.push(`${k}: upstream field missing here`);
      else compareToUpstream(v as Json, m, mine, k, problems);
    }
    for (const k of Object.keys(myProps)) if (!(k in upProps)) problems.push(`${k}: not an upstream field`);
    for (const r of (up['required'] as string[] | undefined) ?? []) {
      if (!((mine['required'] as string[]).includes(r))) problems.push(`top level: ${r} required upstream, not here`);
    }
    expect(problems).toEqual([]);
  });
});
