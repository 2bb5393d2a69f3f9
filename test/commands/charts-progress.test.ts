/**
 * `charts` says what it is doing on stderr like the other long commands (commands/progress.ts):
 * rendering each env, then each source it fetches or digests, as plain lines when stderr is not a
 * terminal (here), nothing with CATALYST_PROGRESS=0; stdout keeps only the result lines. No
 * network: the mirror is empty (every source missing) or holds a placeholder for each source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { mirrorChartPath, mirrorGitPath } from '../../scripts/lib/verify/hydration/argocd-source/chart-mirror.ts';

let tp: TempProject;
let dir: string;
beforeAll(() => {
  tp = tempProject();
  dir = mkdtempSync(join(tmpdir(), 'catalyst-charts-progress-'));
});
afterAll(() => {
  tp?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function withProgress<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.CATALYST_PROGRESS;
  if (value === undefined) delete process.env.CATALYST_PROGRESS;
  else process.env.CATALYST_PROGRESS = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.CATALYST_PROGRESS;
    else process.env.CATALYST_PROGRESS = saved;
  }
}

const steps = (stderr: string): string[] => stderr.split('\n').filter((l) => /^charts: .*\(\d+\/\d+\)/.test(l) || l === 'charts: loading the catalog');

describe('charts progress', () => {
  let missing: string[] = [];

  it('--lock: each env rendered, then each source digested, numbered', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await withProgress(undefined, () => runMain(tp.root, ['charts', '--env', 'dev', '--lock', '--chart-mirror', empty]));
    expect(r.code).toBe(1);
    const s = steps(r.stderr);
    expect(s.slice(0, 2)).toEqual(['charts: loading the catalog', 'charts: dev (1/1): rendering']);
    const digests = s.slice(2);
    expect(digests.length).toBeGreaterThan(5);
    digests.forEach((l, i) => expect(l).toMatch(new RegExp(`^charts: digest of \\S.* \\(${i + 1}/${digests.length}\\)$`)));
    missing = r.stderr.split('\n').flatMap((l) => /^charts: (.+) is not in the chart mirror /.exec(l)?.[1] ?? []);
    expect(missing).toHaveLength(digests.length);
    expect(r.stdout).not.toMatch(/^charts: .*\(\d+\/\d+\)/m);
  });

  it('fetching into --to DIR: one step per source, results on stdout; none with CATALYST_PROGRESS=0', async () => {
    const to = join(dir, 'to');
    for (const m of missing) {
      // helm: `<chart> <version>`; git: `<repoURL>@<revision>` (one word)
      const git = /^(\S+)@([^@\s]+)$/.exec(m);
      if (git) mkdirSync(mirrorGitPath(to, git[1]!, git[2]!), { recursive: true });
      else {
        const [chart, version] = m.split(' ') as [string, string];
        const file = mirrorChartPath(to, chart, version);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, 'placeholder');
      }
    }
    const r = await withProgress(undefined, () => runMain(tp.root, ['charts', '--env', 'dev', '--to', to]));
    expect(r.code, r.stderr).toBe(0);
    const s = steps(r.stderr).slice(2);
    expect(s).toHaveLength(missing.length);
    s.forEach((l, i) => expect(l).toMatch(new RegExp(`^charts: \\S.* \\(${i + 1}/${missing.length}\\)$`)));
    expect(r.stdout.match(/^have {4}/gm)).toHaveLength(missing.length);
    const quiet = await withProgress('0', () => runMain(tp.root, ['charts', '--env', 'dev', '--to', to]));
    expect(quiet.code).toBe(0);
    expect(steps(quiet.stderr)).toEqual([]);
  });
});
