#!/usr/bin/env node
/**
 * `npm test`: the typecheck (`tsc --noEmit`, incremental) and the suite (`vitest run`, arguments
 * passed on) side by side, so the typecheck's time hides behind the suite's; exit 1 when either
 * fails, tsc's output printed after the suite's.
 *
 * tsc's incremental state is per run: a copy of the shared
 * `node_modules/.cache/catalyst-gitops/tsc-test.tsbuildinfo` that replaces it (one rename) only
 * after a clean typecheck. Two runs at once never write one file together, and a failed or killed
 * typecheck never leaves its state for the next run.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(root, 'node_modules', '.cache', 'catalyst-gitops');
const shared = join(dir, 'tsc-test.tsbuildinfo');
const mine = join(dir, `tsc-test.${process.pid}.tsbuildinfo`);

function run(args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

mkdirSync(dir, { recursive: true });
try {
  copyFileSync(shared, mine);
} catch {
  // no state yet: a full typecheck
}
const started = performance.now();
const typecheck = run([join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--incremental', '--tsBuildInfoFile', mine], true).then((r) => ({ ...r, secs: (performance.now() - started) / 1000 }));
const suite = await run([join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], false);
const tsc = await typecheck;
try {
  if (tsc.code === 0) renameSync(mine, shared);
  else rmSync(mine, { force: true });
} catch {
  // tsc wrote no state: nothing to keep
}
process.stderr.write(tsc.code === 0 ? `typecheck: tsc --noEmit clean (${tsc.secs.toFixed(1)} s)\n` : `${tsc.out}typecheck: tsc --noEmit failed\n`);
process.exitCode = tsc.code || suite.code;
