/**
 * charts.lock.yaml: content digests of charts (over the packaged files, not the archive bytes) and
 * git trees, the lock file round trip, and the verdicts check and `npm run charts` print.
 */
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDigest, chartKey, gitDigest, keepNotes, LOCK_FILE, readLock, verdict, writeLock, type ChartLock } from '../../../scripts/lib/verify/hydration/chart-lock.ts';
import { DEMO_CHART, packageChart, sandbox } from './argocd-source/helpers.ts';

let box: Awaited<ReturnType<typeof sandbox>>;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => box?.restore());

describe('content digests', () => {
  it('a chart packaged twice (other timestamps, other archive bytes) has one digest; a changed file changes it', async () => {
    const a = await packageChart(DEMO_CHART, path.join(box.dir, 'a'));
    const copy = path.join(box.dir, 'demo-copy');
    await cp(DEMO_CHART, copy, { recursive: true });
    const old = new Date('2001-01-01T00:00:00Z');
    await utimes(path.join(copy, 'Chart.yaml'), old, old);
    const b = await packageChart(copy, path.join(box.dir, 'b'));
    expect(await readFile(a)).not.toEqual(await readFile(b));
    expect(await chartDigest(b)).toBe(await chartDigest(a));
    await writeFile(path.join(copy, 'values.yaml'), `${await readFile(path.join(copy, 'values.yaml'), 'utf8')}\nextra: 1\n`);
    const c = await packageChart(copy, path.join(box.dir, 'c'));
    expect(await chartDigest(c)).not.toBe(await chartDigest(a));
    expect(await chartDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("a git source's digest covers only the Application's path", async () => {
    const root = path.join(box.dir, 'repo');
    mkdirSync(path.join(root, 'config/crd'), { recursive: true });
    writeFileSync(path.join(root, 'config/crd/a.yaml'), 'kind: A\n');
    writeFileSync(path.join(root, 'README.md'), 'one\n');
    const before = gitDigest(root, 'config/crd');
    writeFileSync(path.join(root, 'README.md'), 'two\n');
    expect(gitDigest(root, 'config/crd')).toBe(before);
    writeFileSync(path.join(root, 'config/crd/a.yaml'), 'kind: B\n');
    expect(gitDigest(root, 'config/crd')).not.toBe(before);
  });
});

describe('the lock file', () => {
  const lock: ChartLock = {
    charts: [
      { repoURL: 'https://charts.example', chart: 'zeta', version: '1.0.0', digest: 'sha256:aa' },
      { repoURL: 'https://charts.example', chart: 'alpha', version: '2.0.0', digest: 'sha256:bb', note: 'stand-in archive' },
    ],
    git: [{ repoURL: 'https://git.example/r.git', revision: 'v1', path: 'config', digest: 'sha256:cc' }],
  };

  it('round-trips, sorted, with a header saying how it is made', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-lock-'));
    try {
      writeLock(dir, lock);
      const text = await readFile(path.join(dir, LOCK_FILE), 'utf8');
      expect(text).toMatch(/^# The content digest of every pinned chart/);
      expect(text.indexOf('chart: alpha')).toBeLessThan(text.indexOf('chart: zeta'));
      const back = readLock(dir)!;
      expect(back.charts.map((c) => c.chart)).toEqual(['alpha', 'zeta']);
      expect(back.git).toEqual(lock.git);
      writeFileSync(path.join(dir, LOCK_FILE), 'charts: 3\n');
      expect(() => readLock(dir)).toThrow(/charts\.lock\.yaml: not a chart lock/);
      await rm(path.join(dir, LOCK_FILE));
      expect(readLock(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says when the bytes behind a pin changed, and when a pin is not locked', () => {
    const key = chartKey({ repoURL: 'https://charts.example', chart: 'zeta', version: '1.0.0' });
    expect(verdict(lock, key, 'sha256:aa', 'chart zeta 1.0.0')).toEqual({ ok: true });
    const changed = verdict(lock, key, 'sha256:ff', 'chart zeta 1.0.0');
    expect(changed.ok).toBe(false);
    expect(!changed.ok && changed.message).toMatch(/^chart zeta 1\.0\.0: its content differs from charts\.lock\.yaml \(locked sha256:aa, hydrated sha256:ff\)/);
    const unknown = verdict(lock, chartKey({ repoURL: 'https://charts.example', chart: 'new', version: '1' }), 'sha256:00', 'chart new 1');
    expect(!unknown.ok && unknown.message).toMatch(/is not in charts\.lock\.yaml \(its content digest is sha256:00\)/);
  });

  it('keeps a note while the digest stays, and drops it when the bytes change', () => {
    const next: ChartLock = { charts: lock.charts.map(({ note: _n, ...c }) => c), git: lock.git };
    expect(keepNotes(next, lock).charts.find((c) => c.chart === 'alpha')?.note).toBe('stand-in archive');
    next.charts[1] = { ...next.charts[1]!, digest: 'sha256:new' };
    expect(keepNotes(next, lock).charts.find((c) => c.chart === 'alpha')?.note).toBeUndefined();
  });
});
