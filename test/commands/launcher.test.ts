/** bin/catalyst.mjs: runs the compiled CLI, or the sources when asked (or when dist/ is stale). */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
// @ts-expect-error: a plain ES module without types (bin/ is not TypeScript)
import { sourceDigests, STAMP, staleSource } from '../../bin/dist-sources.mjs';

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

describe('dist/ freshness (bin/dist-sources.mjs)', () => {
  it('is decided by content: an edit with an old mtime is seen, a touch without a change is not', () => {
    const root = mkdtempSync(join(tmpdir(), 'dist-sources-'));
    try {
      const write = (rel: string, text: string) => {
        mkdirSync(join(root, rel, '..'), { recursive: true });
        writeFileSync(join(root, rel), text);
      };
      write('scripts/cli.ts', 'export const a = 1;\n');
      write('scripts/lib/x.ts', 'export const x = 1;\n');
      expect(staleSource(root)).toBe('dist/ is not built');
      write('dist/scripts/cli.js', 'export const a = 1;\n');
      expect(staleSource(root)).toBe(`dist/ has no ${STAMP} (it was not built by npm run build)`);
      write(STAMP, JSON.stringify({ files: sourceDigests(root) }));
      expect(staleSource(root)).toBeUndefined();
      const old = new Date('2020-01-01T00:00:00Z');
      utimesSync(join(root, 'scripts/cli.ts'), new Date(), new Date());
      expect(staleSource(root)).toBeUndefined();
      write('scripts/lib/x.ts', 'export const x = 2;\n');
      utimesSync(join(root, 'scripts/lib/x.ts'), old, old);
      expect(staleSource(root)).toBe('scripts/lib/x.ts changed since dist/ was built');
      write('scripts/lib/x.ts', 'export const x = 1;\n');
      write('scripts/lib/y.ts', 'export const y = 1;\n');
      expect(staleSource(root)).toBe('scripts/lib/y.ts is newer than dist/ (not in the build)');
      rmSync(join(root, 'scripts/lib/y.ts'));
      rmSync(join(root, 'scripts/lib/x.ts'));
      expect(staleSource(root)).toBe('scripts/lib/x.ts was removed since dist/ was built');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
