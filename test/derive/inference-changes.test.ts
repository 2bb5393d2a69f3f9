/**
 * The inference layer as a whole: golden-style diffs of a changed env, the validation rules with
 * their file:line:col, the health checks of the inference kinds, and the strict and upstream CRD schemas.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../../scripts/lib/paths.ts';
import { formatFinding, type Finding, type SourcedObject } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { lineAt, renderFixture, renderTemp, type Obj } from '../helpers/render.ts';
import { ok, services, treeDiff } from '../helpers/inference.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

describe('golden-style: a changed env changes exactly the expected lines', () => {
  it('a model\'s GPU count changes its tensor parallelism and its GPU requests and limits, nothing else', () => {
    tp = tempProject();
    const before = renderFixture('prod');
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?tensorParallelism:) 2/, '$1 4');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({
      removed: ['    tensor: 2', '            nvidia.com/gpu: "2"', '            nvidia.com/gpu: "2"'],
      added: ['    tensor: 4', '            nvidia.com/gpu: "4"', '            nvidia.com/gpu: "4"'],
    });
  });

  it('a scorer weight in the env changes that weight in every model that takes it, nothing else', () => {
    tp = tempProject();
    const before = renderFixture('prod');
    tp.edit('environments/prod.yaml', 'scorers: { queue: 2, kvCacheUtilization: 2, prefixCache: 3 }', 'scorers: { queue: 2, kvCacheUtilization: 5, prefixCache: 3 }');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    // Only gpt-oss-20b takes the env's kv-cache weight (the Qwen models set their own 0).
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({ removed: ['                  weight: 2'], added: ['                  weight: 5'] });
    const gpt = services(after).get('gpt-oss-20b')!;
    expect(gpt.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins[1]).toEqual({ pluginRef: 'kv-cache-utilization-scorer', weight: 5 });
  });

  it('a model\'s own scorer weight changes only that model', () => {
    tp = tempProject();
    // Two replicas, so qwen3-next-80b has a scheduler (one replica has none).
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?)tensorParallelism: 2/, '$1replicas: 2\n    tensorParallelism: 2');
    const before = ok(renderTemp(tp, 'prod'));
    tp.edit('environments/prod.yaml', /(name: qwen3-next-80b[\s\S]*?scheduler: \{ queue: 2, kvCacheUtilization: 0, prefixCache:) 3/, '$1 7');
    const after = ok(renderTemp(tp, 'prod'));
    const diff = treeDiff(before, after);
    expect([...diff.keys()]).toEqual(['models/llminferenceservices.yaml']);
    expect(diff.get('models/llminferenceservices.yaml')).toEqual({ removed: ['                  weight: 3'], added: ['                  weight: 7'] });
    expect(services(after).get('gpt-oss-20b')!.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins[2].weight).toBe(3);
  });
});

describe('validation of models: file, line and column of every error', () => {
  function findings(env: string): Finding[] {
    const out = renderTemp(tp!, env);
    expect(out.files.size).toBe(0);
    return out.findings;
  }

  it('rejects a model whose GPUs exceed the node\'s GPU count', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /(name: qwen3-8b[\s\S]*?tensorParallelism:) 1/, '$1 2');
    const at = lineAt(tp.read('environments/dev.yaml'), /tensorParallelism: 2/);
    expect(findings('dev')).toContainEqual({
      file: 'environments/dev.yaml',
      line: at.line,
      col: at.col + 'tensorParallelism: '.length,
      path: '/models/0/tensorParallelism',
      message: 'a pod of model "qwen3-8b" needs 2 nvidia.com/gpu, but a node offers 1 (cluster.gpu)',
    });
  });

  /** Edit prod; expect exactly one finding, at the value after `key` on the line matching `at`. */
  function expectValueFinding(edit: [string | RegExp, string], at: RegExp, key: string, path: string, message: string): void {
    tp = tempProject();
    tp.edit('environments/prod.yaml', ...edit);
    const pos = lineAt(tp.read('environments/prod.yaml'), at);
    expect(findings('prod')).toEqual([{ file: 'environments/prod.yaml', line: pos.line, col: pos.col + key.length, path, message }]);
  }

  it('rejects a tensor parallelism that is not a power of two', () => {
    expectValueFinding([/(name: qwen3-next-80b[\s\S]*?tensorParallelism:) 2/, '$1 3'], /tensorParallelism: 3/, 'tensorParallelism: ', '/models/0/tensorParallelism',
      'tensor parallelism 3 of model "qwen3-next-80b" is not a power of two (1, 2, 4, 8 or 16)');
  });

  it('rejects an embedding model without a dimension', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    embeddingDimension: 4096\n', '');
    const at = lineAt(tp.read('environments/prod.yaml'), /- name: qwen3-embedding-8b/);
    const f = findings('prod');
    expect(f).toEqual([
      expect.objectContaining({ file: 'environments/prod.yaml', line: at.line, path: '/models/1', message: 'is missing required key "embeddingDimension"' }),
    ]);
    expect(f[0]!.col).toBeGreaterThan(0);
  });

  it('rejects a MIG profile the nodes do not offer', () => {
    expectValueFinding(['mig: 3g.40gb', 'mig: 2g.20gb'], /mig: 2g\.20gb/, 'mig: ', '/models/2/mig',
      'MIG profile "2g.20gb" of model "gpt-oss-20b" is not offered by the GPU nodes (cluster.gpu.migProfiles: 3g.40gb)');
  });

  it('rejects tensor parallelism across MIG slices, a dimension on an llm and duplicate names', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', /(name: gpt-oss-20b[\s\S]*?tensorParallelism:) 1/, '$1 2');
    expect(findings('prod').map((f) => f.message)).toEqual([
      'model "gpt-oss-20b" runs on a MIG slice: tensor parallelism must be 1 (NCCL cannot span MIG instances)',
    ]);
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    toolCallParser: openai\n', '    toolCallParser: openai\n    embeddingDimension: 8\n');
    expect(findings('prod').map((f) => [f.path, f.message])).toEqual([['/models/2/embeddingDimension', '8 is not allowed: only an embedding model has an embedding dimension']]);
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/prod.yaml', '- name: gpt-oss-20b', '- name: qwen3-next-80b');
    expect(findings('prod').map((f) => [f.path, f.message])).toEqual([['/models/2/name', 'model "qwen3-next-80b" is already defined at models[0]']]);
  });

  it('rejects Llama Stack without an embedding model, or with a default model of the wrong role', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', 'defaultModel: qwen3-next-80b', 'defaultModel: qwen3-embedding-8b');
    const at = lineAt(tp.read('environments/prod.yaml'), /defaultModel: qwen3-embedding-8b/);
    expect(findings('prod')).toEqual([
      {
        file: 'environments/prod.yaml',
        line: at.line,
        col: at.col + 'defaultModel: '.length,
        path: '/components/llama-stack/defaultModel',
        message: '"qwen3-embedding-8b" is an embedding model, not an llm model',
      },
    ]);
  });
});

