/**
 * Issue 13 items 8 and 9:
 * 8. GuideLLM ran as an init container, so a failed run was never recorded (vllm-project/guidellm
 *    v0.7.2 src/guidellm/cli/run.py: exit 1/2 on failure); all Jobs started at once; a deleted
 *    experiment broke recording; reruns duplicated MLflow runs.
 * 9. TravelPlanner and VendingBench must reach an agent over A2A (a2aproject/A2A v0.3.0
 *    docs/specification.md:292-293), not Llama Stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { benchmarkBudget, WRAPPER_SCRIPT } from '../../scripts/lib/derive/benchmarks.ts';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

const jobs = (env: string) => docs(renderFixture(env), 'benchmarks/runs.yaml').filter((o) => o.kind === 'Job');
const envOf = (c: Obj) => Object.fromEntries((c.env as Obj[]).filter((e) => 'value' in e).map((e) => [e.name, e.value]));

describe('a failed benchmark is still recorded', () => {
  for (const env of ['dev', 'prod']) {
    it(`${env}: no benchmark init container can fail the pod before the recorder runs`, () => {
      for (const j of jobs(env)) {
        const bench = j.spec.template.spec.initContainers[1] as Obj;
        expect(bench.command.slice(0, 2), j.metadata.name).toEqual(['/bin/sh', '-c']);
        expect(bench.command[2]).toBe(WRAPPER_SCRIPT);
        // The benchmark stops itself before the Job's deadline kills the recorder with it.
        expect(Number(envOf(bench).BENCHMARK_TIMEOUT_SECONDS), j.metadata.name).toBe(benchmarkBudget(j.spec.activeDeadlineSeconds));
        expect(Number(envOf(bench).BENCHMARK_TIMEOUT_SECONDS)).toBeLessThan(j.spec.activeDeadlineSeconds);
        expect(bench.args).toBeUndefined();
        const record = envOf(j.spec.template.spec.containers[0]);
        expect(record.EXIT_CODE_FILE).toBe(`${envOf(bench).RESULTS_DIR}/exit_code`);
      }
      const g = jobs(env).find((j) => j.metadata.labels['catalyst.dev/benchmark-kind'] === 'guidellm')!;
      expect(g.spec.template.spec.initContainers[1].command[4]).toBe('/opt/app-root/bin/guidellm');
    });
  }

  it('the recorder restores a deleted experiment, reuses the run of its id, records the status and exits with the code', () => {
    const py = readFileSync(join(ROOT, 'apps/benchmarks/base/record_run.py'), 'utf8');
    expect(py).toContain('client.restore_experiment(exp.experiment_id)');
    expect(py).toContain('filter_string=f"tags.`{RUN_TAG}` = \'{RUN_ID}\'"');
    expect(py).toContain('{"run_id": previous} if previous');
    expect(py).toMatch(/return code\n/);
  });
});

describe('a benchmark that reaches its deadline is recorded', () => {
  it('leaves the recorder a tenth of the deadline, at least 60 s and at most 10 min', () => {
    expect(benchmarkBudget(60)).toBe(30);
    expect(benchmarkBudget(1800)).toBe(1620);
    expect(benchmarkBudget(7200)).toBe(6600);
    expect(benchmarkBudget(86400)).toBe(85800);
  });

  it('the recorder records exit 124 as timed_out', () => {
    const py = readFileSync(join(ROOT, 'apps/benchmarks/base/record_run.py'), 'utf8');
    expect(py).toContain('"timed_out" if code == DEADLINE_EXIT_CODE');
    const j = jobs('prod')[0]!;
    expect(envOf(j.spec.template.spec.containers[0]).DEADLINE_EXIT_CODE).toBe('124');
  });
});

describe('runs of one model do not overlap', () => {
  it('prod (perModel 1): each model\'s runs get strictly ascending sync waves', () => {
    const byModel = new Map<string, number[]>();
    for (const j of jobs('prod')) {
      const model = JSON.parse(envOf(j.spec.template.spec.containers[0]).RUN_PARAMS).model as string;
      expect(j.metadata.annotations['argocd.argoproj.io/ignore-healthcheck']).toBeUndefined();
      byModel.set(model, [...(byModel.get(model) ?? []), Number(j.metadata.annotations['argocd.argoproj.io/sync-wave'])]);
    }
    for (const waves of byModel.values()) expect(waves).toEqual(waves.map((_, i) => i + 1));
  });

  it('dev (perModel 2): at most two runs of a model per wave', () => {
    const waves = jobs('dev').map((j) => j.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(waves).toEqual(['1', '1', '2']);
  });
});

describe('agentic benchmarks go through an agent', () => {
  for (const env of ['dev', 'prod']) {
    it(`${env}: TravelPlanner and VendingBench reach an agent's A2A Service, never Llama Stack`, () => {
      const out = renderFixture(env);
      const services = docs(out, 'agents/agents.yaml').filter((o) => o.kind === 'Service');
      const agentic = jobs(env).filter((j) => j.metadata.labels['catalyst.dev/benchmark-kind'] !== 'guidellm');
      expect(agentic.length).toBeGreaterThan(0);
      for (const j of agentic) {
        const e = envOf(j.spec.template.spec.initContainers[1]);
        const svc = services.find((s) => e.A2A_AGENT_URL === `http://${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local:${s.spec.ports[0].port}/`);
        expect(svc, j.metadata.name).toBeDefined();
        expect(e.A2A_AGENT_CARD_URL).toBe(`${e.A2A_AGENT_URL}.well-known/agent-card.json`);
        expect(Object.values(e).some((v) => String(v).includes('llama-stack'))).toBe(false);
      }
      const np = docs(out, 'namespaces/network-policies.yaml');
      const egress = JSON.stringify(np.filter((p) => p.metadata.namespace === 'catalyst-benchmarks'));
      expect(egress).toContain('9999');
    });
  }
});
