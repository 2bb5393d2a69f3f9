/**
 * What the KServe v0.20 LLMInferenceService controller creates from one LLMInferenceService,
 * modelled from kserve/kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/:
 * - config_merge.go `combineBaseRefsConfig`: which well-known LLMInferenceServiceConfig presets
 *   apply (scheduler, route, tracing, then the workload preset for single-node / P/D /
 *   data-parallel), looked up in the service's namespace then `kserve` (`getConfig`), merged in
 *   that order with the service's own spec last (`MergeSpecs`, strategic-merge.ts), the EPP
 *   ServiceAccount defaulted to `<name>-epp-sa`, then the Go template variables (`ReplaceVariables`);
 * - workload_single_node.go: Deployment `<name>-kserve` (decode, or the only workload) and
 *   `<name>-kserve-prefill`; workload_multi_node.go: LeaderWorkerSet `<name>-kserve-mn`
 *   (leader = template, workers = worker); workload.go: Service `<name>-kserve-workload-svc`;
 * - scheduler.go `expectedSchedulerDeployment`: Deployment `<name>-kserve-router-scheduler` from
 *   router.scheduler.template, its model artifacts when it runs the tokenizer sidecar, and the
 *   tokenizer dropped again when the endpoint picker (>= 0.9.0) uses no precise-prefix-cache-scorer
 *   (`withRemoveUnnecessaryTokenizer`); its Service `<name>-epp-service` and InferencePool
 *   `<name>-inference-pool`.
 * - workload.go `reconcileWorkload`: the Secret `<name>-kserve-self-signed-certs` the presets mount.
 * Each pod then gets its model (kserve-storage.ts).
 */
import type { K8sObject } from '../../findings.ts';
import { attachModelArtifacts, STORAGE_INITIALIZER, STORAGE_INITIALIZER_ROLE, type StorageConfig } from './kserve-storage.ts';
import { mergeAll } from './strategic-merge.ts';
import { routingSidecar } from './kserve-prereqs.ts';
import { isMap, str, type ExpandedObject, type Expansion, type JsonMap, type SourceObject } from './types.ts';

export const KSERVE = 'kserve/kserve@v0.20.0';
const SYSTEM_NAMESPACE = 'kserve';

/** The well-known presets that apply to a spec, in the order combineBaseRefsConfig lists them. */
export function presetNames(spec: JsonMap): string[] {
  const router = isMap(spec.router) ? spec.router : undefined;
  const scheduler = router && isMap(router.scheduler) ? router.scheduler : undefined;
  const pool = scheduler && isMap(scheduler.pool) ? scheduler.pool : undefined;
  const route = router && isMap(router.route) ? router.route : undefined;
  const http = route && isMap(route.http) ? route.http : undefined;
  const out: string[] = [];
  if (scheduler && !(pool && isMap(pool.ref) && str(pool.ref.name))) out.push('kserve-config-llm-scheduler');
  if (route && !(http && Array.isArray(http.refs) && http.refs.length)) out.push('kserve-config-llm-router-route');
  if (spec.tracing !== undefined && spec.tracing !== null) out.push('kserve-config-llm-tracing');
  const par = isMap(spec.parallelism) ? spec.parallelism : {};
  const dp = (p: JsonMap) => Number(p.data ?? 0) > 0 || Number(p.dataLocal ?? 0) > 0;
  const prefill = isMap(spec.prefill) ? spec.prefill : undefined;
  if (prefill) {
    const ppar = isMap(prefill.parallelism) ? prefill.parallelism : {};
    if (!prefill.worker) out.push('kserve-config-llm-prefill-template');
    else if (dp(ppar)) out.push('kserve-config-llm-prefill-worker-data-parallel');
    if (!spec.worker) out.push('kserve-config-llm-decode-template');
    else if (dp(par)) out.push('kserve-config-llm-decode-worker-data-parallel');
  } else if (!spec.worker) out.push('kserve-config-llm-template');
  else if (dp(par)) out.push('kserve-config-llm-worker-data-parallel');
  return out;
}

/** kmeta.ChildName for names that fit 63 characters (longer ones are hashed upstream; not modelled). */
const childName = (parent: string, suffix: string) => `${parent}${suffix}`;

