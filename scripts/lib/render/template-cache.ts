/**
 * Compiling the Handlebars templates is most of what is left of a render once YAML is cached,
 * and templates rarely change. Precompiled templates (Handlebars' own `precompile` output, the
 * same code `compile` builds) are kept in a content-addressed cache
 * (`node_modules/.cache/catalyst/hbs/<sha256>.js`, keyed by the template text, the options and
 * the handlebars version); a miss compiles and saves.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir } from '../cache-dir.ts';

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
  try {
    return readFileSync(join(dir(), `${key}.js`), 'utf8');
  } catch {
    return undefined;
  }
}

export function saveSpec(key: string, spec: string): void {
  if (process.env.CATALYST_NO_CACHE) return;
  try {
    mkdirSync(dir(), { recursive: true });
    const tmp = join(dir(), `.${key}.${process.pid}.tmp`);
    writeFileSync(tmp, spec);
    renameSync(tmp, join(dir(), `${key}.js`));
  } catch {
    // A read-only node_modules: no cache.
  }
}
