/**
 * generated/ under concurrent and killed renders, on a small temp project (one environment):
 * - 20 concurrent render pairs: two processes each run the real `render` command 20 times at once;
 *   every render succeeds (the second waits for the lock) and generated/, read under the lock
 *   after each, equals the old or the new tree;
 * - 20 SIGKILLs at random moments of the write (after the child says it starts writing): generated/
 *   equals the old or the new tree, for every environment, right after the kill.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { readTree, recoverInterruptedSwap, writeGenerated } from '../../scripts/lib/render/write.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

/** Plain JS on the compiled dist/ (the e2e globalSetup keeps it current): a child starts in ~0.1 s. */
const CHILD = join(ROOT, 'test/helpers/render-child.mjs');
let tp: TempProject;
let oldTree: string;
let newTree: string;
let newOutputs: { env: string; files: Map<string, string> }[];

function child(args: string[]): { stdout: Promise<string>; exited: Promise<number | null>; kill: () => void; onLine: (cb: (l: string) => void) => void } {
  const c = spawn(process.execPath, [CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners: ((l: string) => void)[] = [];
  c.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of d.toString().split('\n')) if (l) listeners.forEach((cb) => cb(l));
  });
  let err = '';
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
  return {
    stdout: exited.then(() => (err ? `${out}\n[stderr] ${err}` : out)),
    exited,
    kill: () => c.kill('SIGKILL'),
    onLine: (cb) => listeners.push(cb),
  };
}

const snapshot = (): string => JSON.stringify([...readTree(tp.paths.generated)]);

/** A small seeded PRNG: the kill moments are random but the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(() => {
  tp = tempProject();
  for (const f of readdirSync(tp.paths.environments)) if (f !== 'dev.yaml' && f !== '_base.yaml') rmSync(join(tp.paths.environments, f));
  const project = loadProject(tp.paths);
  const oldOut = renderOne(project, 'dev');
  writeGenerated(tp.paths.generated, [{ env: 'dev', files: oldOut.files }], true);
  oldTree = snapshot();
  tp.edit('environments/dev.yaml', 'retention: 3d', 'retention: 4d');
  const fresh = renderOne(loadProject(tp.paths), 'dev');
  expect(fresh.findings).toEqual([]);
  newOutputs = [{ env: 'dev', files: fresh.files }];
  expect(fresh.files).not.toEqual(oldOut.files);
  newTree = JSON.stringify([...new Map([...fresh.files].map(([p, t]) => [`dev/${p}`, t] as [string, string])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
});
afterAll(() => tp?.cleanup());

describe('generated/ under concurrent and killed renders', () => {
  it('20 concurrent render pairs: every render succeeds, the tree is always whole', async () => {
    const trees = join(tp.root, 'trees.json');
    const asObject = (s: string): Record<string, string> => Object.fromEntries(JSON.parse(s) as [string, string][]);
    writeFileSync(trees, JSON.stringify([asObject(oldTree), asObject(newTree)]));
    const pair = [child(['loop', tp.root, '20', trees]), child(['loop', tp.root, '20', trees])];
    const results = (await Promise.all(pair.map((p) => p.stdout))).map((s) => s.trim());
    for (const r of results) expect(r).toBe(JSON.stringify({ renders: 20, failed: 0, mismatches: 0 }));
    expect(snapshot()).toBe(newTree);
    expect(readdirSync(tp.root).filter((n) => n.startsWith('.generated'))).toEqual([]);
  });

  it('20 SIGKILLs during the write of two environments: generated/ is the old or the new tree every time', async () => {
    // Two environments (the second a copy under another name): the swap is of the whole tree, not per env.
    const two = (tree: Map<string, string>): { env: string; files: Map<string, string> }[] => [
      { env: 'dev', files: tree },
      { env: 'lab', files: tree },
    ];
    const oldFiles = new Map((JSON.parse(oldTree) as [string, string][]).map(([p, t]) => [p.slice(4), t] as [string, string]));
    const outputs = join(tp.root, 'outputs.json');
    writeFileSync(outputs, JSON.stringify(two(newOutputs[0]!.files).map((o) => ({ env: o.env, files: [...o.files] }))));
    const restoreOld = (): void => void writeGenerated(tp.paths.generated, two(oldFiles), true);
    writeGenerated(tp.paths.generated, two(newOutputs[0]!.files), true);
    const newBoth = snapshot();
    restoreOld();
    const oldBoth = snapshot();
    // How long a write takes here, to spread the kills over it.
    const t0 = performance.now();
    writeGenerated(tp.paths.generated, two(newOutputs[0]!.files), true);
    const writeMs = Math.max(5, performance.now() - t0);
    const random = prng(20261130);
    const seen = { old: 0, new: 0, recovered: 0 };
    for (let i = 0; i < 20; i++) {
      restoreOld();
      expect(snapshot()).toBe(oldBoth);
      const c = child(['write', tp.root, outputs]);
      const delay = random() * writeMs * 1.5;
      c.onLine((l) => {
        if (l === 'writing') setTimeout(c.kill, delay);
      });
      await c.exited;
      if (!existsSync(tp.paths.generated)) {
        // Killed between the two renames: the next command puts the parked tree back.
        recoverInterruptedSwap(tp.paths.generated);
        seen.recovered += 1;
      }
      const now = snapshot();
      expect([oldBoth, newBoth].includes(now), `kill ${i} at ${delay.toFixed(1)} ms into a ${writeMs.toFixed(1)} ms write`).toBe(true);
      if (now === oldBoth) seen.old += 1;
      else seen.new += 1;
      recoverInterruptedSwap(tp.paths.generated);
    }
    console.log(`kills: ${seen.old} left the old tree, ${seen.new} the new one, ${seen.recovered} needed the parked tree put back (write ${writeMs.toFixed(1)} ms)`);
    expect(seen.old > 0 && seen.new > 0, 'kills landed both before and after the swap').toBe(true);
    expect(readdirSync(tp.root).filter((n) => n.startsWith('.generated'))).toEqual([]);
  });
});