describe('Argo CD health checks for the inference kinds', () => {
  it('ship in argocd-cm next to the Application one', () => {
    const cm = parseAllDocuments(renderFixture('prod').files.get('root.yaml')!).map((d) => d.toJS() as Obj).find((o) => o.kind === 'ConfigMap')!;
    for (const key of ['argoproj.io_Application', 'serving.kserve.io_LLMInferenceService', 'llamastack.io_LlamaStackDistribution', 'inference.networking.k8s.io_InferencePool']) {
      expect(cm.data[`resource.customizations.health.${key}`]).toContain('return hs');
    }
    // Argo CD runs health scripts without Lua's string library.
    for (const [k, v] of Object.entries(cm.data as Record<string, string>)) expect(v, k).not.toMatch(/\bstring\.|:find\(|:match\(/);
  });
});

describe('output validates against the strict and the upstream CRD schemas', () => {
  it.each(['dev', 'staging', 'prod'])('%s', async (env) => {
    const out = renderFixture(env);
    const objects: SourcedObject[] = [];
    for (const [path, text] of out.files) {
      if (!/^(models|llama-stack|inference-gateway)\//.test(path) || path.endsWith('/kustomization.yaml')) continue;
      for (const d of parseAllDocuments(text)) objects.push({ obj: d.toJS(), file: `generated/${env}/${path}`, line: 1 });
    }
    // Both ServiceAccounts are rendered (models/ and llama-stack/serviceaccount.yaml), so they are among the files above.
    expect(objects.length).toBeGreaterThan(6);
    const own = await validateObjects(objects, { crdSchemaDir: join(ROOT, 'schemas/crds') });
    expect(own.map(formatFinding)).toEqual([]);
    const upstream = join(ROOT, '..', 'shared', 'crds');
    if (existsSync(upstream)) {
      const up = await validateObjects(objects, { crdSchemaDir: upstream, upstream: true });
      expect(up.map(formatFinding)).toEqual([]);
    }
  });
});
