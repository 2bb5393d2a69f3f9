/** bin/catalyst.mjs: runs the compiled CLI, or the sources when asked (or when dist/ is stale). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

function launch(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/catalyst.mjs'), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('bin/catalyst.mjs', () => {
  it('prints the usage and passes the exit code through, compiled or from source', async () => {
    for (const env of [{}, { CATALYST_FROM_SOURCE: '1' }] as Record<string, string>[]) {
      const help = await launch(['--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: catalyst <command> /);
      for (const cmd of ['render', 'validate', 'check', 'graph', 'diff', 'hydrate', 'charts']) expect(help.stdout).toMatch(new RegExp(`^  ${cmd} +\\S`, 'm'));
      const bad = await launch(['nosuch'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown command "nosuch"/);
    }
  });
});
