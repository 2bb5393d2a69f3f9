/**
 * Run the real CLI in a child process the way CI and users run it: bin/catalyst.mjs, which runs
 * the compiled dist/ (kept current by the e2e project's globalSetup, test/helpers/global-setup.ts).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], root: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/catalyst.mjs'), ...args],
      { cwd: ROOT, env: { ...process.env, CATALYST_ROOT: root, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
