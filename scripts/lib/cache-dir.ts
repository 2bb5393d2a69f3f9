/**
 * Where the tool keeps its caches: `$CATALYST_CACHE_DIR/<what>` when set, else
 * `node_modules/.cache/catalyst/<what>` next to this tool. Every cache is content-addressed
 * (a changed input is a new key), so deleting the folder only costs time.
 */
import { join, resolve } from 'node:path';
import { ROOT } from './paths.ts';

export type CacheKind = 'ajv' | 'charts' | 'check' | 'env' | 'env-check' | 'hbs' | 'kustomize' | 'render' | 'yaml';

export function cacheDir(what: CacheKind): string {
  const base = process.env.CATALYST_CACHE_DIR;
  return base ? resolve(base, what) : join(ROOT, 'node_modules', '.cache', 'catalyst', what);
}
