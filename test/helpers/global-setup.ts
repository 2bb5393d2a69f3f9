/**
 * vitest globalSetup of the e2e project: the tests that start the CLI as a child process run the
 * compiled dist/ (bin/catalyst.mjs, as CI and users do), not the sources through tsx. When dist/
 * is stale (an edit since the last build; `npm ci` builds it through `prepare`), this builds it
 * once, before any test; bin/catalyst.mjs's own check decides what is stale.
 *
 * Two test runs at once (two `npm test`, or a developer's next to CI's) share dist/: the decision
 * and the build are made holding one lock (render/lock.ts, a folder under node_modules/.cache), so
 * the second run waits, then finds dist/ current, and never rewrites the files the first run's CLI
 * children are importing (tsc writes them in place).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';
import { withLock } from '../../scripts/lib/render/lock.ts';

/** The lock of dist/ builds by the test runs: `node_modules/.cache/catalyst-gitops/.dist.lock`. */
export const DIST_LOCK_DIR = join(ROOT, 'node_modules', '.cache', 'catalyst-gitops', 'dist');

/** The launcher's note on stderr when it would run the sources ('' when dist/ is current). */
function staleNote(): string {
  const env = { ...process.env };
  delete env.CATALYST_FROM_SOURCE;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/catalyst.mjs'), '--help'], { cwd: ROOT, env, encoding: 'utf8' });
  return /running from source/.test(r.stderr) ? r.stderr.trim() : '';
}

export default function setup(): void {
  mkdirSync(join(DIST_LOCK_DIR, '..'), { recursive: true });
  withLock(DIST_LOCK_DIR, buildIfStale);
}

function buildIfStale(): void {
  const note = staleNote();
  if (!note) return;
  process.stderr.write(`globalSetup: ${note}; building dist/ once (npm run build)\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/dist-sources.mjs'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: the CLI tests need a current dist/');
  const after = staleNote();
  if (after) throw new Error(`dist/ is still stale after the build: ${after}`);
}
