#!/usr/bin/env node
/**
 * Whether dist/ was compiled from the sources as they are now, decided by content: `build` hashes
 * every scripts/**.ts (SHA-1: a guard against stale builds, not adversaries), compiles (tsc -p tsconfig.build.json) and records the hashes it
 * took before compiling in dist/sources.json; `staleSource` hashes them again and names the first
 * source that differs, is new, or was removed. A checkout or `touch -d` that leaves a changed file
 * with an old mtime is still seen; a source edited while tsc runs is recorded with its old hash,
 * so the next start sees it too. About 200 files, 1.4 MB: about twice the cost of the stat walk it replaces (which an old mtime fooled).
 *
 *   node bin/dist-sources.mjs build    (npm run build)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP = 'dist/sources.json';

/** SHA-1 of each source under `dir` (project-relative paths, sorted). */
export function sourceDigests(root, dir = 'scripts') {
  const out = {};
  const walk = (rel) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out[r] = createHash('sha1').update(readFileSync(join(root, r))).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Why dist/ does not match the sources (e.g. `scripts/cli.ts changed since the build`), or undefined when it does. */
export function staleSource(root) {
  const stampFile = join(root, STAMP);
  if (!existsSync(join(root, 'dist', 'scripts', 'cli.js'))) return 'dist/ is not built';
  if (!existsSync(stampFile)) return `dist/ has no ${STAMP} (it was not built by npm run build)`;
  let built;
  try {
    built = JSON.parse(readFileSync(stampFile, 'utf8')).files ?? {};
  } catch {
    return `${STAMP} is not readable`;
  }
  const now = sourceDigests(root);
  for (const [file, digest] of Object.entries(now)) {
    if (!(file in built)) return `${file} is newer than dist/ (not in the build)`;
    if (built[file] !== digest) return `${file} changed since dist/ was built`;
  }
  for (const file of Object.keys(built)) if (!(file in now)) return `${file} was removed since dist/ was built`;
  return undefined;
}

/** Hash the sources, compile, then record the hashes taken before compiling. Returns tsc's exit status. */
export function build(root) {
  const files = sourceDigests(root);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, STAMP), `${JSON.stringify({ files }, null, 1)}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === 'build') {
  process.exitCode = build(dirname(dirname(fileURLToPath(import.meta.url))));
}
