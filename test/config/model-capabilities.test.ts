/**
 * Rules of the per-model capabilities (scaling, LoRA, prefill, multi-node, cache, priority) and
 * of what KServe v0.20 really accepts (image pins, TLS), on edits of the fixture env. Each
 * finding names the env file line of the offending key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../scripts/lib/findings.ts';
import type { TempProject } from '../helpers/project.ts';
import { lineAt } from '../helpers/render.ts';
import { FIXTURE_ENV, labProject, renderLabRaw } from '../render/infer-lab.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

const FILE = `environments/${FIXTURE_ENV}.yaml`;

function run(from: string | RegExp, to: string): { list: Finding[]; text: string } {
  tp = labProject((t) => {
    const next = t.replace(from, to);
    if (next === t) throw new Error(`fixture edit: ${String(from)} not found`);
    return next;
  });
  return { list: renderLabRaw(tp).findings, text: tp.read(FILE) };
}

const messages = (r: { list: Finding[] }): string[] => r.list.map((f) => f.message);

describe('scaling (KServe v0.20 ScalingSpec, WVA actuator)', () => {
  it('replicas together with scaling is refused at replicas', () => {
    const r = run('    tensorParallelism: 2\n    scaling:', '    replicas: 2\n    tensorParallelism: 2\n    scaling:');
    expect(r.list).toEqual([
      {
        file: FILE,
        ...lineAt(r.text, /^    replicas: 2$/, '2'),
        path: '/models/0/replicas',
        message: 'model "chat" sets both replicas and scaling: KServe v0.20 accepts only one (replicas follow the autoscaler)',
      },
    ]);
  });

  it('exactly one actuator, min <= max, KEDA idleReplicaCount below minReplicas', () => {
    expect(messages(run('hpa: { scaleDownStabilizationSeconds: 300 }', 'variantCost: "5"'))).toEqual(['scaling of model "chat" needs exactly one actuator: hpa or keda']);
    expect(messages(run('minReplicas: 1, maxReplicas: 2, hpa: { scaleDownStabilizationSeconds: 300 }', 'minReplicas: 2, maxReplicas: 2, keda: { idleReplicaCount: 2 }'))).toEqual([
      'idleReplicaCount 2 must be below minReplicas 2 (KServe v0.20 validation)',
    ]);
  });
});

describe('LoRA adapters (spec.model.lora)', () => {
  it('an adapter named like the base model, a duplicate and a hand-written --lora-modules are findings', () => {
    const r = run(
      '        - { name: sql-helper, uri: hf://catalyst-lab/qwen3-8b-sql-lora }\n',
      '        - { name: sql-helper, uri: hf://catalyst-lab/qwen3-8b-sql-lora }\n        - { name: sql-helper, uri: s3://loras/sql }\n        - { name: chat, uri: pvc://loras/qwen }\n    extraArgs: [--lora-modules=x=/tmp/x]\n',
    );
    expect(messages(r).sort()).toEqual(
      [
        '--lora-modules is set by KServe from lora: (with --lora-modules it would skip the adapters)',
        'adapter "chat" has the base model\'s name: clients could not tell them apart',
        'adapter "sql-helper" is listed twice (first at environments/infer-lab.yaml:51, /models/0/lora/adapters/0/name)',
      ].sort(),
    );
  });

  it('an oci:// adapter is refused by the schema (workload_lora.go accepts hf, s3, pvc)', () => {
    const r = run('uri: hf://catalyst-lab/qwen3-8b-sql-lora', 'uri: oci://ghcr.io/x/y:1');
    expect(r.list).toHaveLength(1);
    expect(r.list[0]!.path).toBe('/models/0/lora/adapters/0/uri');
  });
});

describe('prefill/decode, multi-node, cache, priority', () => {
  it('prefill on an embedding model is refused', () => {
    const r = run('    mig: 3g.40gb\n    embeddingDimension: 1024', '    mig: 3g.40gb\n    prefill: { replicas: 1, tensorParallelism: 1 }\n    embeddingDimension: 1024');
    expect(messages(r)).toContain('prefill/decode disaggregation is for llm models; "embed" is an embedding model');
  });

  it('multi-node: data must divide into pods of dataLocal ranks, and LWS must be on', () => {
    expect(messages(run('multiNode: { data: 2, dataLocal: 1 }', 'multiNode: { data: 3, dataLocal: 2 }'))).toContain(
      'data 3 is not a multiple of dataLocal 2: pods per group are data / dataLocal',
    );
    expect(messages(run('components:\n', 'components:\n  lws: { enabled: false }\n'))).toContain('model "wide" runs on a LeaderWorkerSet: enable the lws component');
  });

  it('the model cache needs an hf:// uri and components.models.cache', () => {
    const r = run(/    cache: \{ claimName[^\n]*\n/, '');
    expect(r.list).toEqual([{ file: FILE, ...lineAt(r.text, /^    cache: true/, 'true'), path: '/models/0/cache', message: 'model "chat" uses the model cache, but components.models.cache is not set' }]);
  });

  it('a ReadWriteOnce cache read by more than one pod is refused', () => {
    const r = run('accessMode: ReadWriteMany }', 'accessMode: ReadWriteOnce }');
    expect(r.list.map((f) => [f.path, f.message])).toEqual([
      ['/components/models/cache/accessMode', '2 model pods read the model cache, but a ReadWriteOnce volume attaches to one node: use ReadWriteMany with a new claimName (the access mode of an existing claim cannot change: the API server refuses it)'],
    ]);
  });

  it('a ReadWriteOnce cache read by one pod is refused on several GPU nodes: a rollout surges a second pod (issue 24)', () => {
    const one = (t: string): string => t.replace('accessMode: ReadWriteMany }', 'accessMode: ReadWriteOnce }').replace('maxReplicas: 2, hpa', 'maxReplicas: 1, hpa');
    tp = labProject(one);
    const list = renderLabRaw(tp).findings;
    expect(list.map((f) => [f.path, f.message])).toEqual([
      ['/components/models/cache/accessMode', 'a rollout of the cached model starts a second pod (RollingUpdate maxSurge 25%, rounded up) before the first stops, and a ReadWriteOnce volume attaches to one node: on another GPU node the new pod waits on Multi-Attach and the rollout never ends; use ReadWriteMany with a new claimName (the access mode of an existing claim cannot change: the API server refuses it)'],
    ]);
    tp.cleanup();
    // On one GPU node every pod shares the node, and so the volume.
    tp = labProject((t) => one(t).replace('    nodes: 4\n', '    nodes: 1\n'));
    expect(renderLabRaw(tp).findings.filter((f) => f.path === '/components/models/cache/accessMode')).toEqual([]);
  });

  it('a priority class must be defined in components.models.priorityClasses', () => {
    expect(messages(run('    priorityClass: batch', '    priorityClass: urgent'))).toEqual(['priority class "urgent" is not in components.models.priorityClasses (have: interactive, batch)']);
  });
});

describe('defect 13 and 2: what KServe v0.20 really accepts', () => {
  it('a vLLM image pinned without the endpoint picker image mixes llm-d releases', () => {
    const r = run('  models:\n    cache:', '  models:\n    image: ghcr.io/llm-d/llm-d-cuda:v0.8.0\n    cache:');
    expect(r.list.map((f) => [f.path, f.line])).toEqual([['/components/models/image', lineAt(r.text, /^    image:/).line]]);
  });

  it('workloadTls: true is refused (the chart never renders enableLLMInferenceServiceTLS)', () => {
    const r = run('  models:\n    cache:', '  models:\n    workloadTls: true\n    cache:');
    expect(r.list.map((f) => f.path)).toEqual(['/components/models/workloadTls']);
  });
});
