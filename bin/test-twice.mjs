#!/usr/bin/env node
/**
 * Two test runs at once, as on a shared CI machine or a developer's laptop next to a watcher:
 * `npm run test:twice [-- --stale-dist] [vitest args...]` starts two `npm test` (bin/test.mjs)
 * with the same arguments at the same moment and passes only when both pass. `--stale-dist`
 * first removes dist/sources.json, so both runs find dist/ stale and race to build it (the e2e
 * globalSetup builds it once under a lock, test/helpers/global-setup.ts). What the runs share:
 * dist/, the tool caches under node_modules/.cache (content-addressed, written by rename), the
 * typecheck's state (a copy per run, bin/test.mjs); every project a test writes is a temp folder
 * of its own and every listener takes a free port.
 *
 *   npm run test:twice -- --stale-dist test/commands/launcher.test.ts test/tools test/commands/result-cache.test.ts
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2).filter((a) => a !== '--stale-dist');
if (process.argv.includes('--stale-dist')) rmSync(join(root, 'dist', 'sources.json'), { force: true });

// Each run's output as it comes, to follow a long pair: node_modules/.cache/catalyst-gitops/test-twice-<n>.log
const logDir = join(root, 'node_modules', '.cache', 'catalyst-gitops');
mkdirSync(logDir, { recursive: true });

function run(n) {
  const started = performance.now();
  const log = createWriteStream(join(logDir, `test-twice-${n}.log`));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/test.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d) => {
      out += d;
      log.write(d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code, signal) => {
      log.end();
      resolve({ n, code: code ?? (signal ? 1 : 0), out, secs: (performance.now() - started) / 1000 });
    });
  });
}

const runs = await Promise.all([run(1), run(2)]);
for (const r of runs) {
  const tail = r.out.trimEnd().split('\n').slice(-12).join('\n');
  process.stdout.write(`--- run ${r.n}: exit ${r.code} in ${r.secs.toFixed(0)} s\n${r.code ? r.out : tail}\n`);
}
const failed = runs.filter((r) => r.code !== 0).length;
process.stdout.write(`test:twice: ${failed ? `${failed} of 2 runs failed` : 'both runs passed'}\n`);
process.exitCode = failed ? 1 : 0;
