/**
 * Issue 12 defects 8, 9 and 12 and the GPU accounting of every capability, as config rules on
 * the fixture env: each finding names the env file line. Before the fix only GPUs per node
 * were checked (dev's two 1-GPU models on one 1-GPU node passed).
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

function findings(edit: (t: string) => string): { list: Finding[]; text: string } {
  tp = labProject(edit);
  return { list: renderLabRaw(tp).findings, text: tp.read(FILE) };
}

const sub = (from: string | RegExp, to: string) => (t: string): string => {
  const next = t.replace(from, to);
  if (next === t) throw new Error(`fixture edit: ${String(from)} not found`);
  return next;
};

describe('defect 12: the models must fit the env\'s GPUs in total, not only per node', () => {
  it('two 1-GPU models on one 1-GPU node: "needs 2, has 1" at models:', () => {
    const one = [
      sub('    nodes: 4\n    gpusPerNode: 8', '    nodes: 1\n    gpusPerNode: 1'),
      sub(/    mig: \{[^\n]*\n/, ''),
      // keep two whole-GPU 1-replica models: drop chat, wide and the MIG model's slice
      sub(/  # Autoscaling[\s\S]*?  # Prefill/, '  # Prefill/'),
      sub(/    prefill: \{[^\n]*\n/, ''),
      sub('    replicas: 2\n    tensorParallelism: 1', '    tensorParallelism: 1'),
      sub(/  # Multi-node[\s\S]*?  # An embedding/, '  # An embedding'),
      sub('    mig: 3g.40gb\n', ''),
      sub(/    cache: \{[^\n]*\n/, ''),
    ].reduce((f, g) => (t: string) => g(f(t)), (t: string) => t);
    const { list, text } = findings(one);
    const at = lineAt(text, /^models:/);
    expect(list).toEqual([
      {
        file: FILE,
        line: at.line,
        col: 1,
        path: '/models',
        message: 'the models need 2 nvidia.com/gpu (pd 1x1, embed 1x1; pods x per pod), but the env has 1 (cluster.gpu.nodes 1 x 1 per node)',
      },
    ]);
  });

  it('the fixture fits; one node fewer does not: peak replicas, prefill and multi-node workers all count', () => {
    expect(findings((t) => t).list).toEqual([]);
    const { list } = findings(sub('    nodes: 4\n', '    nodes: 3\n'));
    expect(list.map((f) => f.message)).toEqual([
      'the models need 15 nvidia.com/gpu (chat 2x2, pd 2x1, pd prefill 1x1, wide 2x4; pods x per pod), but the env has 12 (cluster.gpu.nodes 3 x 4 per node)',
    ]);
  });

  it('without cluster.gpu.nodes the total cannot be checked: a finding at cluster.gpu', () => {
    const { list, text } = findings(sub('    nodes: 4\n', ''));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ path: '/cluster/gpu', line: lineAt(text, /^  gpu:/).line + 1 });
    expect(list[0]!.message).toMatch(/cluster\.gpu\.nodes is not set/);
  });

  it('MIG slices are counted per profile, and a pod must fit the whole GPUs one node keeps', () => {
    const slices = findings(sub('slicesPerNode: { 3g.40gb: 8 }', 'slicesPerNode: { 3g.40gb: 4, 1g.10gb: 12 }'));
    expect(slices.list).toEqual([]);
    const uneven = findings(sub('slicesPerNode: { 3g.40gb: 8 }', 'slicesPerNode: { 3g.40gb: 8, 1g.10gb: 7 }'));
    expect(uneven.list.map((f) => [f.path, f.message])).toEqual([['/cluster/gpu/mig/slicesPerNode/1g.10gb', '7 1g.10gb slices do not split evenly over the 4 MIG GPUs of a node']]);
    const pod = findings(sub('    tensorParallelism: 4\n    multiNode', '    tensorParallelism: 8\n    multiNode'));
    expect(pod.list.map((f) => f.message)).toContain('a pod of model "wide" needs 8 nvidia.com/gpu, but a node offers 4 (cluster.gpu.mig)');
    const missing = findings(sub('    mig: 3g.40gb\n', '    mig: 2g.20gb\n'));
    expect(missing.list.map((f) => f.message)).toContain('MIG profile "2g.20gb" of model "embed" is not offered by the GPU nodes (cluster.gpu.migProfiles: 3g.40gb)');
  });

  it('time-sliced GPUs: every model caps gpuMemoryUtilization at 1/timeSlicing', () => {
    const { list } = findings(sub('    nodes: 4\n', '    nodes: 4\n    timeSlicing: 2\n'));
    expect(list.map((f) => f.message)).toContain('model "chat" shares time-sliced GPUs (cluster.gpu.timeSlicing 2): set gpuMemoryUtilization to at most 0.5 (unset, vLLM takes 0.9 of the GPU)');
    // A value the model sets is quoted as set, not as vLLM's default.
    const set = findings((t) => sub('    tensorParallelism: 2\n    scaling', '    tensorParallelism: 2\n    gpuMemoryUtilization: 0.5\n    scaling')(sub('    nodes: 4\n', '    nodes: 4\n    timeSlicing: 3\n')(t)));
    expect(set.list.map((f) => f.message)).toContain('model "chat" shares time-sliced GPUs (cluster.gpu.timeSlicing 3): set gpuMemoryUtilization to at most 0.33 (it sets 0.5)');
  });

  it('the GPU node taint (a prerequisite) must be tolerated by the model pods', () => {
    const { list, text } = findings(sub('    tolerations:\n      - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }\n', ''));
    expect(list).toContainEqual({
      file: FILE,
      ...lineAt(text, /^    taint:/, 'taint'),
      col: lineAt(text, /^    taint:/, '{').col,
      path: '/cluster/gpu/taint',
      message: "the GPU nodes' taint nvidia.com/gpu=present:NoSchedule is not tolerated by cluster.gpu.tolerations: no model pod would schedule",
    });
  });
});

describe('defect 9: no pgvector index above 2000 dimensions', () => {
  it('vectorIndex with a 4096-dimension embedding model is a finding at vectorIndex; 1024 is not', () => {
    const { list, text } = findings(sub('    embeddingDimension: 1024', '    embeddingDimension: 4096'));
    const at = lineAt(text, /^    vectorIndex:/, '{');
    expect(list).toEqual([
      {
        file: FILE,
        line: at.line,
        col: at.col,
        path: '/components/llama-stack/vectorIndex',
        message:
          'embedding model "embed" has 4096 dimensions: the pgvector adapter of Llama Stack 0.7.1 builds no index above 2000, so vectorIndex does nothing and search is a full scan (drop vectorIndex, pick a model of at most 2000 dimensions, or, for a Matryoshka model such as Qwen3-Embedding, set matryoshka: true and embeddingDimension: 2000 or less)',
      },
    ]);
  });
});

describe('defect 8: several Llama Stack replicas need a shared files volume', () => {
  it('replicas 2 with a ReadWriteOnce files claim is a finding; without files the catalog default claim is shared (ReadWriteMany)', () => {
    const none = findings(sub('    files: { size: 20Gi }\n', ''));
    expect(none.list).toEqual([]);
    const rwo = findings(sub('files: { size: 20Gi }', 'files: { size: 20Gi, accessMode: ReadWriteOnce }'));
    expect(rwo.list.map((f) => f.path)).toEqual(['/components/llama-stack/files/accessMode']);
  });
});
