/**
 * diff --base: a change to one model's replicas in one env prints exactly that change, for that
 * env only; --affected names it; markdown and JSON carry the same; a bad ref is a usage error.
 * The text diff runs the real CLI in a child process; the other formats run its main() in
 * process (the same code, without a process start-up and a cold pipeline each).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { gitProject, type GitProject } from '../helpers/git-project.ts';

let t: GitProject;
let base: string;
let text: CliResult;

beforeAll(async () => {
  t = gitProject();
  base = t.commit('fixture');
  // The embedding model: an LLM at 2+ replicas also gets its scheduler (endpoint picker), a second change.
  t.edit('environments/lab.yaml', /(  - name: qwen3-embedding-0-6b\n    role: embedding\n)/, '$1    replicas: 3\n');
  t.commit('lab: 3 replicas of qwen3-embedding-0-6b');
  text = await runCli(['diff', '--base', 'HEAD~1'], t.root);
});
afterAll(() => t?.cleanup());

describe('diff', () => {
  it('prints exactly the replicas change, for that env only', () => {
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const out = text.stdout;
    expect(out).toMatch(/^== lab ==$/m);
    expect(out).not.toMatch(/^== lab2/m);
    expect(out).toMatch(/^unchanged: lab2$/m);
    expect(out).toMatch(/^objects: 0 added, 0 removed, 1 changed/m);
    const changed = out.split('\n').filter((l) => /^ {4}[-+](?![-+])/.test(l));
    expect(changed).toEqual([expect.stringMatching(/^ {4}- +replicas: 1$/), expect.stringMatching(/^ {4}\+ +replicas: 3$/)]);
    expect(out).not.toMatch(/^components:/m);
  });

  it('--affected lists the env and the app', async () => {
    const r = await runMain(t.root, ['diff', '--base', base, '--affected']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('lab: models\n');
  });

  it('markdown and JSON carry the same change; JSON is one document', async () => {
    const md = await runMain(t.root, ['diff', '--base', base, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### lab$/m);
    expect(md.stdout).toMatch(/```diff\n[^]*\n\+ +replicas: 3\n/);
    const js = await runMain(t.root, ['diff', '--base', base, '--format', 'json']);
    expect(js.stderr).toBe('');
    const doc = JSON.parse(js.stdout) as { ok: boolean; diff: { envs: { env: string; status: string; objects: unknown[] }[] } };
    expect(doc.ok).toBe(true);
    expect(doc.diff.envs.map((e) => [e.env, e.status, e.objects.length])).toEqual([['lab', 'changed', 1], ['lab2', 'unchanged', 0]]);
  });

  it('an unknown ref is a usage error', async () => {
    const r = await runMain(t.root, ['diff', '--base', 'no-such-ref']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base "no-such-ref" is not a commit/);
  });
});
