/**
 * Results that are a pure function of what they read, kept by content: the `render` and
 * `check` commands (commands/render-command.ts, commands/check-command.ts) and each
 * environment's rendered files (render/env-cache.ts).
 * A stamp is a sha256 over the code that runs (every file of dist/scripts, or of scripts/ when
 * run from source, and package-lock.json), the node version, the variables that steer the tool
 * (CATALYST_*, KUSTOMIZE, HELM*, PATH) and every byte of the project folders the command reads;
 * `check` adds the tools and charts (check-cache.ts). A run with nothing changed reuses the
 * stored result without loading the rendering or checking code.
 * Results live in `<cache>/<kind>/<key>.json` (cache-dir.ts); the newest few are kept.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir.ts';
import { readJsonEntry, writeEntry } from './cache-entry.ts';
import { hashTree } from './fs/tree-hash.ts';
import { exactJson } from './json-exact.ts';
import { ROOT, type ProjectPaths } from './paths.ts';

export type ResultKind = 'check' | 'render' | 'env' | 'env-check';
/** How many results of a kind are kept (the oldest are removed): one per env for a fleet of 100. */
const KEEP: Record<ResultKind, number> = { check: 16, render: 16, env: 200, 'env-check': 200 };
/** The code that runs: dist/scripts (compiled) or scripts (tsx), one level above this file. */
const CODE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Project folders by the name used in the stamp. */
export type ProjectDir = 'environments' | 'apps' | 'base' | 'overlays' | 'schemas' | 'generated';

let code: string | undefined;

/** The code that runs and its locked dependencies, hashed once per process (it does not change under it). */
function codeDigest(): string {
  if (code === undefined) {
    const h = createHash('sha256');
    hashTree(h, CODE_DIR, 'code/');
    try {
      h.update(readFileSync(join(ROOT, 'package-lock.json')));
    } catch {
      h.update('no lock');
    }
    code = h.digest('hex');
  }
  return code;
}

/** A hash started with the code, the node version, the steering variables and these project folders. */
export function stampOf(kind: ResultKind, paths: ProjectPaths, dirs: readonly ProjectDir[], extra: string): Hash {
  const h = createHash('sha256');
  h.update(`${kind} v1\0node ${process.version}\0${extra}\0`);
  const vars = Object.keys(process.env).filter((k) => k.startsWith('CATALYST_') || k.startsWith('HELM') || k === 'KUSTOMIZE' || k === 'PATH');
  for (const k of vars.sort()) h.update(`${k}=${process.env[k]}\0`);
  h.update(codeDigest()).update('\0');
  for (const d of dirs) hashTree(h, paths[d], `${d}/`);
  return h;
}

/** Whether results may be reused: CATALYST_NO_CACHE turns every cache off, CATALYST_REUSE_RESULTS=0 this one. */
export const resultsCached = (): boolean => !process.env.CATALYST_NO_CACHE && process.env.CATALYST_REUSE_RESULTS !== '0';

export function loadResult<T>(kind: ResultKind, key: string): T | undefined {
  return readJsonEntry<T>(join(cacheDir(kind), `${key}.json`), key);
}

/** Kept only when it reads back exactly (json-exact.ts); otherwise computed again next time. */
export function saveResult(kind: ResultKind, key: string, result: unknown): void {
  const json = exactJson(result);
  if (json === undefined) return;
  const dir = cacheDir(kind);
  writeEntry(join(dir, `${key}.json`), key, json);
  try {
    const kept = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const old of kept.slice(KEEP[kind])) rmSync(join(dir, old.f), { force: true });
  } catch {
    // A read-only or concurrently pruned cache only costs time.
  }
}
