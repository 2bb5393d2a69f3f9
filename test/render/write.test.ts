/** Writing generated/<env>/: the tree is replaced whole, and a half-done swap is put back. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree, recoverInterruptedSwap, writeEnvTree } from '../../scripts/lib/render/write.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('writeEnvTree', () => {
  it('replaces the tree exactly: new files in, stale files out', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 1\n'], ['old/b.yaml', 'b: 1\n']]));
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 2\n'], ['c.yaml', 'c: 1\n']]));
    expect([...readTree(join(gen, 'dev'))]).toEqual([['a.yaml', 'a: 2\n'], ['c.yaml', 'c: 1\n']]);
    expect(readdirSync(gen)).toEqual(['dev']);
  });

  it('puts back a tree left half-swapped by a killed render', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 1\n']]));
    // Simulate a kill between the two renames: the old tree is parked, the new one is still a temp dir.
    renameSync(join(gen, 'dev'), join(gen, '.old-dev'));
    const dead = deadPid();
    mkdirSync(join(gen, `.tmp-dev-${dead}`));
    writeFileSync(join(gen, `.tmp-dev-${dead}`, 'half.yaml'), 'x: 1\n');
    recoverInterruptedSwap(gen);
    expect(readdirSync(gen)).toEqual(['dev']);
    expect([...readTree(join(gen, 'dev'))]).toEqual([['a.yaml', 'a: 1\n']]);
  });

  it('puts back generated/ parked by a render killed between its two renames', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 1\n']]));
    const dead = deadPid();
    renameSync(gen, join(tp.root, `.generated.old-${dead}-x`));
    mkdirSync(join(tp.root, `.generated.staging-${dead}-x`, 'dev'), { recursive: true });
    recoverInterruptedSwap(gen);
    expect([...readTree(join(gen, 'dev'))]).toEqual([['a.yaml', 'a: 1\n']]);
    expect(readdirSync(tp.root).filter((n) => n.startsWith('.generated'))).toEqual([]);
  });

  it('never touches the temp folders of a live process', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 1\n']]));
    const live = process.ppid;
    mkdirSync(join(tp.root, `.generated.staging-${live}-x`));
    mkdirSync(join(gen, `.tmp-dev-${live}`));
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 2\n']]));
    expect(existsSync(join(tp.root, `.generated.staging-${live}-x`))).toBe(true);
    expect(existsSync(join(gen, `.tmp-dev-${live}`))).toBe(false); // not carried into the new tree
  });

  it('keeps the other environments when writing one, and drops links from generated/', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'dev', new Map([['a.yaml', 'a: 1\n']]));
    writeEnvTree(gen, 'prod', new Map([['p.yaml', 'p: 1\n']]));
    expect(readdirSync(gen).sort()).toEqual(['dev', 'prod']);
    expect([...readTree(join(gen, 'dev'))]).toEqual([['a.yaml', 'a: 1\n']]);
  });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}
