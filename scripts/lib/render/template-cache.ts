/**
 * Compiling the Handlebars templates is most of what is left of a render once YAML is cached,
 * and templates rarely change. Precompiled templates (Handlebars' own `precompile` output, the
 * same code `compile` builds) are kept in a content-addressed cache
 * (`node_modules/.cache/catalyst/hbs/<sha256>.js`, keyed by the template text, the options and
 * the handlebars version); a miss compiles and saves. A spec is code: it is returned (and then
 * evaluated) only once its entry passed its check (cache-entry.ts); a failed entry compiles again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir } from '../cache-dir.ts';
import { readEntry, writeEntry } from '../cache-entry.ts';

let version: string | undefined;

function handlebarsVersion(): string {
  if (version === undefined) {
    const req = createRequire(import.meta.url);
    version = (JSON.parse(readFileSync(req.resolve('handlebars/package.json'), 'utf8')) as { version: string }).version;
  }
  return version;
}

const dir = (): string => cacheDir('hbs');

export function templateKey(text: string, options: object): string {
  return createHash('sha256').update(`handlebars ${handlebarsVersion()}\0${JSON.stringify(options)}\0`).update(text).digest('hex');
}

/** The precompiled template spec (JavaScript source of an object), or undefined. */
export function cachedSpec(key: string): string | undefined {
  if (process.env.CATALYST_NO_CACHE) return undefined;
  return readEntry(join(dir(), `${key}.js`), key);
}

export function saveSpec(key: string, spec: string): void {
  if (process.env.CATALYST_NO_CACHE) return;
  writeEntry(join(dir(), `${key}.js`), key, spec);
}
