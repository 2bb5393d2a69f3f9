/**
 * What must exist outside an environment before Argo CD syncs it, read from what was rendered
 * for it (the overlay objects, the child Applications with their Helm values, root.yaml) and
 * its resolved config: the Argo CD it needs, every secret-store key with the objects that read
 * it, the DNS names under its domain, ingress classes, storage classes with the claims and access
 * modes they serve, the GPU nodes, and the API groups no component of the env installs.
 * Nothing is listed by hand: a new ExternalSecret, host or claim shows up on its own.
 */
import { parseAllDocuments } from 'yaml';
import type { Plan } from '../../plan/plan.ts';
import { isPlainObject } from '../../config/merge.ts';
import type { ResolvedEnv } from '../../config/environment.ts';
import { modelsOf } from '../../config/components.ts';
import { CAPABILITIES, PREREQUISITES } from '../../config/capability-prerequisites.ts';

/** The Argo CD version the delivery is built and tested for (docs/VERSIONS.md row 1; README "Argo CD syncs it"). */
export const ARGOCD_VERSION = 'v3.3.14';

type Obj = Record<string, unknown>;

export interface SecretKeyUse {
  key: string;
  /** The store the ExternalSecrets name (ClusterSecretStore or SecretStore). */
  store: string;
  properties: string[];
  /** `Kind namespace/name (file)` of each object that reads it. */
  readBy: string[];
}

export interface StorageUse {
  /** The StorageClass, or "(cluster default)" for claims that name none. */
  storageClass: string;
  claims: { object: string; accessModes: string[]; size?: string; file: string }[];
}

export interface Prerequisites {
  env: string;
  argocd: {
    version: string;
    namespace: string;
    instance: string;
    manager: boolean;
    project: string;
    /** The root.yaml files an admin applies for this env (its own, and the manager's when it shares an Argo CD). */
    apply: string[];
    /** Kinds of API root.yaml creates on the Argo CD cluster (they need their controllers there). */
    rootKinds: string[];
    configMap: string;
  };
  cluster: { server: string; kubernetesVersion: string; apiServerCidrs: string[] };
  secretKeys: SecretKeyUse[];
  dns: { host: string; usedBy: string[] }[];
  ingressClasses: { name: string; usedBy: string[] }[];
  ingressNamespace?: string;
  storage: StorageUse[];
  gpu?: { nodes?: number; gpusPerNode: number; product?: string; labels: Record<string, string>; taint?: string; tolerations: string[]; timeSlicing?: number; migLayout?: string };
  /**
   * What the cluster runs for the env's capabilities (cluster.prerequisites, checked by CON004):
   * each with what it is and the models whose capabilities need it.
   */
  capabilities: { id: string; what: string; neededBy: string[] }[];
  /** API groups objects of the env use that no enabled component installs, with an example kind each. */
  externalApis: { group: string; kinds: string[]; files: string[] }[];
}

/** Built-in API groups of Kubernetes (served without a CRD). */
const BUILTIN = /^(|apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io|node\.k8s\.io|certificates\.k8s\.io|events\.k8s\.io|flowcontrol\.apiserver\.k8s\.io|authentication\.k8s\.io|authorization\.k8s\.io|apiregistration\.k8s\.io)$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const idOf = (o: Obj, file: string): string => {
  const md = (isPlainObject(o.metadata) ? o.metadata : {}) as Obj;
  const ns = str(md.namespace);
  return `${str(o.kind) ?? '?'} ${ns ? `${ns}/` : ''}${str(md.name) ?? '?'} (${file})`;
};

/** Every mapping under `v` with its nearest enclosing Kubernetes object (one with kind and apiVersion). */
function walk(v: unknown, owner: Obj | undefined, visit: (m: Obj, owner: Obj | undefined, path: string[]) => void, path: string[] = []): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, owner, visit, [...path, String(i)]));
    return;
  }
  if (!isPlainObject(v)) return;
  const m = v as Obj;
  const own = typeof m.kind === 'string' && typeof m.apiVersion === 'string' ? m : owner;
  visit(m, own, own === m ? [] : path);
  for (const [k, x] of Object.entries(m)) walk(x, own, visit, own === m ? [k] : [...path, k]);
}

/** Every string under `v`. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (isPlainObject(v)) for (const x of Object.values(v as Obj)) strings(x, out);
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** DNS names under `domain` (at least one label in front of it). */
export function hostsIn(text: string, domain: string): string[] {
  const re = new RegExp(`(?<![a-z0-9.-])((?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\\.)+${escapeRe(domain)})(?![a-z0-9-])`, 'g');
  return [...text.matchAll(re)].map((m) => m[1]!);
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  const l = m.get(k);
  if (l) {
    if (!l.includes(v)) l.push(v);
  } else m.set(k, [v]);
};

