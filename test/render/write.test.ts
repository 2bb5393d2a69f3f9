/** Writing generated/<env>/: the tree is replaced whole, and a half-done swap is put back. */
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
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
    mkdirSync(join(gen, '.tmp-dev-1'));
    writeFileSync(join(gen, '.tmp-dev-1', 'half.yaml'), 'x: 1\n');
    recoverInterruptedSwap(gen);
    expect(readdirSync(gen)).toEqual(['dev']);
    expect([...readTree(join(gen, 'dev'))]).toEqual([['a.yaml', 'a: 1\n']]);
  });
});
