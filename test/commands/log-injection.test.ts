/**
 * CI log injection (issue 26, class 4) and output hygiene (class 6): a config value carrying
 * `::error …::` or `##[error]`, or a newline before one, never becomes a workflow command in any
 * format (the GitHub runner's parsing modelled by `workflowCommands`); long findings are folded
 * with the full text in JSON; diff works from a project in a subfolder of a git repository; a host
 * added to the network allow-list shows in the diff and needs --allow-new-hosts (class 1).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { gitProject, type GitProject } from '../helpers/git-project.ts';
import { tempProject } from '../helpers/project.ts';
import { annotationData, defuseLine, foldLine } from '../../scripts/lib/log-safe.ts';
import { progressMode } from '../../scripts/lib/commands/progress.ts';
import { emitOutcome, formatFindings } from '../../scripts/lib/commands/report.ts';
import type { Finding } from '../../scripts/lib/findings.ts';

/**
 * The workflow commands a GitHub runner would run from this output: lines split as .NET's
 * ReadLine splits them (CR, LF, CRLF); a line that starts with `::` once leading blanks are
 * trimmed (TryParseV2), or holds `##[` anywhere (TryParse)
 * (actions/runner@v2.336.0:src/Runner.Common/ActionCommand.cs).
 */
function workflowCommands(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));
}

const FORGED = '::error file=README.md,line=1::forged';
const HOSTILE = `x\n${FORGED}\r##[error]v1 forged %0A`;

describe('workflow commands in output', () => {
  it('defuses each form the runner reads', () => {
    expect(workflowCommands(defuseLine(FORGED))).toEqual([]);
    expect(workflowCommands(defuseLine('  \t::warning::x'))).toEqual([]);
    expect(workflowCommands(defuseLine('a ##[group]b'))).toEqual([]);
    expect(workflowCommands(defuseLine('a\rb::c\r::d'))).toEqual([]);
    expect(annotationData(HOSTILE)).not.toMatch(/[\r\n]/);
    expect(annotationData('100%0A')).toBe('100%250A');
  });

  it('a hostile config key is reported, never run, in every format of validate', async () => {
    const tp = tempProject();
    try {
      tp.edit('environments/dev.yaml', /^name: dev$/m, `name: dev\n${JSON.stringify(HOSTILE)}: 1`);
      for (const format of ['text', 'github', 'json']) {
        const r = await runMain(tp.root, ['validate', '--format', format]);
        expect(r.code, format).toBe(1);
        const commands = workflowCommands(r.stdout + r.stderr);
        if (format === 'github') {
          // exactly our own annotation, at the key's file and line
          expect(commands).toEqual([expect.stringMatching(/^::error file=environments\/dev\.yaml,line=\d+,col=1::/)]);
          expect(commands[0]).not.toContain('##[');
        } else expect(commands, format).toEqual([]);
        if (format === 'json') expect((JSON.parse(r.stdout) as { findings: { message: string }[] }).findings[0]!.message).toContain('##[error]v1');
        expect(r.stdout + r.stderr).not.toMatch(/internal error/);
      }
    } finally {
      tp.cleanup();
    }
  });
});

describe('diff of a hostile value', () => {
  let t: GitProject;
  let base: string;
  beforeAll(() => {
    t = gitProject();
    // A multi-line value whose last line changes: the hostile lines are the diff's context lines
    // (a leading blank, which the runner trims).
    const hostile = (end: string): string => `    description: ${JSON.stringify(`about\n${FORGED}\n  ##[warning]v1 forged\n${end}`)}\n`;
    t.edit('environments/lab.yaml', /    description: Answers[^\n]*\n/, hostile('one'));
    base = t.commit('a hostile description');
    t.edit('environments/lab.yaml', /    description: "about[^\n]*\n/, hostile('two'));
    t.commit('the hostile description changed');
  });
  afterAll(() => t?.cleanup());

  it('markdown (the job summary, teed into the log) and text carry no command', async () => {
    for (const format of ['markdown', 'text']) {
      const r = await runMain(t.root, ['diff', '--base', base, '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/forged/); // the hostile text is in the diff's context, shown
      expect(workflowCommands(r.stdout + r.stderr), format).toEqual([]);
    }
  });
});

describe('output hygiene', () => {
  it('TERM=dumb and NO_COLOR get plain lines, never cursor codes', () => {
    const sink = { format: 'text', err: () => {} };
    expect(progressMode(sink, {}, true)).toBe('tty');
    expect(progressMode(sink, { TERM: 'dumb' }, true)).toBe('lines');
    expect(progressMode(sink, { NO_COLOR: '1' }, true)).toBe('lines');
    expect(progressMode(sink, { NO_COLOR: '' }, true)).toBe('tty');
  });

  it('a long finding is folded in text and annotations and kept whole in JSON', () => {
    // the size of the finding the issue saw (a PLAT001 listing every destination)
    const message = `app "prod-x": not permitted (destinations: ${'https://prod.example.com:6443/ns, '.repeat(330)})`;
    const f: Finding = { file: 'generated/prod/apps/x.yaml', line: 1, col: 1, path: '/spec', message, rule: 'PLAT001' };
    for (const format of ['text', 'github'] as const) {
      const out = formatFindings([f], format);
      expect(Math.max(...out.split('\n').map((l) => l.length)), format).toBeLessThan(800);
      expect(out).toMatch(/more characters; --format json has the full text/);
    }
    let json = '';
    emitOutcome({ format: 'json', out: (s) => (json += s), err: () => {} }, { command: 'check', findings: [f], summary: 's' });
    expect((JSON.parse(json) as { findings: { message: string }[] }).findings[0]!.message).toBe(message);
    expect(foldLine('short')).toBe('short');
  });

  it('diff works from a project in a subfolder of a git repository', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'catalyst-outer-'));
    const tp = tempProject();
    try {
      cpSync(tp.root, join(outer, 'deploy', 'gitops'), { recursive: true });
      writeFileSync(join(outer, 'README.md'), 'another project\n');
      const git = (...a: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...a], { cwd: outer, encoding: 'utf8' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-qm', 'fixture');
      const r = await runMain(join(outer, 'deploy', 'gitops'), ['diff', '--base', 'HEAD', '--affected']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
    } finally {
      tp.cleanup();
      rmSync(outer, { recursive: true, force: true });
    }
  });
});

describe('the network allow-list in the diff', () => {
  let g: GitProject;
  let from: string;
  beforeAll(() => {
    g = gitProject();
    from = g.commit('base');
    g.edit('apps/_hosts.yaml', /^hosts:\n/m, 'hosts:\n  - charts.newcomer.example\n');
    g.commit('a new host');
  });
  afterAll(() => g?.cleanup());

  it('a new host is security-relevant and a finding at its line unless --allow-new-hosts', async () => {
    const r = await runMain(g.root, ['diff', '--base', from, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^- :warning: apps\/_hosts\.yaml: network host charts\.newcomer\.example added/m);
    expect(r.stderr).toMatch(/^apps\/_hosts\.yaml:6:1 \/hosts host charts\.newcomer\.example is new in the allow-list/m);
    const allowed = await runMain(g.root, ['diff', '--base', from, '--allow-new-hosts']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/! apps\/_hosts\.yaml: network host charts\.newcomer\.example added/);
  });
});
