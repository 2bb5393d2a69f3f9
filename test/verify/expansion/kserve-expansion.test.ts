/**
 * The KServe v0.20 expansion of the fixture envs' LLMInferenceServices, with KServe's own presets
 * from the pinned kserve-runtime-configs chart, through the pod rules. Every env expands with 0
 * findings; without the storage-initializer override each model that downloads its weights is
 * rejected by Pod Security on that container, named by model and env.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { EXP001, expansionFindings, expandOperators, podsOf, presetNames, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { renderedLab } from '../../render/infer-lab.ts';
import { catalogImagesOf, HAS_PRESETS, namespacesOf, renderedSources, upstreamPresets } from './sources.ts';

type Obj = Record<string, any>;
const ENVS = ['dev', 'staging', 'prod'] as const;
const withPresets = (src: SourceObject[]) => [...src, ...upstreamPresets()];
const run = (src: SourceObject[]) => expansionFindings(withPresets(src), namespacesOf(src), undefined, catalogImagesOf());
const isModel = (s: SourceObject) => s.obj.kind === 'LLMInferenceService';

/** The sources with `edit` applied to a copy of every LLMInferenceService. */
function editModels(src: SourceObject[], edit: (spec: Obj) => void): SourceObject[] {
  return src.map((s) => {
    if (!isModel(s)) return s;
    const obj = structuredClone(s.obj) as Obj;
    edit(obj.spec);
    return { ...s, obj: obj as K8sObject };
  });
}
const dropOverride = (pod: Obj | undefined) => {
  if (pod?.initContainers) pod.initContainers = pod.initContainers.filter((c: Obj) => c.name !== 'storage-initializer');
};

describe('which presets apply (config_merge.go combineBaseRefsConfig)', () => {
  it('single node, P/D, data-parallel, scheduler, route and tracing', () => {
    expect(presetNames({ template: {} })).toEqual(['kserve-config-llm-template']);
    expect(presetNames({ router: { scheduler: {}, route: {} }, tracing: {}, prefill: { template: {} } })).toEqual([
      'kserve-config-llm-scheduler', 'kserve-config-llm-router-route', 'kserve-config-llm-tracing', 'kserve-config-llm-prefill-template', 'kserve-config-llm-decode-template',
    ]);
    expect(presetNames({ worker: {}, parallelism: { tensor: 4, data: 2, dataLocal: 1 } })).toEqual(['kserve-config-llm-worker-data-parallel']);
    expect(presetNames({ router: { scheduler: { pool: { ref: { name: 'mine' } } } } })).toEqual(['kserve-config-llm-template']);
  });
});

