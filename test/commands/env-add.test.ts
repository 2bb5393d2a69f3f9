/**
 * `env add NAME --from ENV`: the new env shares no per-env identity with its source or any env,
 * nothing in it names the source (but the values it lists as kept), it validates with every other
 * env, and the output says what an admin must do; bad input is a one-line usage error and
 * writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../helpers/cases.ts';
import { IDENTITIES, namesEnv } from '../../scripts/lib/config/cross-env.ts';
import { loadProject, planOne } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const run = (args: string[]) => runMain(tp!.root, args);

describe('env add', () => {
  it('perf from staging: its own identities, nothing naming staging but what it lists, valid, and the admin steps', async () => {
    tp = tempProject();
    const r = await run(['env', 'add', 'perf', '--from', 'staging']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const project = loadProject(tp.paths);
    const perf = planOne(project, 'perf');
    const staging = planOne(project, 'staging');
    expect(perf.ok && staging.ok).toBe(true);
    if (!perf.ok || !staging.ok) return;
    for (const id of IDENTITIES) {
      const v = id.value(perf.value.env);
      if (v !== undefined) expect(v, id.what).not.toBe(id.value(staging.value.env));
    }
    const kept = r.stdout.split('\n').filter((l) => /^ {2}\/\S+: /.test(l)).map((l) => l.trim().split(': ')[1]!);
    const text = tp.read('environments/perf.yaml');
    const naming = text.split('\n').filter((l) => namesEnv(l, 'staging') && !kept.some((k) => l.includes(k)));
    expect(naming).toEqual([]);
    expect(r.stdout).toContain('argocd.project');
    expect(r.stdout).toContain('catalyst/perf/');
    expect(r.stdout).toMatch(/re-apply generated\/prod\/root\.yaml/);
    expect(r.stdout).toMatch(/kubectl apply -f generated\/perf\/root\.yaml/);
  });

  it('from the manager of an Argo CD: the copy is no manager and gets no branch of the source', async () => {
    tp = tempProject();
    const r = await run(['env', 'add', 'prod2', '--from', 'prod', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; ok: boolean; identities: { field: string; value: string }[]; todo: string[] };
    expect(doc).toMatchObject({ command: 'env add', ok: true });
    expect(doc.identities.find((i) => i.field === 'cluster.domain')!.value).toBe('prod2.catalyst.example.com');
    expect(tp.read('environments/prod2.yaml')).not.toMatch(/manager: true|release\/prod/);
    expect(doc.todo.some((t) => t.includes('targetRevision was release/prod'))).toBe(true);
    expect(planOne(loadProject(tp.paths), 'prod2').ok).toBe(true);
  });

  it('bad input: one line, exit 2, nothing written', async () => {
    tp = tempProject();
    const cases: [string[], RegExp][] = [
      [['env', 'add', 'perf', '--from', 'stagin'], /^catalyst: env add: --from "stagin": environments\/stagin\.yaml does not exist \(did you mean "staging"\?\) \(see: catalyst help env\)\n$/],
      [['env', 'add', 'prod', '--from', 'staging'], /^catalyst: env add: environments\/prod\.yaml already exists/],
      [['env', 'add', 'perf'], /^catalyst: env add: --from ENV is required/],
      [['env', 'ad', 'perf'], /^catalyst: env: unknown subcommand "ad" \(did you mean "add"\?\)/],
      [['env', 'add', 'Perf_1', '--from', 'dev'], /is not a valid environment name/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(join(tp.paths.environments, 'perf.yaml'))).toBe(false);
  });
});
