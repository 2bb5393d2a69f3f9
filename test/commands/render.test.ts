/**
 * The render command writes generated/ all or nothing: a config error writes nothing, files no
 * longer produced disappear, and a render killed at any moment (a real child process) leaves a
 * complete tree.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { readTree, recoverInterruptedSwap, writeEnvTree } from '../../scripts/lib/render/write.ts';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('render command', () => {
  it('writes nothing when any environment is invalid, and exits 1 without a stack trace', async () => {
    tp = tempProject({ withGenerated: true });
    const before = readTree(tp.paths.generated);
    tp.edit('environments/prod.yaml', 'instances: 3', 'instances: -1');
    tp.edit('environments/dev.yaml', 'instances: 1', 'instances: 2');
    const r = await runMain(tp.root, ['render']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environments\/prod\.yaml:\d+:\d+ \/components\/postgres\/instances must be >= 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(tp.paths.generated)).toEqual(before);
  });

  it('removes the folder of an environment that no longer exists', async () => {
    tp = tempProject({ withGenerated: true });
    writeEnvTree(tp.paths.generated, 'old-env', new Map([['root.yaml', 'x: 1\n']]));
    const r = await runMain(tp.root, ['render']);
    expect(r.code).toBe(0);
    expect(existsSync(join(tp.paths.generated, 'old-env'))).toBe(false);
    expect(r.stdout).toMatch(/removed generated\/old-env/);
  });

  it('leaves a complete tree (old or new) when killed at any moment', async () => {
    tp = tempProject({ withGenerated: true });
    const old = readTree(join(tp.paths.generated, 'prod'));
    tp.edit('environments/prod.yaml', 'instances: 3', 'instances: 5');
    const fresh = renderOne(loadProject(tp.paths), 'prod').files;
    expect(fresh).not.toEqual(old);
    for (const delay of [150, 400, 700, 900, 1100, 1300, 1600]) {
      // One process (tsx as a loader, not its CLI wrapper), so SIGKILL stops the render itself.
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), 'render', '--env', 'prod'], {
        cwd: ROOT,
        env: { ...process.env, CATALYST_ROOT: tp.root },
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      recoverInterruptedSwap(tp.paths.generated);
      const now = readTree(join(tp.paths.generated, 'prod'));
      expect([old, fresh].some((t) => JSON.stringify([...t]) === JSON.stringify([...now])), `after a kill at ${delay} ms`).toBe(true);
    }
  });
});
