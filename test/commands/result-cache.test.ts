/**
 * render and check reuse their last result while nothing they read has changed
 * (scripts/lib/result-store.ts). Reuse must never hide a change: an edited env, an
 * edited generated/ file or a new chart in the cache each make the command run again, and a
 * reused result is the same result.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { checkStamp } from '../../scripts/lib/commands/check-cache.ts';
import type { CommandOptions } from '../../scripts/lib/commands/common.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
const saved = { ...process.env };
beforeAll(() => {
  tp = tempProject({ withGenerated: true });
  delete process.env.CATALYST_REUSE_RESULTS;
  process.env.CATALYST_ROOT = tp.root;
});
afterAll(() => {
  process.env = saved;
  tp?.cleanup();
});

interface Doc {
  ok: boolean;
  findings: unknown[];
  summary: { text: string; reused?: boolean; changed?: number; objects?: number };
}

async function runAll(...args: string[]): Promise<{ code: number; doc: Doc }> {
  let stdout = '';
  const code = await main([...args, '--format', 'json'], { out: (s) => ((stdout += s), true), err: () => true });
  return { code, doc: JSON.parse(stdout) as Doc };
}

const run = (...args: string[]): Promise<{ code: number; doc: Doc }> => runAll(...args, '--env', 'dev');

/** A check with no result reused at all, for comparison. */
async function fresh(...args: string[]): Promise<{ code: number; doc: Doc }> {
  process.env.CATALYST_REUSE_RESULTS = '0';
  try {
    return await runAll(...args);
  } finally {
    delete process.env.CATALYST_REUSE_RESULTS;
  }
}

describe('render reuses its output while the config is unchanged', () => {
  it('a second render reuses the first, an edit renders again', async () => {
    await run('render');
    const again = await run('render');
    expect(again.doc.summary).toMatchObject({ reused: true, changed: 0 });
    tp.edit('environments/dev.yaml', /^name: dev$/m, 'name: dev\n# an edit\n');
    expect((await run('render')).doc.summary.reused).toBe(false);
    expect((await run('render')).doc.summary.reused).toBe(true);
  });

  it('a reused render still repairs generated/', async () => {
    await run('render');
    unlinkSync(join(tp.paths.generated, 'dev', 'kustomization.yaml'));
    const r = await run('render');
    expect(r.doc.summary).toMatchObject({ reused: true, changed: 1 });
    expect(tp.read('generated/dev/kustomization.yaml')).toContain('kind: Kustomization');
  });
});

describe('check reuses a clean result while nothing it reads has changed', () => {
  it('the same findings, then a run again after generated/ changes; a failing check is never stored', async () => {
    await run('render');
    const first = await run('check');
    expect(first.code).toBe(0);
    expect(first.doc.summary.reused).toBe(false);
    const second = await run('check');
    expect(second.doc.summary.reused).toBe(true);
    expect(second.doc.findings).toEqual(first.doc.findings);
    expect(second.doc.summary.objects).toBe(first.doc.summary.objects);
    const file = 'generated/dev/kustomization.yaml';
    const text = tp.read(file);
    tp.write(file, `${text}# edited\n`);
    const drift = await run('check');
    expect(drift.code).toBe(1);
    expect(drift.doc.summary.reused).toBe(false);
    expect((await run('check')).doc.summary.reused).toBe(false);
    tp.write(file, text);
    expect((await run('check')).doc.summary.reused).toBe(true);
  });
});

describe('each env reuses its own clean check', () => {
  it('after one env changes, the check of every env equals a fresh check', async () => {
    await runAll('render');
    expect((await runAll('check')).code).toBe(0);
    tp.edit('environments/dev.yaml', /^ {2}domain: .*$/m, '  domain: dev-reuse.catalyst.example.com');
    await runAll('render');
    const reused = await runAll('check');
    expect(reused.doc.summary.reused).toBe(false);
    const full = await fresh('check');
    expect(reused.code).toBe(full.code);
    expect(reused.doc.findings).toEqual(full.doc.findings);
    expect(reused.doc.summary.objects).toBe(full.doc.summary.objects);
  });
});

describe('checkStamp', () => {
  const opts = (more: Partial<CommandOptions> = {}): CommandOptions => ({ paths: tp.paths, envs: ['dev'], format: 'text', kubeconform: false, out: () => {}, err: () => {}, ...more });

  it('is not taken with --fetch or --kubeconform', () => {
    expect(checkStamp(opts(), ['dev'], undefined)).toBeDefined();
    expect(checkStamp(opts({ fetch: true }), ['dev'], undefined)).toBeUndefined();
    expect(checkStamp(opts({ kubeconform: true }), ['dev'], undefined)).toBeUndefined();
  });

  it('changes with the charts it may read and the options, not with helm output it keeps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-stamp-'));
    const was = process.env.CATALYST_CACHE_DIR;
    process.env.CATALYST_CACHE_DIR = dir;
    try {
      const a = checkStamp(opts(), ['dev'], undefined)!;
      mkdirSync(join(dir, 'charts', 'rendered'), { recursive: true });
      writeFileSync(join(dir, 'charts', 'rendered', 'x.yaml'), 'kind: X\n');
      expect(checkStamp(opts(), ['dev'], undefined)).toEqual(a);
      writeFileSync(join(dir, 'charts', 'demo-0.3.1.tgz'), 'bytes');
      const b = checkStamp(opts(), ['dev'], undefined)!;
      expect(b.charts).not.toBe(a.charts);
      expect(b.inputs).toBe(a.inputs);
      expect(checkStamp(opts({ requireAll: true }), ['dev'], undefined)!.inputs).not.toBe(a.inputs);
      expect(checkStamp(opts(), ['dev'], dir)!.charts).not.toBe(b.charts);
    } finally {
      if (was === undefined) delete process.env.CATALYST_CACHE_DIR;
      else process.env.CATALYST_CACHE_DIR = was;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
