// @ts-check
/**
 * A child process for the concurrency and kill tests (test/commands/render-concurrency.test.ts).
 * Plain JavaScript on the compiled dist/ (kept current by the e2e globalSetup), so a child starts
 * in about 0.1 s instead of 0.6 s through tsx; it runs the same code the CLI runs.
 *   render-child.mjs loop <root> <n> <trees.json>   n real `render` commands (the CLI's main), each
 *     followed by a read of generated/ under the lock that must equal one of the trees in trees.json;
 *     prints `{"renders":n,"failed":k,"mismatches":m}`.
 *   render-child.mjs write <root> <outputs.json>    the real all-environments write (writeGenerated)
 *     of precomputed outputs; prints `writing` just before it starts, so the parent can kill it mid-write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../../dist/scripts/', import.meta.url);
const { projectPaths } = await import(new URL('lib/paths.js', dist).href);
const { withLock } = await import(new URL('lib/render/lock.js', dist).href);
const { readTree, writeGenerated } = await import(new URL('lib/render/write.js', dist).href);

/** @typedef {Record<string, string>} Tree */
const [mode, root, ...rest] = process.argv.slice(2);
const paths = projectPaths(root);

/** @param {string} dir @returns {Tree} */
function treeOf(dir) {
  return Object.fromEntries(readTree(dir));
}

if (mode === 'loop') {
  const n = Number(rest[0]);
  /** @type {Tree[]} */
  const trees = JSON.parse(readFileSync(String(rest[1]), 'utf8'));
  const wanted = new Set(trees.map((t) => JSON.stringify(t)));
  process.env.CATALYST_ROOT = root;
  // Imported here: the write mode starts faster without the whole pipeline.
  const { main } = await import(new URL('cli.js', dist).href);
  let failed = 0;
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const code = await main(['render'], { out: () => true, err: (/** @type {string} */ s) => process.stderr.write(s) });
    if (code !== 0) failed += 1;
    const now = withLock(paths.generated, () => JSON.stringify(treeOf(paths.generated)));
    if (!wanted.has(now)) mismatches += 1;
  }
  process.stdout.write(`${JSON.stringify({ renders: n, failed, mismatches })}\n`);
} else if (mode === 'write') {
  /** @type {{ env: string; files: [string, string][] }[]} */
  const raw = JSON.parse(readFileSync(String(rest[0]), 'utf8'));
  const outputs = raw.map((o) => ({ env: o.env, files: new Map(o.files) }));
  process.stdout.write('writing\n');
  writeGenerated(join(paths.generated), outputs, true);
  process.stdout.write('done\n');
}
