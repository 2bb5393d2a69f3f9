/**
 * Compiling the config schemas is a fifth of a render's time, and they rarely change. The
 * validators are compiled once into ajv's standalone code and kept in a content-addressed cache
 * (`<cache>/ajv/<sha256>.cjs`, see cache-dir.ts, keyed by every schema's text, ajv's version
 * and the options), so later runs load compiled code instead of compiling. Any change to a schema
 * is a new key; a missing or unreadable cache just compiles. The code is evaluated only once the
 * entry passed its check (cache-entry.ts: its inputs and content digests); a failed entry compiles.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _, type Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { cacheDir } from '../cache-dir.ts';
import { readEntry, writeEntry } from '../cache-entry.ts';

const standaloneCode = standaloneModule as unknown as (ajv: Ajv2020, fn?: ValidateFunction) => string;

/** The formats ajv-formats provides, for standalone code that uses a `format` keyword. */
export const FORMATS_CODE = _`require("ajv-formats/dist/formats").fullFormats`;

const ajvCacheDir = (): string => cacheDir('ajv');

let ajvVersion: string | undefined;
const toolRequire = createRequire(import.meta.url);

export function schemaKey(texts: string[], options: object): string {
  ajvVersion ??= (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  const h = createHash('sha256').update(`ajv ${ajvVersion}\0${JSON.stringify(options)}\0`);
  for (const t of texts) h.update(t).update('\0');
  return h.digest('hex');
}

/** Validators by schema $id from the cache, or undefined when not cached. */
export function loadCompiled(key: string): Record<string, ValidateFunction> | undefined {
  if (process.env.CATALYST_NO_CACHE) return undefined;
  const code = readEntry(join(ajvCacheDir(), `${key}.cjs`), key);
  if (code === undefined) return undefined;
  try {
    // Evaluated with this module's require: the code needs ajv's runtime and ajv-formats, which a
    // cache outside the tool (CATALYST_CACHE_DIR) could not resolve from its own folder.
    const mod = { exports: {} as Record<string, ValidateFunction> };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- our own generated code, checked against its digests
    new Function('module', 'exports', 'require', code)(mod, mod.exports, toolRequire);
    return mod.exports;
  } catch {
    return undefined;
  }
}

/** Write every schema of `ajv` (created with `code: { source: true }`) as standalone code. */
export function saveCompiled(key: string, ajv: Ajv2020): void {
  writeCached(key, () => standaloneCode(ajv));
}

function writeCached(key: string, code: () => string): void {
  if (process.env.CATALYST_NO_CACHE) return;
  writeEntry(join(ajvCacheDir(), `${key}.cjs`), key, code());
}

/** An ajv instance of either draft that can emit standalone code. */
interface SourceAjv {
  compile(schema: object): ValidateFunction;
}

/**
 * One validator from the cache, else compiled by `ajv` (created with `code: { source: true }`)
 * and saved as standalone code for the next run. `options` is whatever else shapes the code
 * (the ajv options, and a version of `prepare`, a transform applied to the parsed schema before
 * compiling); the key also covers ajv's version and the schema text.
 */
export function compileCached(ajv: SourceAjv, schemaText: string, options: object, prepare: (schema: never) => unknown = (s) => s): ValidateFunction {
  const key = schemaKey([schemaText], options);
  const hit = loadCompiled(key) as unknown;
  if (typeof hit === 'function') return hit as ValidateFunction;
  const fn = ajv.compile(prepare(JSON.parse(schemaText) as never) as object);
  writeCached(key, () => standaloneCode(ajv as unknown as Ajv2020, fn));
  return fn;
}
