/**
 * The per-model KServe v0.20 capabilities as rendered from the fixture env: spec.scaling (WVA +
 * HPA), spec.model.lora, pvc:// model cache with its fill Job, spec.prefill, spec.worker on a
 * LeaderWorkerSet, priority classes; every rendered object validates against the pinned CRD
 * and core schemas, and Llama Stack registers the LoRA adapters.
 */
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatFinding, type SourcedObject } from '../../scripts/lib/findings.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { docs, type Obj } from '../helpers/render.ts';
import { mainOf, renderedLab, runConfig, services } from './infer-lab.ts';

const lab = renderedLab();

describe('rendered capabilities', () => {
  it('scaling: spec.scaling with the WVA HPA actuator and no replicas', () => {
    const chat = services(lab()).get('chat')!;
    expect(chat.spec.replicas).toBeUndefined();
    expect(chat.spec.scaling).toEqual({ minReplicas: 1, maxReplicas: 2, wva: { variantCost: '10.0', hpa: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } } });
    // The scheduler scores LoRA affinity as KServe's own default does (weight 4).
    expect(chat.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins).toContainEqual({ pluginRef: 'lora-affinity-scorer', weight: 4 });
  });

  it('LoRA: spec.model.lora, and Llama Stack registers each adapter on the base model\'s provider', () => {
    const chat = services(lab()).get('chat')!;
    expect(chat.spec.model.lora).toEqual({ adapters: [{ uri: 'hf://catalyst-lab/qwen3-8b-sql-lora', name: 'sql-helper' }], maxRank: 64 });
    expect(runConfig(lab()).registered_resources.models).toContainEqual({ model_id: 'chat/sql-helper', provider_id: 'chat', provider_model_id: 'sql-helper', model_type: 'llm', metadata: {} });
  });

  it('model cache: pvc:// uri, one PVC and a fill Job downloading the hf:// uri to the same path', () => {
    const chat = services(lab()).get('chat')!;
    expect(chat.spec.model.uri).toBe('pvc://model-cache/Qwen/Qwen3-8B');
    const [pvc, job, ...rest] = docs(lab(), 'models/model-cache.yaml');
    expect(rest).toEqual([]);
    expect(pvc!.metadata.name).toBe('model-cache');
    expect(pvc!.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(job!.kind).toBe('Job');
    expect(job!.metadata.name).toMatch(/^fill-chat-[0-9a-f]{8}$/);
    const c = job!.spec.template.spec.containers[0];
    expect(c.args).toEqual(['hf://Qwen/Qwen3-8B', '/cache/Qwen/Qwen3-8B']);
    expect(c.image).toBe('kserve/storage-initializer:v0.20.0');
    expect(job!.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe('model-cache');
    // Synced before the models: Argo CD waits for the Job to complete.
    expect(job!.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  it('prefill: spec.prefill with its own GPUs; the decode side keeps its replicas', () => {
    const pd = services(lab()).get('pd')!;
    expect(pd.spec.replicas).toBe(2);
    expect(pd.spec.prefill.replicas).toBe(1);
    expect(pd.spec.prefill.parallelism).toEqual({ tensor: 1 });
    expect(mainOf(pd.spec.prefill.template).resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it('multi-node: parallelism data/dataLocal and a worker pod with tensor x dataLocal GPUs', () => {
    const wide = services(lab()).get('wide')!;
    expect(wide.spec.parallelism).toEqual({ tensor: 4, data: 2, dataLocal: 1 });
    expect(mainOf(wide.spec.worker).resources.limits['nvidia.com/gpu']).toBe('4');
    expect(mainOf(wide.spec.template).resources.limits['nvidia.com/gpu']).toBe('4');
  });

  it('priority: PriorityClass catalyst-<class> objects, named by the models\' pods', () => {
    const classes = docs(lab(), 'models/priority-classes.yaml');
    expect(classes.map((c) => [c.metadata.name, c.value, c.preemptionPolicy])).toEqual([
      ['catalyst-interactive', 1000, 'PreemptLowerPriority'],
      ['catalyst-batch', 100, 'Never'],
    ]);
    const s = services(lab());
    expect(s.get('chat')!.spec.template.priorityClassName).toBe('catalyst-interactive');
    expect(s.get('pd')!.spec.prefill.template.priorityClassName).toBe('catalyst-batch');
    expect(s.get('embed')!.spec.template.priorityClassName).toBeUndefined();
  });

  it('MIG: the slice model requests nvidia.com/mig-3g.40gb', () => {
    expect(mainOf(services(lab()).get('embed')!.spec.template).resources.limits).toMatchObject({ 'nvidia.com/mig-3g.40gb': '1' });
  });

  it('MIG layout: the GPU operator\'s MIG manager gets a mig-parted config keeping 4 GPUs whole and splitting 4 in two 3g.40gb each', () => {
    const [app] = docs(lab(), 'apps/gpu-operator.yaml');
    const cfg = app!.spec.source.helm.valuesObject.migManager.config;
    expect(cfg).toMatchObject({ create: true, name: 'catalyst-mig-parted-config', default: 'all-disabled' });
    const parted = parse(cfg.data['config.yaml'] as string) as Obj;
    expect(parted['mig-configs']['catalyst-4whole-8x3g.40gb']).toEqual([
      { devices: [0, 1, 2, 3], 'mig-enabled': false },
      { devices: [4, 5, 6, 7], 'mig-enabled': true, 'mig-devices': { '3g.40gb': 2 } },
    ]);
  });

  it('every rendered inference object validates against the pinned CRD and core schemas', async () => {
    const objects: SourcedObject[] = [];
    for (const [path, text] of lab().files) {
      if (!/^(models|llama-stack|inference-gateway)\//.test(path) || path.endsWith('kustomization.yaml')) continue;
      for (const d of parseAllDocuments(text)) objects.push({ obj: d.toJS() as Obj as SourcedObject['obj'], file: path, line: 1 });
    }
    expect(objects.length).toBeGreaterThan(10);
    const found = await validateObjects(objects, { crdSchemaDir: join(ROOT, 'schemas/crds') });
    expect(found.map(formatFinding)).toEqual([]);
  });
});
