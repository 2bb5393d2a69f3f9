/**
 * JSON Schema validation of config files with ajv (2020-12, all errors, strict),
 * turning ajv's errors into findings that point at the YAML key or value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Finding } from '../findings.ts';
import { maskCredentials } from '../credentials.ts';
import { nearest } from '../suggest.ts';
import { completeComponentKeys, schemaFiles, TOGGLE_REF } from './schema-files.ts';
import { COMPONENTS_DIR } from '../paths.ts';
import { FORMATS_CODE, loadCompiled, saveCompiled, schemaKey } from './compiled-schemas.ts';
import { escapePointer, positionOf, printable, type YamlSource } from './yaml-source.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true } as const;

/** Compiled validators for every schema under schemas/ (not schemas/crds) and apps/<name>/settings.schema.json, by $id. */
export class ConfigSchemas {
  private ajv: Ajv2020 | undefined;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly schemas: object[];
  private readonly key: string;
  private compiled: Record<string, ValidateFunction> | undefined;

  /**
   * `components`: settings schemas ($ref) of catalog components the environment schema does not
   * list by name (an MCP server component declared only as data: config/mcp-facts.ts), added to
   * its `components` so an env may configure them; the cache key covers them.
   */
  constructor(schemaDir: string, components: Record<string, string> = {}) {
    const texts = listSchemaFiles(schemaDir).map((f) => readFileSync(f, 'utf8'));
    this.schemas = texts.map((t) => JSON.parse(t) as object);
    // Components the caller names (MCP servers declared as data) get their settings schema first;
    // then every other component folder the environment schema does not list gets its key
    // (schema-files.ts): its own settings schema, or the on/off toggle.
    const props = envComponentProps(this.schemas);
    const added = Object.entries(components).filter(([name]) => props && !Object.hasOwn(props, name));
    for (const [name, ref] of added) props![name] = { $ref: ref };
    const env = this.schemas.find((s) => (s as { $id?: unknown }).$id === 'environment.schema.json');
    const completed = env ? completeComponentKeys(env as Record<string, unknown>, schemaDir) : [];
    this.toggleOnly = new Set(completed.filter((name) => (props?.[name] as { $ref?: unknown } | undefined)?.$ref === TOGGLE_REF));
    this.key = schemaKey([...texts, `components ${completed.join(',')}`, ...(added.length ? [JSON.stringify(added)] : [])], AJV_OPTIONS);
    this.compiled = loadCompiled(this.key);
  }

  /** Component folders the environment schema did not list and that have no settings schema: they got the on/off toggle. */
  readonly toggleOnly: ReadonlySet<string>;

  /** The component names the environment schema lists under `components`. */
  componentNames(): string[] {
    return Object.keys(envComponentProps(this.schemas) ?? {});
  }

  /** The defaults environment.schema.json declares for `cluster` settings (a copy), filled in where an environment sets none. */
  clusterDefaults(): Record<string, unknown> {
    const env = this.schemas.find((x) => (x as { $id?: string }).$id === 'environment.schema.json') as { properties?: { cluster?: { properties?: Record<string, { default?: unknown }> } } } | undefined;
    const props = env?.properties?.cluster?.properties ?? {};
    return Object.fromEntries(Object.entries(props).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, structuredClone(p.default)]));
  }

  /** Compile everything (a cache miss), and save it for the next run. */
  private compileAll(): Ajv2020 {
    const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, formats: FORMATS_CODE } });
    addFormats(ajv);
    for (const s of this.schemas) ajv.addSchema(s);
    for (const s of this.schemas) ajv.getSchema((s as { $id: string }).$id);
    saveCompiled(this.key, ajv);
    return ajv;
  }

  validator(id: string): ValidateFunction {
    let v = this.cache.get(id) ?? this.compiled?.[id];
    if (!v) {
      this.ajv ??= this.compileAll();
      const found = this.ajv.getSchema(id);
      if (!found) throw new Error(`schema ${id} is not loaded`);
      v = found;
    }
    this.cache.set(id, v);
    return v;
  }

  /** Validate data; errors become findings located through `locate`. */
  validate(id: string, data: unknown, locate: Locate): Finding[] {
    const v = this.validator(id);
    if (v(data)) return [];
    const errors = v.errors ?? [];
    // A bad key gives a precise error (with propertyName) and a summary; keep the precise one.
    const precise = new Set(errors.filter((e) => e.propertyName !== undefined).map((e) => `${e.instancePath}\0${e.propertyName}`));
    const summary = (e: ErrorObject): boolean =>
      e.keyword === 'propertyNames' && precise.has(`${e.instancePath}\0${String((e.params as { propertyName?: unknown }).propertyName)}`);
    return dedupe(errors.filter((e) => keep(e) && !summary(e)).map((e) => toFinding(e, locate)));
  }
}