describe.skipIf(!HAS_PRESETS)('KServe v0.20 expansion of the fixture envs', () => {
  for (const env of ENVS) {
    it(`${env}: every LLMInferenceService expands and its pods pass every pod rule`, () => {
      const src = renderedSources(renderFixture(env));
      const r = run(src);
      expect(r.findings).toEqual([]);
      const models = src.filter(isModel).map((s) => s.obj.metadata.name);
      expect(models.length).toBeGreaterThan(0);
      for (const m of models) expect(r.expanded.some((e) => e.obj.kind === 'Deployment' && e.obj.metadata.name === `${m}-kserve`)).toBe(true);
    });
  }

  it('without the storage-initializer override, Pod Security rejects that container of every model that downloads, by model and env', () => {
    for (const env of ENVS) {
      const src = renderedSources(renderFixture(env));
      const bad = editModels(src, (spec) => {
        dropOverride(spec.template);
        dropOverride(spec.prefill?.template);
        dropOverride(spec.worker);
        dropOverride(spec.router?.scheduler?.template);
      });
      const downloading = src.filter(isModel).filter((s) => /^(hf|s3):\/\//.test((s.obj as Obj).spec.model.uri)).map((s) => s.obj.metadata.name);
      const hit = run(bad).findings.filter((f) => f.rule === EXP001 && f.message.includes('container "storage-initializer"'));
      expect(new Set(hit.map((f) => f.name))).toEqual(new Set(downloading));
      for (const f of hit) {
        expect(f.file).toBe(`generated/${env}/models/llminferenceservices.yaml`);
        expect(f.message).toMatch(/PodSecurity "restricted:latest" enforced on namespace "catalyst-inference"/);
      }
    }
  });

  it('pvc:// models (the model cache) run no storage-initializer; hf:// ones do, their weights mounted read-only at /mnt/models', () => {
    const src = renderedSources(renderFixture('staging'));
    const { objects } = expandOperators(withPresets(src), catalogImagesOf());
    for (const s of src.filter(isModel)) {
      const d = objects.find((e) => e.obj.kind === 'Deployment' && e.obj.metadata.name === `${s.obj.metadata.name}-kserve`)!;
      const pod = podsOf(d.obj)[0]!.spec as Obj;
      const init = (pod.initContainers ?? []).map((c: Obj) => c.name);
      const main = pod.containers.find((c: Obj) => c.name === 'main');
      const uri = (s.obj as Obj).spec.model.uri as string;
      expect(init.includes('storage-initializer')).toBe(!uri.startsWith('pvc://'));
      expect(main.volumeMounts.find((m: Obj) => m.mountPath === '/mnt/models')).toMatchObject({ readOnly: true });
    }
  });

  it("the storage-initializer image: inferenceservice-config's, else the catalog's images.storageInitializer, else EXP003", () => {
    const src = withPresets(renderedSources(renderFixture('staging')));
    const images = (objs: { obj: K8sObject }[]) => new Set(objs.flatMap((e) => podsOf(e.obj)).flatMap((p) => ((p.spec as Obj).initContainers ?? []) as Obj[]).filter((c) => c.name === 'storage-initializer').map((c) => c.image));
    const pinned = catalogImagesOf().storageInitializer!;
    expect(pinned).toMatch(/^kserve\/storage-initializer:v\d/);
    expect(images(expandOperators(src, catalogImagesOf()).objects)).toEqual(new Set([pinned]));
    expect(images(expandOperators(src, { storageInitializer: 'example.org/si:v9' }).objects)).toEqual(new Set(['example.org/si:v9']));
    const cm = { obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferenceservice-config', namespace: 'kserve' }, data: { storageInitializer: JSON.stringify({ image: 'example.org/from-config:v1' }) } } as K8sObject, file: 'helm:kserve', line: 0 };
    expect(images(expandOperators([...src, cm], catalogImagesOf()).objects)).toEqual(new Set(['example.org/from-config:v1']));
    const none = expandOperators(src, {});
    expect(none.problems.length).toBeGreaterThan(0);
    expect(none.problems.map((p) => p.message)).toContain('the storage-initializer image is unknown: inferenceservice-config names none and no catalog entry declares images.storageInitializer');
  });

  it('the endpoint picker: its own Deployment with the pod securityContext, a storage-initializer for the tokenizer, and it fails without them', () => {
    const src = renderedSources(renderFixture('prod'));
    const eppOf = (s: SourceObject[]) => expandOperators(withPresets(s), catalogImagesOf()).objects.filter((e) => (e.obj.metadata.name ?? '').endsWith('-kserve-router-scheduler'));
    const epps = eppOf(src);
    expect(epps.length).toBeGreaterThan(0);
    for (const e of epps) {
      const pod = podsOf(e.obj)[0]!.spec as Obj;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.initContainers.map((c: Obj) => c.name)).toEqual(['storage-initializer']);
      expect(pod.initContainers[0].env).toContainEqual(expect.objectContaining({ name: 'STORAGE_ALLOW_PATTERNS' }));
    }
    const bad = editModels(src, (spec) => {
      if (!spec.router?.scheduler) return;
      delete spec.router.scheduler.template.securityContext;
      dropOverride(spec.router.scheduler.template);
    });
    const hit = run(bad).findings.filter((f) => f.rule === EXP001 && f.message.includes('-kserve-router-scheduler'));
    expect(hit.some((f) => f.message.includes('container "storage-initializer"'))).toBe(true);
  });
});

describe.skipIf(!HAS_PRESETS)('KServe v0.20 expansion of infer-lab (scaling, LoRA, cache, P/D, multi-node, MIG, priority)', () => {
  const lab = renderedLab();
  it('expands with 0 findings: decode and prefill Deployments, a LeaderWorkerSet, the LoRA adapters downloaded next to a cached model', () => {
    const src = renderedSources(lab());
    const r = run(src);
    expect(r.findings).toEqual([]);
    const names = r.expanded.map((e) => `${e.obj.kind} ${e.obj.metadata.name}`);
    expect(names).toEqual(expect.arrayContaining(['Deployment pd-kserve', 'Deployment pd-kserve-prefill', 'LeaderWorkerSet wide-kserve-mn', 'Deployment chat-kserve', 'Deployment embed-kserve']));
    const chat = podsOf(r.expanded.find((e) => e.obj.metadata.name === 'chat-kserve')!.obj)[0]!.spec as Obj;
    expect(chat.initContainers.find((c: Obj) => c.name === 'storage-initializer').args).toEqual(['hf://catalyst-lab/qwen3-8b-sql-lora', '/mnt/lora/sql-helper']);
    const lws = r.expanded.find((e) => e.obj.kind === 'LeaderWorkerSet')!;
    for (const p of podsOf(lws.obj)) {
      const main = (p.spec as Obj).containers.find((c: Obj) => c.name === 'main');
      expect(main.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    }
  });

  it("multi-node without its own capabilities.add keeps the preset's IPC_LOCK, SYS_RAWIO, NET_RAW, which restricted rejects", () => {
    const src = editModels(renderedSources(lab()), (spec) => {
      if (!spec.worker) return;
      delete spec.template.containers[0].securityContext.capabilities.add;
      delete spec.worker.containers[0].securityContext.capabilities.add;
    });
    const hit = run(src).findings.filter((f) => f.rule === EXP001 && f.name === 'wide');
    expect(hit.map((f) => f.message.match(/(leader|worker) pods/)?.[1]).sort()).toEqual(['leader', 'worker']);
    expect(hit[0]!.message).toContain('"IPC_LOCK", "NET_RAW", "SYS_RAWIO"');
  });

  it('P/D: the decode pod runs as <name>-kserve with a token, its routing sidecar on the GA InferencePool; without them EXP004', () => {
    const crd = (name: string): SourceObject => ({ obj: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } } as K8sObject, file: 'git:gie/crd.yaml', line: 1 });
    const src = [...renderedSources(lab()), crd('inferencepools.inference.networking.k8s.io')];
    const r = run(src);
    expect(r.findings).toEqual([]);
    const decode = podsOf(r.expanded.find((e) => e.obj.kind === 'Deployment' && e.obj.metadata.name === 'pd-kserve')!.obj)[0]!.spec as Obj;
    expect(decode.serviceAccountName).toBe('pd-kserve');
    expect(decode.initContainers.find((c: Obj) => c.name === 'llm-d-routing-sidecar').command).toContain('--pool-group=inference.networking.k8s.io');
    const bad = editModels(src, (spec) => {
      if (!spec.prefill) return;
      spec.template.automountServiceAccountToken = false;
      spec.template.initContainers = spec.template.initContainers.filter((c: Obj) => c.name !== 'llm-d-routing-sidecar');
    });
    const hit = run(bad).findings.filter((f) => f.rule === 'EXP004');
    expect(hit.map((f) => f.name)).toEqual(['pd', 'pd']);
    expect(hit.map((f) => f.message)).toEqual([expect.stringContaining('automountServiceAccountToken: false'), expect.stringContaining('no CustomResourceDefinition inferencepools.inference.networking.x-k8s.io')]);
  });
});
