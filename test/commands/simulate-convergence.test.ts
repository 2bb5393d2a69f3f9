/**
 * `simulate` on a copy of the project (issue #21, "Done when"): a new env made as the README says
 * (`env add NAME --from ENV`, then `render`) converges with the bundled ones; with one of the fixes
 * that made the envs converge reverted in the copy's templates, `simulate` exits 1 and names the
 * object, the wave and the upstream rule. The fixes that live in code (the Lua's Failed branch,
 * RespectIgnoreDifferences, the health keys in every root.yaml) are reverted in the simulation's
 * input, the rendered objects of the same copy (the Lua also in test/verify/simulation/).
 * Local components only (no chart mirror): the chart Applications are "not simulated".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../scripts/lib/findings.ts';
import { simulateInputs } from '../../scripts/lib/commands/simulate.ts';
import { simulate, type SimulateEnv } from '../../scripts/lib/verify/simulation/index.ts';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
beforeAll(() => {
  tp = tempProject();
});
afterAll(() => tp.cleanup());

const simulateCli = (...args: string[]) => runMain(tp.root, ['simulate', ...args]);

/** Run `simulate` with one template edited, then restore it. */
async function reverted(file: string, from: string | RegExp, to: string, ...args: string[]) {
  const before = tp.read(file);
  tp.edit(file, from, to);
  try {
    return await simulateCli(...args);
  } finally {
    tp.write(file, before);
  }
}

describe('a new env made as the README says converges', () => {
  it('env add perf --from staging, render, simulate: every env of the shared instance converges, exit 0', async () => {
    const add = await runMain(tp.root, ['env', 'add', 'perf', '--from', 'staging']);
    expect(add.code, add.stderr).toBe(0);
    const render = await runMain(tp.root, ['render']);
    expect(render.code, render.stderr).toBe(0);
    // The manager's root.yaml (re-applied by the admin, README) makes perf's root.
    expect(tp.read('generated/prod/root.yaml')).toMatch(/env: perf/);
    const r = await simulateCli('--env', 'perf');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^perf: health checks when the first root syncs: argoproj\.io_Application/m);
    expect(r.stdout).toMatch(/^ {2}perf-root: converges$/m);
    expect(r.stdout).toMatch(/^ {4}wave 0: .*perf-namespaces \(converges\)/m);
    expect(r.stdout).toMatch(/=> converges/);
    expect(r.stdout).not.toMatch(/does NOT converge/);
  });
});

