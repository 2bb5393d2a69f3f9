/**
 * The benchmarks layer through the real pipeline: one Job per run id of `benchmarks:` (GuideLLM,
 * TravelPlanner, VendingBench), results on a PVC and recorded to MLflow and the benchmarks
 * database, synced last and never gating health; adding a run id adds exactly one Job; the
 * config errors of `benchmarks:` with their file, line and column.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { runPolicies } from '../../scripts/lib/verify/policy/index.ts';
import { loadProject, renderOne, type EnvOutput } from '../../scripts/lib/render/environment.ts';
import { formatFinding, type K8sObject } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { configFindings, docs, lineAt, renderOk, renderFixture, type Obj } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

const jobs = (out: EnvOutput) => docs(out, 'benchmarks/runs.yaml').filter((o) => o.kind === 'Job');
const container = (job: Obj, name: string): Obj => [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers].find((c: Obj) => c.name === name);
const envOf = (c: Obj): Record<string, string> => Object.fromEntries(c.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));

const NEW_RUN = `  - id: guidellm-qwen3-8b-sweep-20261201
    kind: guidellm
    model: qwen3-8b
    guidellm: { profile: sweep, rate: 5, durationSeconds: 60, promptTokens: 128, outputTokens: 64 }
`;

describe('benchmark runs: one Job per run id', () => {
  it('prod runs one of each benchmark, dev at least one of each', () => {
    expect(jobs(renderFixture('prod')).map((j) => [j.metadata.name, j.metadata.labels['catalyst.dev/benchmark-kind']])).toEqual([
      ['guidellm-qwen3-next-const8-20261126', 'guidellm'],
      ['travelplanner-validation-20261126', 'travelplanner'],
      ['vendingbench-30d-20261126', 'vendingbench'],
    ]);
    expect(new Set(jobs(renderFixture('dev')).map((j) => j.metadata.labels['catalyst.dev/benchmark-kind']))).toEqual(new Set(['guidellm', 'travelplanner', 'vendingbench']));
  });

  it('each Job has a deadline, no TTL, no retries, results on the PVC, and a wave (or is hidden from health)', () => {
    for (const j of jobs(renderFixture('prod'))) {
      expect(j.metadata.namespace).toBe('catalyst-benchmarks');
      expect(j.spec.ttlSecondsAfterFinished).toBeUndefined();
      expect(j.spec.backoffLimit).toBe(0);
      expect(j.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      // components.benchmarks.concurrency: a sync wave per model, else hidden from health.
      expect(Object.keys(j.metadata.annotations)).toEqual(['argocd.argoproj.io/sync-wave']);
      expect(j.metadata.annotations['argocd.argoproj.io/hook']).toBeUndefined();
      const spec = j.spec.template.spec;
      expect(spec.restartPolicy).toBe('Never');
      expect(spec.volumes.find((v: Obj) => v.name === 'results')).toEqual({ name: 'results', persistentVolumeClaim: { claimName: 'benchmark-results' } });
      expect(envOf(container(j, 'record'))).toMatchObject({
        RUN_ID: j.metadata.name,
        RESULTS_DIR: `/results/${j.metadata.name}`,
        MLFLOW_TRACKING_URI: 'http://mlflow.catalyst-observability.svc.cluster.local:5000',
        PGDATABASE: 'benchmarks',
      });
    }
    const pvc = docs(renderFixture('prod'), 'benchmarks/results.yaml').find((o) => o.kind === 'PersistentVolumeClaim')!;
    expect(pvc.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  it('never blocks the platform: the benchmarks component is the last wave', () => {
    const plan = renderFixture('prod').plan!;
    const last = plan.byName.get('benchmarks')!.wave;
    for (const a of plan.apps) if (a.name !== 'benchmarks') expect(a.wave, a.name).toBeLessThan(last);
  });

  it('runs GuideLLM v0.7 against the model route with the env\'s profile, rate, duration, data shape and processor', () => {
    const g = jobs(renderFixture('prod')).find((j) => j.metadata.name === 'guidellm-qwen3-next-const8-20261126')!;
    const c = container(g, 'guidellm');
    expect(c.image).toBe('ghcr.io/vllm-project/guidellm:v0.7.2');
    expect(c.command.slice(4)).toEqual([
      '/opt/app-root/bin/guidellm',
      'run',
      '--backend',
      'kind=openai_http,target=http://kserve-ingress-gateway-istio.kserve.svc.cluster.local/catalyst-inference/qwen3-next-80b,model=RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8',
      '--tokenizer',
      'kind=huggingface_auto,model=RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8',
      '--profile',
      'kind=constant,rate=8',
      '--data',
      'kind=synthetic_text,prompt_tokens=512,output_tokens=256',
      '--constraint',
      'kind=max_duration,seconds=600',
      '--output',
      'kind=json,path=/results/guidellm-qwen3-next-const8-20261126/benchmarks.json',
      '--output',
      'kind=csv,path=/results/guidellm-qwen3-next-const8-20261126/benchmarks.csv',
      '--output',
      'kind=html,path=/results/guidellm-qwen3-next-const8-20261126/benchmarks.html',
      '--disable-console-interactive',
    ]);
  });

  it('runs the agent benchmarks through their agent with the image and parameters from the env', () => {
    const out = renderFixture('prod');
    const v = jobs(out).find((j) => j.metadata.name === 'vendingbench-30d-20261126')!;
    const c = container(v, 'vendingbench');
    expect(c.image).toBe('ghcr.io/catalyst-lab/benchmarks/vending-bench:0.1.0');
    expect(c.command.slice(4)).toEqual(['vending-bench-a2a', '--mode', 'baseline', '--days', '30']);
    expect(envOf(c)).toMatchObject({
      A2A_AGENT_URL: 'http://platform-assistant.catalyst-agents.svc.cluster.local:9999/',
      AGENT_NAME: 'platform-assistant',
      MODEL: 'qwen3-next-80b/RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8',
      RESULTS_DIR: '/results/vendingbench-30d-20261126',
      MCP_SERVERS: 'search',
    });
    expect(v.spec.activeDeadlineSeconds).toBe(86400);
  });

  it('adding a run id to the env adds exactly one Job, and nothing else changes', () => {
    tp = tempProject();
    const before = renderFixture('dev');
    tp.edit('environments/dev.yaml', 'benchmarks:\n', `benchmarks:\n${NEW_RUN}`);
    const after = renderOk(tp, 'dev');
    const changed = [...new Set([...before.files.keys(), ...after.files.keys()])].filter((p) => before.files.get(p) !== after.files.get(p));
    expect(changed).toEqual(['benchmarks/runs.yaml']);
    const b = jobs(before);
    const a = jobs(after);
    expect(a.length).toBe(b.length + 1);
    const added = a.filter((j) => !b.some((x) => x.metadata.name === j.metadata.name));
    expect(added.map((j) => j.metadata.name)).toEqual(['guidellm-qwen3-8b-sweep-20261201']);
    // Every existing Job keeps its spec (immutable); only its sync wave may move.
    for (const j of b) expect(a.find((x) => x.metadata.name === j.metadata.name)!.spec).toEqual(j.spec);
    expect(container(added[0]!, 'guidellm').command).toContain('kind=sweep,sweep_size=5');
    // Through Llama Stack (the default target) GuideLLM asks for the id Llama Stack registers,
    // <provider_id>/<provider_model_id>; its tokenizer stays the Hugging Face repository.
    const cmd: string[] = container(added[0]!, 'guidellm').command;
    expect(cmd).toContain('kind=openai_http,target=http://llama-stack-service.catalyst-llama-stack.svc.cluster.local:8321,model=qwen3-8b/Qwen/Qwen3-8B');
    expect(cmd).toContain('kind=huggingface_auto,model=Qwen/Qwen3-8B');
  });

  it('removing a run id (or disabling the run) removes exactly its Job', () => {
    tp = tempProject();
    const before = renderFixture('prod');
    tp.edit('environments/prod.yaml', /  - id: travelplanner-validation-20261126\n(    .*\n)+?(?=  - id:)/, '');
    const after = renderOk(tp, 'prod');
    expect(jobs(before).map((j) => j.metadata.name).filter((n) => !jobs(after).some((j) => j.metadata.name === n))).toEqual(['travelplanner-validation-20261126']);
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/prod.yaml', '  - id: vendingbench-30d-20261126\n', '  - id: vendingbench-30d-20261126\n    enabled: false\n');
    expect(jobs(renderOk(tp, 'prod')).map((j) => j.metadata.name)).toEqual(['guidellm-qwen3-next-const8-20261126', 'travelplanner-validation-20261126']);
  });

  it('meets every posture rule (SEC018 included) and the CRD schemas', async () => {
    for (const env of ['dev', 'prod']) {
      const out = renderFixture(env);
      const located = [...docs(out, 'benchmarks/runs.yaml'), ...docs(out, 'benchmarks/results.yaml')].map((obj) => ({ obj: obj as K8sObject, file: 'test', line: 0 }));
      located.push({ obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'benchmark-runner', namespace: 'catalyst-benchmarks' }, automountServiceAccountToken: false }, file: 'base', line: 0 });
      expect(runPolicies({ plan: out.plan!, objects: located }).map(formatFinding), env).toEqual([]);
      expect((await validateObjects(located, { crdSchemaDir: join(ROOT, 'schemas', 'crds') })).map(formatFinding), env).toEqual([]);
    }
  });
});

describe('benchmark config errors: file, line and column', () => {

  it('requires an image for an enabled TravelPlanner or VendingBench run', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', '    image: ghcr.io/catalyst-lab/benchmarks/travelplanner:0.1.0\n', '');
    const pos = lineAt(tp.read('environments/dev.yaml'), /- id: travelplanner-smoke-20261126/, 'id:');
    expect(configFindings(tp, 'dev')).toEqual([
      { file: 'environments/dev.yaml', line: pos.line, col: pos.col, path: '/benchmarks/1', message: 'is missing required key "image"' },
    ]);
    // A disabled run needs none.
    tp.edit('environments/dev.yaml', '  - id: travelplanner-smoke-20261126\n', '  - id: travelplanner-smoke-20261126\n    enabled: false\n');
    expect(renderOne(loadProject(tp.paths), 'dev').findings).toEqual([]);
  });

  it('requires a rate for a constant, poisson or concurrent GuideLLM profile', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', '{ profile: concurrent, rate: 4, ', '{ profile: concurrent, ');
    expect(configFindings(tp, 'dev').map((f) => [f.path, f.message])).toEqual([['/benchmarks/0/guidellm', 'is missing required key "rate"']]);
  });
});