/** The template variables of the presets that name objects (ReplaceVariables); others stay as written. */
function replaceVariables(v: unknown, name: string, namespace: string, modelName: string): unknown {
  if (typeof v === 'string') {
    return v
      .replace(/\{\{\s*ChildName \.ObjectMeta\.Name `([^`]*)`\s*\}\}/g, (_m, s: string) => childName(name, s))
      .replace(/\{\{\s*\.ObjectMeta\.Name\s*\}\}/g, name)
      .replace(/\{\{\s*\.ObjectMeta\.Namespace\s*\}\}/g, namespace)
      .replace(/\{\{\s*\.Spec\.Model\.Name\s*\}\}/g, modelName);
  }
  if (Array.isArray(v)) return v.map((x) => replaceVariables(x, name, namespace, modelName));
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceVariables(x, name, namespace, modelName)]));
  return v;
}

/** LLMInferenceServiceConfig objects by `namespace/name`. */
export type Presets = Map<string, JsonMap>;

export function presetsFrom(objects: K8sObject[]): Presets {
  const out: Presets = new Map();
  for (const o of objects) if (o.kind === 'LLMInferenceServiceConfig' && isMap(o.spec)) out.set(`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o.spec);
  return out;
}

/** The merged spec KServe works from, or the message of its ConfigNotFound condition. */
export function combinedSpec(svc: K8sObject, presets: Presets): { spec: JsonMap } | { error: string } {
  const name = str(svc.metadata?.name);
  const ns = str(svc.metadata?.namespace);
  const own = isMap(svc.spec) ? svc.spec : {};
  const specs: JsonMap[] = [];
  const refs = [...presetNames(own), ...(Array.isArray(own.baseRefs) ? own.baseRefs.map((r) => str(isMap(r) ? r.name : '')) : [])];
  for (const ref of refs) {
    const cfg = presets.get(`${ns}/${ref}`) ?? presets.get(`${SYSTEM_NAMESPACE}/${ref}`);
    if (!cfg) return { error: `LLMInferenceServiceConfig "${ref}" not found in namespaces [${ns} ${SYSTEM_NAMESPACE}]` };
    specs.push(cfg);
  }
  const spec = mergeAll([...specs, own]);
  const router = isMap(spec.router) ? spec.router : undefined;
  const sched = router && isMap(router.scheduler) ? router.scheduler : undefined;
  if (sched && isMap(sched.template) && !str(sched.template.serviceAccountName)) sched.template.serviceAccountName = childName(name, '-epp-sa');
  const model = isMap(spec.model) ? spec.model : {};
  return { spec: replaceVariables(spec, name, ns, str(model.name) || name) as JsonMap };
}

const PLUGIN_PRECISE = 'precise-prefix-cache-scorer';

/** Does the endpoint picker config (inline, or the one KServe generates) use the precise prefix-cache scorer? */
function usesPrecisePrefix(sched: JsonMap): boolean {
  const cfg = isMap(sched.config) ? sched.config : undefined;
  const inline = cfg?.inline;
  const text = typeof inline === 'string' ? inline : JSON.stringify(inline ?? '');
  return text.includes(PLUGIN_PRECISE); // the generated P/D and default configs never do
}

const version = (v: string) => v.split('.').map((x) => Number.parseInt(x, 10) || 0);
const atLeast = (v: string, min: string) => {
  const a = version(v);
  const b = version(min);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** Everything the controller creates for one LLMInferenceService. */
export function expandLLMInferenceService(from: SourceObject, presets: Presets, storage: StorageConfig): Expansion {
  const svc = from.obj;
  const combined = combinedSpec(svc, presets);
  if ('error' in combined) return { objects: [], problems: [{ from, message: `KServe reports ConfigNotFound: ${combined.error}` }] };
  const spec = combined.spec;
  const name = str(svc.metadata?.name);
  const namespace = str(svc.metadata?.namespace);
  const model = isMap(spec.model) ? spec.model : {};
  const lora = isMap(model.lora) && Array.isArray(model.lora.adapters) ? (model.lora.adapters as JsonMap[]) : [];
  const si = isMap(spec.storageInitializer) ? spec.storageInitializer : {};
  const source = { uri: str(model.uri), disabled: si.enabled === false, adapters: lora.map((a) => ({ name: str(a.name), uri: str(a.uri) })) };
  const podLabels = isMap(spec.labels) ? (spec.labels as Record<string, string>) : {};
  const objects: ExpandedObject[] = [];
  const add = (obj: JsonMap) => objects.push({ obj: obj as unknown as K8sObject, from, operator: KSERVE });
  const meta = (n: string, labels: Record<string, string>) => ({ name: n, namespace, labels });
  const base = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'llminferenceservice' };
  const pod = (template: unknown): JsonMap => JSON.parse(JSON.stringify(isMap(template) ? template : {})) as JsonMap;
  // Pod labels: spec.labels on the main workload, spec.prefill.labels on the prefill pods
  // (workload_single_node.go / workload_multi_node.go PropagateMap).
  const deployment = (n: string, replicas: unknown, labels: Record<string, string>, spec: JsonMap, extra: Record<string, string> = podLabels) => {
    const all = { ...extra, ...labels };
    add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(n, labels), spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { matchLabels: labels }, template: { metadata: { labels: all }, spec } } });
  };
  const workload = { ...base, 'kserve.io/component': 'workload', 'app.kubernetes.io/component': 'llminferenceservice-workload' };
  const prefill = isMap(spec.prefill) ? spec.prefill : undefined;
  const loraOn = source.adapters.length > 0;
  if (!spec.worker && isMap(spec.template)) {
    const p = pod(spec.template);
    const side = routingSidecar(p);
    if (side) {
      // workload_single_node.go: the pod gets KServe's own ServiceAccount, the sidecar its pool.
      p.serviceAccountName = childName(name, '-kserve');
      add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(childName(name, '-kserve'), workload) });
      side.env = [...(Array.isArray(side.env) ? side.env : []), { name: 'INFERENCE_POOL_NAME', value: childName(name, '-inference-pool') }];
    }
    attachModelArtifacts(p, source, storage, 'main', '/mnt/models', loraOn);
    deployment(childName(name, '-kserve'), spec.replicas, { ...workload, ...(prefill ? { 'llm-d.ai/role': 'decode' } : {}) }, p);
  }
  if (prefill && !prefill.worker && isMap(prefill.template)) {
    const p = pod(prefill.template);
    attachModelArtifacts(p, source, storage, 'main', '/mnt/models', loraOn);
    const labels = { ...base, 'kserve.io/component': 'workload', 'app.kubernetes.io/component': 'llminferenceservice-workload-prefill', 'llm-d.ai/role': 'prefill' };
    deployment(childName(name, '-kserve-prefill'), prefill.replicas, labels, p, isMap(prefill.labels) ? (prefill.labels as Record<string, string>) : {});
  }
  if (spec.worker && isMap(spec.template)) {
    const leader = pod(spec.template);
    const worker = pod(spec.worker);
    attachModelArtifacts(leader, source, storage, 'main', '/mnt/models', loraOn);
    attachModelArtifacts(worker, source, storage, 'main', '/mnt/models', loraOn);
    const par = isMap(spec.parallelism) ? spec.parallelism : {};
    const size = Math.max(1, Number(par.data ?? 1) / Math.max(1, Number(par.dataLocal ?? 1)));
    const labels = { ...base, 'kserve.io/component': 'workload', 'app.kubernetes.io/component': 'llminferenceservice-workload-worker' };
    const leaderLabels = { ...base, 'kserve.io/component': 'workload', 'app.kubernetes.io/component': 'llminferenceservice-workload-leader' };
    add({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: meta(childName(name, '-kserve-mn'), labels),
      spec: {
        replicas: spec.replicas ?? 1,
        leaderWorkerTemplate: {
          size,
          leaderTemplate: { metadata: { labels: { ...podLabels, ...leaderLabels } }, spec: leader },
          workerTemplate: { metadata: { labels: { ...podLabels, ...labels } }, spec: worker },
        },
      },
    });
  }
  // workload.go reconcileWorkload: the self-signed serving certificate first (workload_tls_self_signed.go).
  add({ apiVersion: 'v1', kind: 'Secret', metadata: meta(childName(name, '-kserve-self-signed-certs'), workload), type: 'kubernetes.io/tls' });
  add({ apiVersion: 'v1', kind: 'Service', metadata: meta(childName(name, '-kserve-workload-svc'), workload), spec: { selector: { ...base, 'kserve.io/component': 'workload' }, ports: [{ name: 'https', port: 8000, targetPort: 8000 }] } });
  const router = isMap(spec.router) ? spec.router : undefined;
  const sched = router && isMap(router.scheduler) ? router.scheduler : undefined;
  const poolRef = sched && isMap(sched.pool) && isMap(sched.pool.ref) && str(sched.pool.ref.name);
  if (sched && isMap(sched.template) && !poolRef) {
    const p = pod(sched.template);
    const annotations = isMap(sched.annotations) ? (sched.annotations as Record<string, string>) : {};
    if ((p.containers as JsonMap[] | undefined)?.some((c) => c.name === 'tokenizer')) {
      attachModelArtifacts(p, { ...source, adapters: [] }, storage, 'tokenizer', '/mnt/models/base', false);
      const v = annotations['app.kubernetes.io/version'] ?? '0.0.0';
      if (atLeast(v, '0.9.0') && !usesPrecisePrefix(sched)) p.containers = (p.containers as JsonMap[]).filter((c) => c.name !== 'tokenizer');
    }
    const labels = { 'app.kubernetes.io/component': 'llminferenceservice-router-scheduler', 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'llminferenceservice' };
    const schedLabels = isMap(sched.labels) ? (sched.labels as Record<string, string>) : {};
    add({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(childName(name, '-kserve-router-scheduler'), labels),
      spec: { replicas: sched.replicas ?? 1, strategy: { type: 'Recreate' }, selector: { matchLabels: labels }, template: { metadata: { labels: { ...schedLabels, ...labels }, annotations }, spec: p } },
    });
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(str(p.serviceAccountName), labels) });
    add({ apiVersion: 'v1', kind: 'Service', metadata: meta(childName(name, '-epp-service'), labels), spec: { selector: labels, ports: [{ name: 'grpc-ext-proc', port: 9002, targetPort: 9002 }] } });
    const pool = isMap(sched.pool) && isMap(sched.pool.spec) ? sched.pool.spec : {};
    add({ apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: meta(childName(name, '-inference-pool'), workload), spec: pool });
  }
  // A pod that needs the storage-initializer while neither inferenceservice-config nor the catalog names its image.
  const needsImage = storage.image === undefined && objects.some((o) => JSON.stringify(o.obj).includes(`"name":"${STORAGE_INITIALIZER}"`));
  if (needsImage) return { objects: [], problems: [{ from, message: `the storage-initializer image is unknown: inferenceservice-config names none and no catalog entry declares images.${STORAGE_INITIALIZER_ROLE}` }] };
  return { objects, problems: [] };
}
