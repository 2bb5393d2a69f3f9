/**
 * vitest globalSetup of the e2e project: the tests that start the CLI as a child process run the
 * compiled dist/ (bin/catalyst.mjs, as CI and users do), not the sources through tsx. When dist/
 * is stale (an edit since the last build; `npm ci` builds it through `prepare`), this builds it
 * once, before any test; bin/catalyst.mjs's own check decides what is stale.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';

/** The launcher's note on stderr when it would run the sources ('' when dist/ is current). */
function staleNote(): string {
  const env = { ...process.env };
  delete env.CATALYST_FROM_SOURCE;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/catalyst.mjs'), '--help'], { cwd: ROOT, env, encoding: 'utf8' });
  return /running from source/.test(r.stderr) ? r.stderr.trim() : '';
}

export default function setup(): void {
  const note = staleNote();
  if (!note) return;
  process.stderr.write(`globalSetup: ${note}; building dist/ once (npm run build)\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/dist-sources.mjs'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: the CLI tests need a current dist/');
  const after = staleNote();
  if (after) throw new Error(`dist/ is still stale after the build: ${after}`);
}