describe('each template fix reverted: simulate exits 1 naming the object, the wave and the rule', () => {
  it('benchmarks results claim back in wave 0 (before its first run): SIM001 on the claim', async () => {
    const r = await reverted('apps/benchmarks/overlays/results.yaml.hbs', /\{\{#if facts\.benchmarks\.results\.syncWave\}\}[\s\S]*?\{\{\/if\}\}\n/, '', '--env', 'dev');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PersistentVolumeClaim\/benchmark-results \[SIM001\]/);
    expect(r.stderr).toMatch(/Sync wave 0/);
    expect(r.stderr).toMatch(/gitops-engine\/pkg\/health\/health_pvc\.go/);
    expect(r.stdout).toMatch(/dev-benchmarks .*does not converge|=> does NOT converge/);
  });

  it('model ServiceAccount back in wave 0 (after the fill Jobs of wave -1): SIM001 names the claim, its Job and the ServiceAccount', async () => {
    const r = await reverted('apps/models/overlays/serviceaccount.yaml.hbs', /\{\{#if facts\.inference\.cache\}\}\n {2}annotations:[\s\S]*?\{\{\/if\}\}\n/, '', '--env', 'staging');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[SIM001\]/);
    expect(r.stderr).toMatch(/Sync wave -1/);
    expect(r.stderr).toMatch(/PersistentVolumeClaim\/model-cache\S* \[SIM001\].*Job\/fill-\S+ cannot create a pod: ServiceAccount \S+ does not exist yet/);
  });

  it('hf-token ExternalSecret back in wave 0: SIM001 names the Job waiting for the Secret', async () => {
    const r = await reverted('apps/models/overlays/hf-token.yaml.hbs', 'wave="-2"', '', '--env', 'staging');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[SIM001\]/);
    expect(r.stderr).toMatch(/Sync wave -1/);
    expect(r.stderr).toMatch(/Job\/\S+.*Secret hf-token/);
  });

  it("no orphanedResources.ignore in the child project: SIM010 names the controller-made object and Argo CD's rule", async () => {
    const r = await reverted('overlays/_argocd/root.hbs', /\n {4}ignore: \{\{json fence\.orphanedIgnore\}\}/, '', '--env', 'dev');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AppProject\/catalyst-dev \[SIM010\] .*cert-manager \(Ingress \S+\) writes Secret \S+-tls/);
    expect(r.stderr).toMatch(/controller\/appcontroller\.go/);
  });
});

describe('each code fix reverted in the rendered objects: the env does not converge, the finding names object, wave and rule', () => {
  let envs: SimulateEnv[];
  beforeAll(async () => {
    const opts = { paths: tp.paths, envs: undefined, format: 'text' as const, kubeconform: false, out: () => {}, err: () => {} };
    const r = await simulateInputs(opts, ['dev', 'staging']);
    expect(r.findings).toEqual([]);
    envs = r.envs;
  });
  /** The envs with one env's objects replaced (the shared hydration stays untouched). */
  const withLocated = (env: string, fn: (l: SimulateEnv['located']) => SimulateEnv['located']): SimulateEnv[] =>
    envs.map((e) => (e.env === env ? { ...e, located: fn(e.located) } : e));
  const of = (runs: ReturnType<typeof simulate>, env: string) => runs.find((r) => r.env === env)!;
  const messages = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).map((f) => `${f.kind}/${f.name}: ${f.message}`);

  it('as rendered, every env converges', () => {
    const runs = simulate(envs);
    expect(runs.map((r) => [r.env, r.converged])).toEqual(envs.map((e) => [e.env, true]));
  });

  it('without RespectIgnoreDifferences=true on the children that ignore differences: SIM009 names the Application', () => {
    let stripped = 0;
    const copy = withLocated('dev', (located) =>
      located.map((o) => {
        const spec = o.obj.spec as { syncPolicy?: { syncOptions?: string[] } } | undefined;
        const options = spec?.syncPolicy?.syncOptions;
        if (o.obj.kind !== 'Application' || !options?.includes('RespectIgnoreDifferences=true')) return o;
        stripped += 1;
        const syncPolicy = { ...spec!.syncPolicy, syncOptions: options.filter((x) => x !== 'RespectIgnoreDifferences=true') };
        return { ...o, obj: { ...o.obj, spec: { ...spec, syncPolicy } } };
      }),
    );
    expect(stripped).toBeGreaterThan(0);
    const r = of(simulate(copy), 'dev');
    expect(r.converged).toBe(false);
    const found = messages(r.findings, 'SIM009');
    expect(found).toHaveLength(stripped);
    expect(found[0]).toMatch(/^Application\/dev-istio\S+: dev: dev-istio\S+ fights the cluster: ignoreDifferences \(ValidatingWebhookConfiguration.*docs\/user-guide\/sync-options\.md/);
  });

  it('without the health keys in every root.yaml, staging\'s root runs its waves ungated: SIM004 names root, wave and rule', () => {
    // Before the fix no root.yaml had them (the manager's root synced them at its wave -1; no root syncs them now).
    const isCm = (o: SimulateEnv['located'][number]) => /^generated\/[^/]+\/root\.yaml$/.test(o.file) && o.obj.kind === 'ConfigMap' && o.obj.metadata.name === 'argocd-cm';
    expect(envs.filter((e) => e.located.some(isCm)).map((e) => e.env)).toEqual(envs.map((e) => e.env));
    const copy = envs.map((e) => ({ ...e, located: e.located.filter((o) => !isCm(o)) }));
    const r = of(simulate(copy), 'staging');
    expect(r.converged).toBe(false);
    expect(messages(r.findings, 'SIM004')[0]).toMatch(/^Application\/staging-root: staging: staging-root moves past wave -?\d+ without waiting for staging-\S+: .*gitops-engine\/pkg\/sync\/sync_context\.go/);
  });
});
