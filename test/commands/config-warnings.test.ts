/**
 * The config's warnings (a setting of a disabled component, config/disabled-settings.ts) are shown
 * by every command that loads the config, not only `validate`: each prints the warning once (a
 * setting in a file shared by several envs too), and none of them fails because of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { gitProject, type GitProject } from '../helpers/git-project.ts';

const WARNING = /^environments\/_base\.yaml:\d+:5 warning: \/components\/webui\/replicas components\.webui is disabled \(enabled: false at environments\/_base\.yaml:\d+\), so its replicas is ignored: remove it, or enable the component$/gm;

let g: GitProject;
let base: string;
beforeAll(() => {
  g = gitProject();
  base = g.commit('before');
  // In the file both envs extend: a warning of each env, the same place, printed once.
  g.edit('environments/_base.yaml', 'components:\n', 'components:\n  webui:\n    enabled: false\n    replicas: 2\n');
});
afterAll(() => g?.cleanup());

const once = (text: string): void => {
  expect(text.match(WARNING) ?? [], text).toHaveLength(1);
};

describe('the disabled-component warning in every command that loads the config', () => {
  for (const args of [['validate'], ['render'], ['graph'], ['prerequisites'], ['simulate'], ['hydrate', '--env', 'lab', '--app', 'postgres']]) {
    it(args.join(' '), async () => {
      const r = await runMain(g.root, args);
      once(r.stderr);
      expect(r.code, r.stderr).toBe(0);
    });
  }

  it('check (a warning among its findings; the review fixtures have errors of their own under check)', async () => {
    const r = await runMain(g.root, ['check', '--env', 'lab', '--env', 'lab2', '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { findings: { severity: string; path: string; file: string }[] };
    const mine = doc.findings.filter((f) => f.path === '/components/webui/replicas');
    expect(mine.map((f) => `${f.severity} ${f.file}`)).toEqual(['warning environments/_base.yaml']);
  });

  it('diff (the head\'s warning, not a finding that fails the diff)', async () => {
    const r = await runMain(g.root, ['diff', '--base', base]);
    once(r.stderr);
    expect(r.stdout).toMatch(/^diff: 2 environment\(s\), \d+ changed, 1 warning\(s\)$/m);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--format json carries it as a warning', async () => {
    for (const cmd of ['render', 'graph', 'prerequisites']) {
      const doc = JSON.parse((await runMain(g.root, [cmd, '--format', 'json'])).stdout) as { ok: boolean; findings: { severity: string; path: string }[] };
      expect(doc.ok, cmd).toBe(true);
      expect(doc.findings.map((f) => `${f.severity} ${f.path}`), cmd).toEqual(['warning /components/webui/replicas']);
    }
  });
});