/** The objects of each rendered file (parsed here when render did not keep them). */
function objectsOf(files: Map<string, string>, parsed: Map<string, unknown[]> | undefined): [string, Obj][] {
  const out: [string, Obj][] = [];
  for (const [path, text] of files) {
    if (!path.endsWith('.yaml') || path.endsWith('kustomization.yaml')) continue;
    const objs = parsed?.get(path) ?? parseAllDocuments(text).map((d) => d.toJS() as unknown);
    for (const o of objs) if (isPlainObject(o)) out.push([`generated/${'${env}'}/${path}`, o as Obj]);
  }
  return out;
}

/** What collectPrerequisites needs of the envs sharing this env's Argo CD. */
export const peerRoles = (peers: readonly ResolvedEnv[]): { name: string; manager: boolean; instance: string }[] =>
  peers.map((e) => ({ name: e.name, manager: e.config.argocd.manager === true, instance: e.config.argocd.instance ?? e.name }));

/** The env's cluster.prerequisites, each with the models (and their capability) that need it. */
function declaredPrerequisites(c: ResolvedEnv['config']): Prerequisites['capabilities'] {
  const declared = (c.cluster as { prerequisites?: string[] }).prerequisites ?? [];
  return [...declared].sort().map((id) => ({
    id,
    what: PREREQUISITES[id]?.what ?? id,
    neededBy: modelsOf(c).flatMap((m) => CAPABILITIES.filter((cap) => cap.needs(m).includes(id)).map((cap) => `model ${m.name} (${cap.capability})`)),
  }));
}

