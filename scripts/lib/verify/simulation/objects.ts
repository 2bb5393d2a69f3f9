/**
 * What the simulation reads from an object: its key, the sync phase(s) and wave Argo CD gives it,
 * and the references a pod of it needs before it can be created or start.
 * Rules cited (argoproj/argo-cd@v3.3.14, gitops-engine vendored in-tree at gitops-engine/):
 * - phases: gitops-engine/pkg/sync/sync_phase.go `syncPhases` (Skip drops the object; a hook runs
 *   in each of its PreSync/Sync/PostSync/SyncFail types; anything else is Sync);
 * - Helm hooks: gitops-engine/pkg/sync/hook/helm/type.go (pre-install and pre-upgrade -> PreSync,
 *   post-install and post-upgrade -> PostSync; an Argo hook annotation hides every Helm one,
 *   hook/hook.go `Types`); pre-delete/post-delete run only when the Application is deleted
 *   (controller/hook.go); other Helm hooks (test, rollback) are hooks of no sync phase: never run;
 * - wave: gitops-engine/pkg/sync/syncwaves/waves.go (`argocd.argoproj.io/sync-wave`, else
 *   `helm.sh/hook-weight`, else 0).
 */
import type { K8sObject } from '../../findings.ts';

export type Phase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export const PHASES: Phase[] = ['PreSync', 'Sync', 'PostSync'];

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const groupOf = (o: K8sObject): string => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '');
export const groupKind = (o: K8sObject): string => `${groupOf(o)}/${o.kind}`;
/** `group/Kind/namespace/name` (namespace empty for cluster-scoped kinds). */
export const keyOf = (group: string, kind: string, ns: string, name: string): string => `${group}/${kind}/${ns}/${name}`;
export const objKey = (o: K8sObject, ns = o.metadata.namespace ?? ''): string => keyOf(groupOf(o), o.kind, ns, o.metadata.name ?? '');

const csv = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const annotation = (o: K8sObject, k: string): string | undefined => o.metadata.annotations?.[k];

const HELM_PHASE: Record<string, Phase> = { 'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-install': 'PostSync', 'post-upgrade': 'PostSync' };
const ARGO_HOOKS = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

export interface HookInfo {
  hook: boolean;
  /** Sync phases it runs in (empty: never during a sync). */
  phases: Phase[];
  /** The Helm hook types it was mapped from, for the timeline. */
  helm: string[];
  /** PreDelete / PostDelete (run on Application deletion only). */
  deleteHooks: string[];
}

/** gitops-engine hook.IsHook/Types and sync_phase.go syncPhases, plus controller/hook.go delete hooks. */
export function hookInfo(o: K8sObject): HookInfo {
  const argo = csv(annotation(o, 'argocd.argoproj.io/hook')).filter((t) => ARGO_HOOKS.has(t));
  const argoRaw = annotation(o, 'argocd.argoproj.io/hook');
  const helmRaw = annotation(o, 'helm.sh/hook');
  const helm = csv(helmRaw);
  const deleteHooks = [
    ...(csv(argoRaw).includes('PreDelete') || helm.includes('pre-delete') ? ['PreDelete'] : []),
    ...(csv(argoRaw).includes('PostDelete') || helm.includes('post-delete') ? ['PostDelete'] : []),
  ];
  if (argoRaw !== undefined) {
    if (argo.length === 1 && argo[0] === 'Skip') return { hook: false, phases: [], helm: [], deleteHooks };
    return { hook: true, phases: argo.filter((t): t is Phase => t !== 'Skip'), helm: [], deleteHooks };
  }
  if (helmRaw !== undefined && helmRaw !== 'crd-install') {
    const phases = [...new Set(helm.map((t) => HELM_PHASE[t]).filter((p): p is Phase => p !== undefined))];
    return { hook: true, phases, helm, deleteHooks };
  }
  return { hook: deleteHooks.length > 0, phases: deleteHooks.length > 0 ? [] : ['Sync'], helm: [], deleteHooks };
}

export function waveOf(o: K8sObject): number {
  for (const k of ['argocd.argoproj.io/sync-wave', 'helm.sh/hook-weight']) {
    const v = annotation(o, k);
    if (v !== undefined && /^[+-]?\d+$/.test(v.trim())) return Number.parseInt(v.trim(), 10);
    if (k === 'argocd.argoproj.io/sync-wave' && v !== undefined) break;
  }
  return 0;
}

/** Sync options of an object (`argocd.argoproj.io/sync-options`) merged with the Application's. */
export function syncOptions(o: K8sObject, appOptions: string[] = []): Set<string> {
  return new Set([...appOptions, ...csv(annotation(o, 'argocd.argoproj.io/sync-options'))]);
}

export interface PodRef {
  group: string;
  kind: string;
  name: string;
  /** `create`: the API server refuses the pod (ServiceAccount, PriorityClass admission); `start`: the pod waits. */
  blocks: 'create' | 'start';
  via: string;
}

/** The pod spec a workload creates pods from, or undefined. */
export function podSpecOf(o: K8sObject): Obj | undefined {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return undefined;
  if (o.kind === 'Pod' && groupOf(o) === '') return spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(o.kind) && groupOf(o) === 'apps') {
    return isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : undefined;
  }
  if (o.kind === 'Job' && groupOf(o) === 'batch') return isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : undefined;
  return undefined;
}

