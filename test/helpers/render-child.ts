/**
 * A child process for the concurrency and kill tests (test/commands/render-concurrency.test.ts).
 *   render-child.ts loop <root> <n> <trees.json>   n real `render` commands (the CLI's main), each
 *     followed by a read of generated/ under the lock that must equal one of the trees in trees.json;
 *     prints `{"renders":n,"failed":k,"mismatches":m}`.
 *   render-child.ts write <root> <outputs.json>    the real all-environments write (writeGenerated)
 *     of precomputed outputs; prints `writing` just before it starts, so the parent can kill it mid-write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPaths } from '../../scripts/lib/paths.ts';
import { withLock } from '../../scripts/lib/render/lock.ts';
import { readTree, writeGenerated } from '../../scripts/lib/render/write.ts';

type Tree = Record<string, string>;
const [mode, root, ...rest] = process.argv.slice(2);
const paths = projectPaths(root);

function treeOf(dir: string): Tree {
  return Object.fromEntries(readTree(dir));
}

if (mode === 'loop') {
  const n = Number(rest[0]);
  const trees = JSON.parse(readFileSync(rest[1]!, 'utf8')) as Tree[];
  const wanted = new Set(trees.map((t) => JSON.stringify(t)));
  process.env.CATALYST_ROOT = root;
  // Imported here: the write mode starts faster without the whole pipeline.
  const { main } = await import('../../scripts/cli.ts');
  let failed = 0;
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const code = await main(['render'], { out: () => true, err: (s) => process.stderr.write(s) });
    if (code !== 0) failed += 1;
    const now = withLock(paths.generated, () => JSON.stringify(treeOf(paths.generated)));
    if (!wanted.has(now)) mismatches += 1;
  }
  process.stdout.write(`${JSON.stringify({ renders: n, failed, mismatches })}\n`);
} else if (mode === 'write') {
  const outputs = (JSON.parse(readFileSync(rest[0]!, 'utf8')) as { env: string; files: [string, string][] }[]).map((o) => ({ env: o.env, files: new Map(o.files) }));
  process.stdout.write('writing\n');
  writeGenerated(join(paths.generated), outputs, true);
  process.stdout.write('done\n');
}
