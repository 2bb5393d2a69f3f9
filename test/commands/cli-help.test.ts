/**
 * The CLI explains itself: per-command --help with examples, `help CMD`, --version, one-line
 * usage errors with a hint, "did you mean" for commands, options, formats and --app, and one JSON
 * shape ({ command, ok, findings, summary } + error) for every outcome with --format json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../helpers/cases.ts';
import { COMMANDS } from '../../scripts/lib/commands/help.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
beforeAll(() => {
  tp = tempProject();
});
afterAll(() => tp?.cleanup());

const run = (args: string[]) => runMain(tp.root, args);

describe('help', () => {
  it('every command has its own --help with options and examples, the same as `help CMD`', async () => {
    for (const cmd of Object.keys(COMMANDS)) {
      const a = await run([cmd, '--help']);
      const b = await run(['help', cmd]);
      expect(a.code, cmd).toBe(0);
      expect(a.stdout, cmd).toBe(b.stdout);
      expect(a.stdout, cmd).toMatch(new RegExp(`^usage: catalyst ${cmd}`));
      expect(a.stdout, cmd).toContain('\nexamples:\n  ');
    }
    expect((await run(['render', '--help'])).stdout).not.toContain('hydrate');
  });

  it('the global usage names every command', async () => {
    const r = await run(['help']);
    for (const cmd of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} +\\S`, 'm'));
  });

  it('help of an unknown command suggests the nearest', async () => {
    const r = await run(['help', 'hydrat']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('catalyst: help: unknown command "hydrat" (did you mean "hydrate"?) (see: catalyst help)\n');
  });

  it('--version prints the package version, as text and as JSON', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `catalyst ${version}\n`, stderr: '' });
    expect(JSON.parse((await run(['--version', '--format', 'json'])).stdout)).toMatchObject({ command: 'version', ok: true, version });
  });
});

describe('usage errors', () => {
  it('are one line naming the problem and where help is', async () => {
    const cases: [string[], string][] = [
      [['rendr'], 'catalyst: unknown command "rendr" (did you mean "render"?) (see: catalyst help)\n'],
      [['render', '--evn', 'dev'], 'catalyst: unknown option --evn (did you mean "--env"?) (see: catalyst help render)\n'],
      [['graph', '--format', 'jsn'], 'catalyst: --format must be text or json, not "jsn" (did you mean "json"?) (see: catalyst help graph)\n'],
      [['render', '--to', 'x'], 'catalyst: --to is an option of charts, not of render (see: catalyst help render)\n'],
      [['render', '--env'], 'catalyst: --env needs a value (see: catalyst help render)\n'],
      [[], 'catalyst: no command given (see: catalyst help)\n'],
    ];
    for (const [args, line] of cases) {
      const r = await run(args);
      expect(r, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: line });
    }
  });

  it('with --format json: the document every command prints, with an error member', async () => {
    const r = await run(['hydrate', '--env', 'dev', '--app', 'postgress', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['command', 'ok', 'findings', 'summary', 'error']);
    expect(doc).toMatchObject({ command: 'hydrate', ok: false, findings: [], error: { kind: 'usage', hint: 'catalyst help hydrate' } });
    expect((doc.error as { message: string }).message).toContain('(did you mean "postgres"?)');
  });
});

describe('graph --format json', () => {
  it('is a graph as data: per env every component with its wave, layer and edges', async () => {
    const r = await run(['graph', '--env', 'dev', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { envs: { env: string; components: { name: string; wave: number; dependsOn: string[]; crdProviders: string[] }[] }[] };
    const dev = doc.envs[0]!;
    expect(dev.env).toBe('dev');
    const byName = new Map(dev.components.map((c) => [c.name, c]));
    expect(byName.get('namespaces')!.wave).toBe(0);
    // Every edge points at a component of the graph, at an earlier wave.
    for (const c of dev.components) for (const d of [...c.dependsOn, ...c.crdProviders]) expect(byName.get(d)!.wave, `${c.name} -> ${d}`).toBeLessThan(c.wave);
    // The declared flows: talksTo edges between enabled components, and the models' pod flows.
    const flows = dev.components as unknown as { name: string; talksTo: { component: string; ports: number[] }[]; podFlows: { name: string; when: string }[] }[];
    for (const c of flows) for (const t of c.talksTo) expect(byName.has(t.component), `${c.name} -> ${t.component}`).toBe(true);
    expect(flows.find((c) => c.name === 'llama-stack')!.talksTo).toContainEqual({ component: 'postgres', ports: [5432] });
    expect(flows.find((c) => c.name === 'models')!.podFlows.map((f) => `${f.when}:${f.name}`)).toContain('multiNode:data-parallel-rpc');
  });

  it('text: the flows after the waves', async () => {
    const r = await run(['graph', '--env', 'dev']);
    expect(r.stdout).toMatch(/^flows \(declared in apps\/.*\):\n/m);
    expect(r.stdout).toMatch(/^  llama-stack -> postgres \(ns catalyst-data\) TCP 5432$/m);
    expect(r.stdout).toMatch(/^  models <-> models when multiNode: data-parallel-rpc TCP 5555$/m);
  });
});

describe('progress on stderr', () => {
  it('every command that can take over a second says what it is doing (plain lines off a terminal), none with --format json', async () => {
    const saved = process.env.CATALYST_PROGRESS;
    delete process.env.CATALYST_PROGRESS;
    try {
      const cases: [string[], RegExp][] = [
        [['validate', '--env', 'dev'], /^validate: dev \(1\/1\)$/m],
        [['graph', '--env', 'dev'], /^graph: dev \(1\/1\)$/m],
        [['prerequisites', '--env', 'dev'], /^prerequisites: dev \(1\/1\)$/m],
        [['env', 'add', 'perf', '--from', 'staging'], /^env add: validating perf with every other env$/m],
        [['hydrate', '--env', 'dev', '--app', 'namespaces'], /^hydrate: dev \(1\/1\): kustomize build$/m],
        [['check', '--env', 'dev'], /^check: dev \(1\/1\): rendering$/m],
      ];
      for (const [args, re] of cases) {
        const r = await run(args);
        expect(r.stderr, args.join(' ')).toMatch(re);
        const j = await run([...args.map((a) => (a === 'perf' ? 'perf2' : a)), '--format', 'json']);
        expect(j.stderr, `${args.join(' ')} --format json`).toBe('');
      }
    } finally {
      if (saved === undefined) delete process.env.CATALYST_PROGRESS;
      else process.env.CATALYST_PROGRESS = saved;
    }
  });
});

describe('a disabled component with settings', () => {
  it('validate warns at each ignored setting, naming where it was turned off, and still passes', async () => {
    const t = tempProject();
    const saved = tp;
    tp = t;
    try {
      t.edit('environments/dev.yaml', 'components:\n', 'components:\n  webui:\n    enabled: false\n    replicas: 2\n');
      const r = await run(['validate', '--env', 'dev']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^environments\/dev\.yaml:\d+:5 warning: \/components\/webui\/replicas components\.webui is disabled \(enabled: false at environments\/dev\.yaml:\d+\), so its replicas is ignored: remove it, or enable the component$/m);
      expect(r.stdout).toMatch(/^validate: 1 environment\(s\) valid \(dev\), 1 warning\(s\)$/m);
      t.edit('environments/dev.yaml', '    replicas: 2\n', '');
      expect((await run(['validate', '--env', 'dev'])).stderr).not.toContain('warning');
    } finally {
      tp = saved;
      t.cleanup();
    }
  });
});
