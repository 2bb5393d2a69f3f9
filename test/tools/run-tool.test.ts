/** Tool runs have a deadline and bounded output; failures are ToolErrors with the command line. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findHelm } from '../../scripts/lib/tools/helm.ts';
import { ToolError, runTool } from '../../scripts/lib/tools/run-tool.ts';
import { sandbox, withEnv } from '../verify/hydration/argocd-source/helpers.ts';

/** True once `pid` has exited (absent, or a zombie waiting to be reaped), polling for up to 2 s. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
      const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      if (stat.startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('runTool', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  let sleeper: string;
  beforeAll(async () => {
    box = await sandbox();
    sleeper = path.join(box.dir, 'slow helm');
    // The script starts a child and waits for it: a timeout must kill both.
    await writeFile(sleeper, '#!/bin/sh\nsleep 30 &\necho $! > "$(dirname "$0")/sleep.pid"\nwait\necho v4.0.0\n');
    await chmod(sleeper, 0o755);
  });
  afterAll(() => box.restore());

  it('kills a helm that hangs (and what it started) at the deadline', async () => {
    // Not killed, it would answer v4.0.0 after the sleep: the timeout error and the dead child prove the kill (no wall-clock bound: the machine may be loaded).
    const err = await withEnv('HELM', sleeper, () => findHelm({ timeoutMs: 300 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(err).toMatchObject({ kind: 'timeout', command: `'${sleeper}' version --template '{{.Version}}'` });
    expect((err as Error).message).toMatch(/timed out after 300 ms/);
    const pid = Number(await readFile(path.join(box.dir, 'sleep.pid'), 'utf8'));
    expect(await gone(pid)).toBe(true);
  });

  it('reports exit codes, signals, missing commands and too much output', async () => {
    await expect(runTool('sh', ['-c', 'echo boom >&2; exit 3'])).rejects.toMatchObject({ kind: 'exit', message: "`sh -c 'echo boom >&2; exit 3'` exited with 3: boom" });
    await expect(runTool('sh', ['-c', 'kill -TERM $$'])).rejects.toMatchObject({ kind: 'signal' });
    await expect(runTool(path.join(box.dir, 'absent'), [])).rejects.toMatchObject({ kind: 'spawn' });
    await expect(runTool('sh', ['-c', 'head -c 5000 /dev/zero'], { maxOutputBytes: 1000 })).rejects.toMatchObject({ kind: 'output-limit' });
    expect(await runTool('sh', ['-c', 'printf ok'])).toEqual({ stdout: 'ok', stderr: '' });
  });
});
