/** Filesystem failures while writing generated/: named by operation and path, exit 1 (the user's tree), temp folders gone. */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsError, asFsError } from '../../scripts/lib/fs/errors.ts';
import { writeGenerated } from '../../scripts/lib/render/write.ts';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('filesystem errors', () => {
  it('generated/ being a file: render names the path and the operation, exit 1, no temp folder left', async () => {
    tp = tempProject();
    rmSync(tp.paths.generated, { recursive: true, force: true });
    writeFileSync(tp.paths.generated, 'not a folder\n');
    const r = await runMain(tp.root, ['render', '--env', 'dev']);
    expect(r.stderr).toBe('catalyst: cannot list the folder generated: a part of the path is a file, not a folder (ENOTDIR)\n');
    expect(r.code).toBe(1);
    expect(readdirSync(tp.root).filter((n) => n.startsWith('.generated'))).toEqual([]);
  });

  it('a write failing half-way (a file where a folder must go) removes its staging folder and leaves generated/ as it was', () => {
    tp = tempProject();
    writeGenerated(tp.paths.generated, [{ env: 'dev', files: new Map([['a.yaml', 'a: 1\n']]) }], true);
    const bad = new Map([
      ['x', 'a file\n'],
      ['x/y.yaml', 'under the file\n'],
    ]);
    expect(() => writeGenerated(tp!.paths.generated, [{ env: 'dev', files: bad }], true)).toThrow(/ENOTDIR|EEXIST/);
    expect(readdirSync(tp.root).filter((n) => n.startsWith('.generated'))).toEqual([]);
    expect(readdirSync(join(tp.paths.generated, 'dev'))).toEqual(['a.yaml']);
  });

  it('exit 2 for the tool own files, 1 for the user tree', () => {
    const root = '/p';
    const e = (path: string, code = 'ENOSPC'): FsError => asFsError(Object.assign(new Error('x'), { code, path, syscall: 'write' }), root)!;
    expect(e('/p/generated/dev/a.yaml').message).toBe('cannot write generated/dev/a.yaml: no space left on device (ENOSPC)');
    expect(e('/p/generated/dev/a.yaml').exitCode).toBe(1);
    expect(e('/p/node_modules/.cache/catalyst/k.yaml').exitCode).toBe(2);
    expect(e('/tmp/catalyst-check-1/x', 'EACCES').message).toBe('cannot write /tmp/catalyst-check-1/x: permission denied (EACCES)');
    expect(asFsError(new Error('plain'), root)).toBeUndefined();
  });
});