/** environment.schema.json's `components.properties`. */
function envComponentProps(schemas: object[]): Record<string, object> | undefined {
  const env = schemas.find((x) => (x as { $id?: string }).$id === 'environment.schema.json') as { properties?: { components?: { properties?: Record<string, object> } } } | undefined;
  return env?.properties?.components?.properties;
}

/** Finds the file, line and column for a JSON pointer (`key` = point at the mapping key). */
export type Locate = (pointer: string, key: boolean) => { file: string; line: number; col: number };

/** A locator over one YAML source, with an optional pointer prefix to strip. */
export function locateIn(src: YamlSource): Locate {
  return (pointer, key) => {
    const p = positionOf(src, pointer, key);
    return { file: src.file, line: p.line, col: p.col };
  };
}

function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (relative(dir, p) !== 'crds') walk(p);
      } else if (e.name.endsWith('.schema.json')) out.push(p);
    }
  };
  walk(dir);
  // The components' own settings schemas, in their folders (apps/<name>/settings.schema.json).
  for (const f of schemaFiles(dir)) if (f.shown.startsWith(`${COMPONENTS_DIR}/`)) out.push(f.abs);
  return out.sort();
}

/** Drop ajv's summary errors that only repeat what a more precise error says. */
function keep(e: ErrorObject): boolean {
  return e.keyword !== 'if' && e.keyword !== 'allOf';
}

function describe(e: ErrorObject): string | undefined {
  const ps = e.parentSchema as { description?: string } | undefined;
  return ps?.description;
}

function toFinding(e: ErrorObject, locate: Locate): Finding {
  let path = e.instancePath;
  let key = false;
  let message: string;
  const p = e.params as Record<string, unknown>;
  // An error about a key (inside propertyNames) points at that key and says so.
  const ofKey = e.propertyName !== undefined && e.keyword !== 'propertyNames';
  if (ofKey) {
    path = `${path}/${escapePointer(String(e.propertyName))}`;
    key = true;
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      path = `${path}/${escapePointer(String(p.additionalProperty))}`;
      key = true;
      const allowed = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      const near = nearest(String(p.additionalProperty), allowed);
      message = `unknown key ${show(p.additionalProperty)}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : '') + (near !== undefined ? `; did you mean "${near}"?` : '');
      break;
    }
    case 'propertyNames':
      path = `${path}/${escapePointer(String(p.propertyName))}`;
      key = true;
      message = `key ${show(p.propertyName)} is not allowed here`;
      break;
    case 'required':
      message = `is missing required key "${String(p.missingProperty)}"`;
      break;
    case 'enum':
      message = `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'pattern': {
      // Only a description that states the rule ("must be ...") explains a pattern; documentation text does not.
      const d = /^must\b/.test(describe(e) ?? '') ? describe(e) : undefined;
      message = `${show(e.data)} is not valid: ${d ?? `must match ${String(p.pattern)}`}`;
      break;
    }
    case 'not': {
      const d = describe(e);
      message = `${show(e.data)} is not allowed${d ? `: ${d}` : ''}`;
      break;
    }
    case 'type':
      message = `must be ${String(p.type)}, found ${jsonType(e.data)}`;
      break;
    default:
      message = e.message ?? `fails ${e.keyword}`;
  }
  if (ofKey && e.keyword !== 'pattern') message = `key ${show(e.propertyName)} ${message}`;
  else if (ofKey) message = `key ${message}`;
  const at = locate(path, key);
  // The path may hold keys from the file: print it without control, bidi or zero-width characters.
  return { file: at.file, line: at.line, col: at.col, path: printable(path, 200) || '/', message };
}

/** A value from the file for a message: JSON-quoted, unprintable characters escaped, long text cut, credentials masked. */
function show(value: unknown): string {
  if (typeof value !== 'string') return printable(JSON.stringify(value) ?? String(value), 200);
  const v = maskCredentials(value);
  const cut = v.length > 100;
  const body = printable(JSON.stringify(cut ? v.slice(0, 100) : v).slice(1, -1), Infinity);
  return cut ? `"${body}..." (${v.length} characters)` : `"${body}"`;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}


function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.file}:${f.line}:${f.col}:${f.path}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
