/**
 * Caches are checked, never trusted (issue 26, class 2; scripts/lib/cache-entry.ts): a tampered
 * precompiled template or ajv validator is never run (a marker file it would write stays absent),
 * a tampered kustomize build or YAML entry is recomputed (the same result as a fresh run), a
 * corrupt entry is a miss with a one-line note, never `internal error`; with
 * CATALYST_CACHE_SECRET even an entry whose digest was recomputed fails. The result stamp follows
 * chart bytes, not size and mtime. The real CLI in child processes (a process keeps compiled code
 * in memory, so only a new process reads the cache).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { checkStamp } from '../../scripts/lib/commands/check-cache.ts';
import type { CommandOptions } from '../../scripts/lib/commands/common.ts';

let tp: TempProject;
let cache: string;
let marker: string;
const env = (): Record<string, string> => ({ CATALYST_CACHE_DIR: cache });

beforeAll(() => {
  tp = tempProject({ withGenerated: true });
  cache = mkdtempSync(join(tmpdir(), 'catalyst-cache-'));
  marker = join(cache, 'MARKER-code-from-the-cache-ran');
});
afterAll(() => {
  tp?.cleanup();
  rmSync(cache, { recursive: true, force: true });
});

const entries = (kind: string, ext: string): string[] => readdirSync(join(cache, kind)).filter((f) => f.endsWith(ext)).map((f) => join(cache, kind, f));

/** Code that would write the marker if it ever ran. */
const payload = (): string => `;require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;

/** Append to an entry's content without fixing its digest. */
function tamper(file: string, add: string): void {
  writeFileSync(file, readFileSync(file, 'utf8') + add);
}

/** Rewrite an entry's content and recompute a plain sha256 digest (what a writer without the secret can do). */
function forge(file: string, content: (old: string) => string): void {
  const text = readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const body = content(text.slice(nl + 1));
  const head = text.slice(0, nl).replace(/content=[0-9a-f]{64}/, `content=${createHash('sha256').update(body).digest('hex')}`);
  writeFileSync(file, `${head}\n${body}`);
}

describe('cache entries are checked before use', () => {
  it('a tampered ajv validator or precompiled template is never run; the result is unchanged', async () => {
    const first = await runCli(['render', '--env', 'dev'], tp.root, env());
    expect(first.code, first.stderr).toBe(0);
    const code = [...entries('ajv', '.cjs'), ...entries('hbs', '.js')];
    expect(code.length).toBeGreaterThan(5);
    for (const f of code) tamper(f, payload());
    const again = await runCli(['render', '--env', 'dev'], tp.root, env());
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(again.stderr).toMatch(/^note: cache entry (ajv|hbs)\/[0-9a-f]{64}\.c?js does not match its content digest \(changed or truncated\): not used, computed again$/m);
    expect(again.stderr).not.toMatch(/internal error/);
    // recomputed entries are whole again: a third run has no note
    const third = await runCli(['render', '--env', 'dev'], tp.root, env());
    expect(third.stderr).not.toMatch(/note: cache entry/);
  });

  it('with CATALYST_CACHE_SECRET an entry whose digest was recomputed is refused too', async () => {
    const secret = { ...env(), CATALYST_CACHE_SECRET: 'test-secret-not-a-credential' };
    expect((await runCli(['validate', '--env', 'dev'], tp.root, secret)).code).toBe(0);
    for (const f of entries('ajv', '.cjs')) forge(f, (old) => old + payload());
    const r = await runCli(['validate', '--env', 'dev'], tp.root, secret);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(r.stderr).toMatch(/note: cache entry ajv\/\S+ was made from other inputs|note: cache entry ajv\/\S+ does not match its content digest/);
  });

  it('corrupt and tampered YAML and kustomize entries are misses: the same findings as a fresh check', async () => {
    const fresh = await runCli(['check', '--env', 'dev', '--format', 'json'], tp.root, env());
    expect(fresh.code, fresh.stdout).toBe(0);
    const kustomize = entries('kustomize', '.json');
    expect(kustomize.length).toBe(1);
    // an entry that drops every object (a check of nothing passes anything), its digest left as it was
    const entry = readFileSync(kustomize[0]!, 'utf8');
    writeFileSync(kustomize[0]!, `${entry.slice(0, entry.indexOf('\n'))}\n[]`);
    const yaml = entries('yaml', '.json');
    for (const f of yaml.slice(0, 5)) writeFileSync(f, readFileSync(f).subarray(0, 40)); // torn writes
    const r = await runCli(['check', '--env', 'dev', '--format', 'json'], tp.root, env());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // JSON: notes are not printed
    const objects = (s: string): unknown => (JSON.parse(s) as { summary: { objects?: number } }).summary.objects;
    expect(objects(r.stdout)).toBe(objects(fresh.stdout));
    expect(r.stdout).not.toMatch(/internal error/);
    // (No further text-format run: the run above rewrote the entries, so it would read a healed cache.)
  });

  it('the result stamp changes when a chart is swapped for one of the same size and mtime', () => {
    const mirror = mkdtempSync(join(tmpdir(), 'catalyst-mirror-'));
    try {
      const tgz = join(mirror, 'fx-1.0.0.tgz');
      writeFileSync(tgz, 'A'.repeat(1000));
      const st = statSync(tgz);
      const opts = { paths: tp.paths, envs: ['dev'], format: 'json', kubeconform: false, out: () => {}, err: () => {} } as CommandOptions;
      const saved = process.env.CATALYST_REUSE_RESULTS;
      delete process.env.CATALYST_REUSE_RESULTS;
      try {
        const before = checkStamp(opts, ['dev'], mirror)!;
        writeFileSync(tgz, 'B'.repeat(1000));
        utimesSync(tgz, st.atime, st.mtime);
        expect(statSync(tgz).size).toBe(st.size);
        expect(checkStamp(opts, ['dev'], mirror)!.charts).not.toBe(before.charts);
      } finally {
        if (saved !== undefined) process.env.CATALYST_REUSE_RESULTS = saved;
      }
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });
});
