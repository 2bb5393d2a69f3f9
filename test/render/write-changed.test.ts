/**
 * render writes only files whose bytes change: unchanged files keep their inode and mtime,
 * an env with nothing to change is not touched, removed files still go, and the counts say so.
 */
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree, writeEnvTree } from '../../scripts/lib/render/write.ts';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const OLD = new Date('2020-01-01T00:00:00Z');

describe('writeEnvTree', () => {
  it('counts changed, unchanged and removed files and keeps unchanged files as they were', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    expect(writeEnvTree(gen, 'e', new Map([['a.yaml', 'a: 1\n'], ['d/b.yaml', 'b: 1\n'], ['c.yaml', 'c: 1\n']]))).toEqual({ changed: 3, unchanged: 0, removed: 0 });
    for (const f of ['a.yaml', 'd/b.yaml', 'c.yaml']) utimesSync(join(gen, 'e', f), OLD, OLD);
    const inode = statSync(join(gen, 'e', 'd/b.yaml')).ino;
    const r = writeEnvTree(gen, 'e', new Map([['a.yaml', 'a: 2\n'], ['d/b.yaml', 'b: 1\n'], ['n.yaml', 'n: 1\n']]));
    expect(r).toEqual({ changed: 2, unchanged: 1, removed: 1 });
    expect([...readTree(join(gen, 'e'))]).toEqual([['a.yaml', 'a: 2\n'], ['d/b.yaml', 'b: 1\n'], ['n.yaml', 'n: 1\n']]);
    expect(statSync(join(gen, 'e', 'd/b.yaml')).mtimeMs).toBe(OLD.getTime());
    expect(statSync(join(gen, 'e', 'd/b.yaml')).ino).toBe(inode);
    expect(statSync(join(gen, 'e', 'a.yaml')).mtimeMs).toBeGreaterThan(OLD.getTime());
    expect(readdirSync(gen)).toEqual(['e']);
  });

  it('does not touch an env whose files all have the right bytes (no swap, directory kept)', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    const files = new Map([['a.yaml', 'a: 1\n']]);
    writeEnvTree(gen, 'e', files);
    utimesSync(join(gen, 'e'), OLD, OLD);
    utimesSync(join(gen, 'e', 'a.yaml'), OLD, OLD);
    const ino = statSync(join(gen, 'e')).ino;
    expect(writeEnvTree(gen, 'e', files)).toEqual({ changed: 0, unchanged: 1, removed: 0 });
    expect(statSync(join(gen, 'e')).ino).toBe(ino);
    expect(statSync(join(gen, 'e')).mtimeMs).toBe(OLD.getTime());
    expect(statSync(join(gen, 'e', 'a.yaml')).mtimeMs).toBe(OLD.getTime());
  });

  it('an env that now produces no files is emptied (removed files still removed)', () => {
    tp = tempProject();
    const gen = tp.paths.generated;
    writeEnvTree(gen, 'e', new Map([['a.yaml', 'a: 1\n']]));
    expect(writeEnvTree(gen, 'e', new Map())).toEqual({ changed: 0, unchanged: 0, removed: 1 });
    expect(existsSync(join(gen, 'e'))).toBe(true);
    expect(readTree(join(gen, 'e')).size).toBe(0);
  });
});

describe('render command', () => {
  it('reports "N changed, M unchanged"; a second render changes nothing and keeps every mtime', () => {
    tp = tempProject();
    const env = readdirSync(tp.paths.environments).find((f) => /^[a-z0-9-]+\.yaml$/.test(f))!.replace(/\.yaml$/, '');
    const out: string[] = [];
    const opts = { paths: tp.paths, envs: [env], format: 'text' as const, kubeconform: false, out: (s: string) => out.push(s), err: () => {} };
    expect(renderCommand(opts)).toBe(0);
    const first = readTree(join(tp.paths.generated, env));
    expect(out.join('')).toMatch(new RegExp(`^render: 1 environment\\(s\\), ${first.size} changed, 0 unchanged in \\d+ ms\\n$`));
    const mtimes = [...first.keys()].map((f) => {
      utimesSync(join(tp!.paths.generated, env, f), OLD, OLD);
      return OLD.getTime();
    });
    out.length = 0;
    expect(renderCommand(opts)).toBe(0);
    expect(out.join('')).toMatch(new RegExp(`^render: 1 environment\\(s\\), 0 changed, ${first.size} unchanged in \\d+ ms\\n$`));
    expect([...first.keys()].map((f) => statSync(join(tp!.paths.generated, env, f)).mtimeMs)).toEqual(mtimes);
  });
});