/**
 * Pod specs an operator builds from a custom resource, as far as they show in it: every map
 * under `spec` that holds a `volumes` list (LlamaStackDistribution podOverrides, a
 * LLMInferenceService template…). Its claims get a consumer once the resource exists.
 */
export function embeddedPodSpecs(o: K8sObject): Obj[] {
  if (podSpecOf(o) || !isObj(o.spec)) return [];
  const out: Obj[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (isObj(v)) {
      if (Array.isArray(v.volumes)) out.push(v);
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(o.spec, 0);
  return out;
}

/**
 * References a pod needs, with how each blocks it (Kubernetes v1.35 admission and kubelet):
 * ServiceAccount and PriorityClass are checked when the pod is created; Secrets, ConfigMaps
 * (unless `optional: true`) and PersistentVolumeClaims when it is scheduled or started.
 */
export function podRefs(spec: Obj): PodRef[] {
  const refs: PodRef[] = [];
  const sa = str(spec.serviceAccountName) || str(spec.serviceAccount);
  if (sa && sa !== 'default') refs.push({ group: '', kind: 'ServiceAccount', name: sa, blocks: 'create', via: 'serviceAccountName' });
  const pc = str(spec.priorityClassName);
  if (pc && !pc.startsWith('system-')) refs.push({ group: 'scheduling.k8s.io', kind: 'PriorityClass', name: pc, blocks: 'create', via: 'priorityClassName' });
  const secret = (name: string, optional: unknown, via: string): void => {
    if (name && optional !== true) refs.push({ group: '', kind: 'Secret', name, blocks: 'start', via });
  };
  const configMap = (name: string, optional: unknown, via: string): void => {
    if (name && optional !== true) refs.push({ group: '', kind: 'ConfigMap', name, blocks: 'start', via });
  };
  for (const v of list(spec.volumes).filter(isObj)) {
    const vn = str(v.name);
    if (isObj(v.secret)) secret(str(v.secret.secretName), v.secret.optional, `volume ${vn}`);
    if (isObj(v.configMap)) configMap(str(v.configMap.name), v.configMap.optional, `volume ${vn}`);
    if (isObj(v.persistentVolumeClaim)) refs.push({ group: '', kind: 'PersistentVolumeClaim', name: str(v.persistentVolumeClaim.claimName), blocks: 'start', via: `volume ${vn}` });
    if (isObj(v.projected)) {
      for (const s of list(v.projected.sources).filter(isObj)) {
        if (isObj(s.secret)) secret(str(s.secret.name), s.secret.optional, `volume ${vn}`);
        if (isObj(s.configMap)) configMap(str(s.configMap.name), s.configMap.optional, `volume ${vn}`);
      }
    }
  }
  for (const c of [...list(spec.initContainers), ...list(spec.containers)].filter(isObj)) {
    const cn = str(c.name);
    for (const e of list(c.env).filter(isObj)) {
      const vf = isObj(e.valueFrom) ? e.valueFrom : {};
      if (isObj(vf.secretKeyRef)) secret(str(vf.secretKeyRef.name), vf.secretKeyRef.optional, `container ${cn} env ${str(e.name)}`);
      if (isObj(vf.configMapKeyRef)) configMap(str(vf.configMapKeyRef.name), vf.configMapKeyRef.optional, `container ${cn} env ${str(e.name)}`);
    }
    for (const e of list(c.envFrom).filter(isObj)) {
      if (isObj(e.secretRef)) secret(str(e.secretRef.name), e.secretRef.optional, `container ${cn} envFrom`);
      if (isObj(e.configMapRef)) configMap(str(e.configMapRef.name), e.configMapRef.optional, `container ${cn} envFrom`);
    }
  }
  return refs;
}

/**
 * Objects a controller makes from one object, as far as the simulation needs them: the Secret an
 * ExternalSecret writes (spec.target.name, else its own name; external-secrets.io v1) and the
 * Secret a cert-manager Certificate writes (spec.secretName).
 */
export function producedBy(o: K8sObject, ns: string): { key: string; needs?: { key: string; what: string } }[] {
  const spec = isObj(o.spec) ? o.spec : {};
  const g = groupOf(o);
  if (g === 'external-secrets.io' && o.kind === 'ExternalSecret') {
    const target = isObj(spec.target) && str(spec.target.name) ? str(spec.target.name) : (o.metadata.name ?? '');
    const store = isObj(spec.secretStoreRef) ? spec.secretStoreRef : {};
    const storeKind = str(store.kind) || 'SecretStore';
    const storeKey = keyOf('external-secrets.io', storeKind, storeKind === 'ClusterSecretStore' ? '' : ns, str(store.name));
    return [{ key: keyOf('', 'Secret', ns, target), needs: { key: storeKey, what: `${storeKind} ${str(store.name)}` } }];
  }
  if (g === 'cert-manager.io' && o.kind === 'Certificate' && str(spec.secretName)) {
    const issuer = isObj(spec.issuerRef) ? spec.issuerRef : {};
    const issuerKind = str(issuer.kind) || 'Issuer';
    const issuerKey = keyOf('cert-manager.io', issuerKind, issuerKind === 'ClusterIssuer' ? '' : ns, str(issuer.name));
    return [{ key: keyOf('', 'Secret', ns, str(spec.secretName)), needs: { key: issuerKey, what: `${issuerKind} ${str(issuer.name)}` } }];
  }
  return [];
}