export function collectPrerequisites(plan: Plan, files: Map<string, string>, parsed?: Map<string, unknown[]>, peers: { name: string; manager: boolean; instance: string }[] = []): Prerequisites {
  const env = plan.env;
  const c = env.config;
  const objs = objectsOf(files, parsed).map(([f, o]): [string, Obj] => [f.replace('${env}', env.name), o]);
  const keys = new Map<string, SecretKeyUse>();
  const dns = new Map<string, string[]>();
  const classes = new Map<string, string[]>();
  const storage = new Map<string, StorageUse['claims']>();
  const groups = new Map<string, { kinds: string[]; files: string[] }>();
  const installed = new Set(plan.apps.flatMap((a) => a.app.crds.installs));
  const domain = c.cluster.domain;
  for (const [file, top] of objs) {
    walk(top, undefined, (m, owner, path) => {
      const key = path.at(-1);
      const at = owner ? idOf(owner, file) : file;
      if (m.kind === 'ExternalSecret' && isPlainObject(m.spec)) {
        const spec = m.spec as Obj;
        const store = str((spec.secretStoreRef as Obj | undefined)?.name) ?? '?';
        const refs: { key?: string; property?: string }[] = [];
        for (const d of Array.isArray(spec.data) ? spec.data : []) if (isPlainObject(d) && isPlainObject((d as Obj).remoteRef)) refs.push((d as Obj).remoteRef as { key?: string; property?: string });
        for (const d of Array.isArray(spec.dataFrom) ? spec.dataFrom : []) if (isPlainObject(d) && isPlainObject((d as Obj).extract)) refs.push({ key: str(((d as Obj).extract as Obj).key), property: '(every property)' });
        for (const r of refs) {
          if (!r.key) continue;
          const k = `${store}\u0000${r.key}`;
          const use = keys.get(k) ?? { key: r.key, store, properties: [], readBy: [] };
          keys.set(k, use);
          if (r.property && !use.properties.includes(r.property)) use.properties.push(r.property);
          const who = idOf(m, file);
          if (!use.readBy.includes(who)) use.readBy.push(who);
        }
      }
      const icn = str(m.ingressClassName);
      if (icn) push(classes, icn, at);
      // PersistentVolumeClaim specs (also volumeClaimTemplates in charts' values) and CNPG's storage.storageClass.
      if (Array.isArray(m.accessModes) || typeof m.storageClassName === 'string') {
        const size = str((((m.resources as Obj | undefined)?.requests as Obj | undefined) ?? {}).storage);
        const owned = owner && owner !== m ? owner : undefined;
        const ident = !owned ? idOf(m, file) : owned.kind === 'PersistentVolumeClaim' && path.join('/') === 'spec' ? idOf(owned, file) : `${idOf(owned, file)} at /${path.join('/')}`;
        const spec = m.kind === 'PersistentVolumeClaim' && isPlainObject(m.spec) ? (m.spec as Obj) : m;
        if (m.kind !== 'PersistentVolumeClaim' || spec !== m) {
          const sc = str(spec.storageClassName) ?? '(cluster default)';
          const list = storage.get(sc) ?? [];
          storage.set(sc, list);
          list.push({ object: ident, accessModes: (Array.isArray(spec.accessModes) ? spec.accessModes : []).map(String), size: size ?? str((((spec.resources as Obj | undefined)?.requests as Obj | undefined) ?? {}).storage), file });
        }
      }
      if (key === 'storage' && owner?.kind === 'Cluster' && str(m.storageClass) !== undefined) {
        const list = storage.get(str(m.storageClass)!) ?? [];
        storage.set(str(m.storageClass)!, list);
        list.push({ object: idOf(owner, file), accessModes: ['ReadWriteOnce'], size: str(m.size), file });
      }
    });
    if (typeof top.apiVersion === 'string' && typeof top.kind === 'string') {
      const g = groupOf(top.apiVersion);
      if (!BUILTIN.test(g) && !installed.has(g)) {
        const e = groups.get(g) ?? { kinds: [], files: [] };
        groups.set(g, e);
        if (!e.kinds.includes(top.kind)) e.kinds.push(top.kind);
        if (!e.files.includes(file)) e.files.push(file);
      }
    }
    for (const s of strings(top)) for (const h of hostsIn(s, domain)) push(dns, h, idOf(top, file));
  }
  const gpu = c.cluster.gpu;
  const instance = c.argocd.instance ?? env.name;
  const manager = peers.find((p) => p.manager && p.instance === instance && p.name !== env.name);
  const root = objs.filter(([f]) => f.endsWith('/root.yaml')).map(([, o]) => `${groupOf(String(o.apiVersion)) || 'core'}/${String(o.kind)}`);
  const sortBy = <T>(l: T[], k: (t: T) => string): T[] => l.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  return {
    env: env.name,
    argocd: {
      version: ARGOCD_VERSION,
      namespace: c.argocd.namespace ?? 'argocd',
      instance,
      manager: c.argocd.manager === true,
      project: c.argocd.project,
      apply: [`generated/${env.name}/root.yaml`, ...(manager ? [`generated/${manager.name}/root.yaml`] : [])],
      rootKinds: [...new Set(root)].sort(),
      configMap: 'root.yaml carries the resource.customizations.health.* keys of argocd-cm (server-side apply: other keys stay yours); no root syncs them, so re-apply root.yaml when base/argocd-health/ changes',
    },
    cluster: { server: c.cluster.server, kubernetesVersion: c.cluster.kubernetesVersion ?? '1.35.0', apiServerCidrs: [...(c.cluster.apiServerCidrs ?? [])] },
    secretKeys: sortBy([...keys.values()], (k) => `${k.store} ${k.key}`).map((k) => ({ ...k, properties: k.properties.sort(), readBy: k.readBy.sort() })),
    dns: sortBy([...dns].map(([host, usedBy]) => ({ host, usedBy: usedBy.sort() })), (d) => d.host),
    ingressClasses: sortBy([...classes].map(([name, usedBy]) => ({ name, usedBy: usedBy.sort() })), (d) => d.name),
    ingressNamespace: c.cluster.ingressNamespace,
    storage: sortBy([...storage].map(([storageClass, claims]) => ({ storageClass, claims: sortBy(claims, (x) => x.object) })), (s) => s.storageClass),
    gpu: gpu
      ? {
          nodes: gpu.nodes,
          gpusPerNode: gpu.gpusPerNode,
          product: gpu.product,
          labels: { ...(gpu.nodeSelector ?? {}), ...(gpu.mig ? { 'nvidia.com/mig.config': gpu.mig.layout } : {}) },
          taint: gpu.taint ? `${gpu.taint.key}${gpu.taint.value ? `=${gpu.taint.value}` : ''}:${gpu.taint.effect}` : undefined,
          tolerations: (gpu.tolerations ?? []).map((t) => `${t.key ?? '*'} ${t.operator ?? 'Equal'}${t.value ? ` ${t.value}` : ''}${t.effect ? ` ${t.effect}` : ''}`),
          timeSlicing: gpu.timeSlicing,
          migLayout: gpu.mig?.layout,
        }
      : undefined,
    capabilities: declaredPrerequisites(c),
    externalApis: sortBy([...groups].map(([group, e]) => ({ group, kinds: e.kinds.sort(), files: e.files.sort() })), (g) => g.group),
  };
}
