/**
 * Parsing and re-serializing every rendered template is a third of a render's time, and for an
 * unchanged config the template output is the same text every run. Canonical results are kept
 * in a content-addressed cache (`node_modules/.cache/catalyst/yaml/<sha256>.json`), keyed by the
 * rendered text, the yaml package's version and the normalizer's own code, so a change to any of
 * them is a miss. Only clean results are cached (findings are always computed), and only those
 * that survive JSON (no infinities or NaN).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../cache-dir.ts';

export interface Normalized {
  text: string;
  objects: unknown[];
}

let salt: string | undefined;

/** What else the result depends on: the yaml version and the normalizer's source. */
function cacheSalt(normalizerUrl: string): string {
  if (salt === undefined) {
    const req = createRequire(import.meta.url);
    const yamlVersion = (JSON.parse(readFileSync(req.resolve('yaml/package.json'), 'utf8')) as { version: string }).version;
    salt = `yaml ${yamlVersion}\0${readFileSync(fileURLToPath(normalizerUrl), 'utf8')}\0`;
  }
  return salt;
}

const dir = (): string => cacheDir('yaml');

function keyOf(text: string, normalizerUrl: string): string {
  return createHash('sha256').update(cacheSalt(normalizerUrl)).update(text).digest('hex');
}

export function cachedNormalized(text: string, normalizerUrl: string): Normalized | undefined {
  if (process.env.CATALYST_NO_CACHE) return undefined;
  try {
    return JSON.parse(readFileSync(join(dir(), `${keyOf(text, normalizerUrl)}.json`), 'utf8')) as Normalized;
  } catch {
    return undefined;
  }
}

export function saveNormalized(text: string, normalizerUrl: string, result: Normalized): void {
  if (process.env.CATALYST_NO_CACHE) return;
  let exact = true;
  const json = JSON.stringify(result, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
    return v;
  });
  if (!exact) return;
  try {
    mkdirSync(dir(), { recursive: true });
    const key = keyOf(text, normalizerUrl);
    const tmp = join(dir(), `.${key}.${process.pid}.tmp`);
    writeFileSync(tmp, json);
    renameSync(tmp, join(dir(), `${key}.json`));
  } catch {
    // A read-only node_modules: no cache.
  }
}
