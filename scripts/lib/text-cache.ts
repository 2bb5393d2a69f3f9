/**
 * Results computed from a text by a module, kept by content: the key is sha256 over the text,
 * the yaml package's version and the module's own source (`moduleUrl`), so a change to any of
 * them is a miss. Used for the canonical form of rendered templates (render/yaml-out.ts) and the
 * data of config files (config/yaml-file.ts): parsing YAML is most of their cost, and for
 * an unchanged file the result is the same every run. Only results that survive JSON exactly are
 * kept (no infinities, NaN or -0). Files in `<cache>/yaml/<sha256>.json` (cache-dir.ts), each checked
 * on read (cache-entry.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir.ts';
import { readJsonEntry, writeEntry } from './cache-entry.ts';
import { exactJson } from './json-exact.ts';

const salts = new Map<string, string>();

/** What else a result depends on: the yaml version and the source of the module computing it. */
function saltOf(moduleUrl: string): string {
  let salt = salts.get(moduleUrl);
  if (salt === undefined) {
    const req = createRequire(import.meta.url);
    const yamlVersion = (JSON.parse(readFileSync(req.resolve('yaml/package.json'), 'utf8')) as { version: string }).version;
    salt = `yaml ${yamlVersion}\0${readFileSync(fileURLToPath(moduleUrl), 'utf8')}\0`;
    salts.set(moduleUrl, salt);
  }
  return salt;
}

const dir = (): string => cacheDir('yaml');

function keyOf(text: string, moduleUrl: string): string {
  return createHash('sha256').update(saltOf(moduleUrl)).update(text).digest('hex');
}

export function cachedFromText<T>(text: string, moduleUrl: string): T | undefined {
  if (process.env.CATALYST_NO_CACHE) return undefined;
  const key = keyOf(text, moduleUrl);
  return readJsonEntry<T>(join(dir(), `${key}.json`), key);
}

export function saveFromText(text: string, moduleUrl: string, result: unknown): void {
  if (process.env.CATALYST_NO_CACHE) return;
  const json = exactJson(result);
  if (json === undefined) return;
  const key = keyOf(text, moduleUrl);
  writeEntry(join(dir(), `${key}.json`), key, json);
}
