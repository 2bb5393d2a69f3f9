/** Tool runs have a deadline and bounded output; failures are ToolErrors with the command line. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findHelm } from '../../../scripts/lib/verify/platform/helm.ts';
import { ToolError, runTool } from '../../../scripts/lib/verify/platform/run-tool.ts';
import { sandbox, withEnv } from './helpers.ts';

describe('runTool', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  let sleeper: string;
  beforeAll(async () => {
    box = await sandbox();
    sleeper = path.join(box.dir, 'slow helm');
    await writeFile(sleeper, '#!/bin/sh\nsleep 30\necho v4.0.0\n');
    await chmod(sleeper, 0o755);
  });
  afterAll(() => box.restore());

  it('kills a helm that hangs (and what it started) at the deadline', async () => {
    const started = Date.now();
    const err = await withEnv('HELM', sleeper, () => findHelm({ timeoutMs: 300 })).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(ToolError);
    expect(err).toMatchObject({ kind: 'timeout', command: `'${sleeper}' version --template '{{.Version}}'` });
    expect((err as Error).message).toMatch(/timed out after 300 ms/);
  });

  it('reports exit codes, signals, missing commands and too much output', async () => {
    await expect(runTool('sh', ['-c', 'echo boom >&2; exit 3'])).rejects.toMatchObject({ kind: 'exit', message: "`sh -c 'echo boom >&2; exit 3'` exited with 3: boom" });
    await expect(runTool('sh', ['-c', 'kill -TERM $$'])).rejects.toMatchObject({ kind: 'signal' });
    await expect(runTool(path.join(box.dir, 'absent'), [])).rejects.toMatchObject({ kind: 'spawn' });
    await expect(runTool('sh', ['-c', 'head -c 5000 /dev/zero'], { maxOutputBytes: 1000 })).rejects.toMatchObject({ kind: 'output-limit' });
    expect(await runTool('sh', ['-c', 'printf ok'])).toEqual({ stdout: 'ok', stderr: '' });
  });
});
