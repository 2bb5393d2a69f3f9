/**
 * Compiling the config schemas is a fifth of a render's time, and they rarely change. The
 * validators are compiled once into ajv's standalone code and kept in a content-addressed cache
 * (`node_modules/.cache/catalyst/ajv/<sha256>.cjs`, keyed by every schema's text, ajv's version
 * and the options), so later runs load compiled code instead of compiling. Any change to a schema
 * is a new key; a missing or unreadable cache just compiles.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _, type Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { ROOT } from '../paths.ts';

const standaloneCode = standaloneModule as unknown as (ajv: Ajv2020) => string;

/** The formats ajv-formats provides, for standalone code that uses a `format` keyword. */
export const FORMATS_CODE = _`require("ajv-formats/dist/formats").fullFormats`;

export function cacheDir(): string {
  return join(ROOT, 'node_modules', '.cache', 'catalyst', 'ajv');
}

export function schemaKey(texts: string[], options: object): string {
  const req = createRequire(import.meta.url);
  const ajvVersion = (JSON.parse(readFileSync(req.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  const h = createHash('sha256').update(`ajv ${ajvVersion}\0${JSON.stringify(options)}\0`);
  for (const t of texts) h.update(t).update('\0');
  return h.digest('hex');
}

/** Validators by schema $id from the cache, or undefined when not cached. */
export function loadCompiled(key: string): Record<string, ValidateFunction> | undefined {
  const file = join(cacheDir(), `${key}.cjs`);
  if (process.env.CATALYST_NO_CACHE || !existsSync(file)) return undefined;
  try {
    return createRequire(file)(file) as Record<string, ValidateFunction>;
  } catch {
    return undefined;
  }
}

/** Write every schema of `ajv` (created with `code: { source: true }`) as standalone code. */
export function saveCompiled(key: string, ajv: Ajv2020): void {
  if (process.env.CATALYST_NO_CACHE) return;
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${key}.${process.pid}.tmp`);
    writeFileSync(tmp, standaloneCode(ajv));
    renameSync(tmp, join(dir, `${key}.cjs`));
  } catch {
    // A read-only node_modules: the next run compiles again.
  }
}
