/**
 * The simulated cluster of one env: what exists (applied objects, the objects controllers make
 * from them, namespaces and CRDs), the storage classes, and the instance's health checks.
 */
import type { K8sObject } from '../../findings.ts';
import { embeddedPodSpecs, groupKind, groupOf, isObj, keyOf, objKey, podRefs, podSpecOf, producedBy } from './objects.ts';

export interface StorageClass {
  name: string;
  bindingMode: 'Immediate' | 'WaitForFirstConsumer';
  /** Access modes its provisioner offers; absent: any. */
  accessModes?: string[];
}

/** One Argo CD instance: the `resource.customizations.health.*` keys its argocd-cm holds. */
export class Instance {
  readonly health = new Map<string, { script: string; from: string }>();
  constructor(readonly name: string) {}
  /** Take the health keys of an applied argocd-cm. */
  applyArgocdCm(cm: K8sObject, from: string): string[] {
    const data = isObj((cm as Record<string, unknown>).data) ? ((cm as Record<string, unknown>).data as Record<string, unknown>) : {};
    const added: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const m = /^resource\.customizations\.health\.(.+)$/.exec(k);
      if (m?.[1] && typeof v === 'string') {
        if (!this.health.has(m[1])) added.push(m[1]);
        this.health.set(m[1], { script: v, from });
      }
    }
    return added;
  }
}

/** Namespaces every cluster has. */
const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Counts every change anywhere in the simulation: an operation that failed retries only when it moved. */
export class World {
  version = 0;
  bump(): void {
    this.version++;
  }
}

export class Cluster {
  /** key -> object applied by an Application (or assumed there before the bootstrap). */
  readonly objects = new Map<string, { obj: K8sObject; by: string }>();
  /** Producer key -> what must exist first (ExternalSecret -> its store). */
  private readonly produced = new Map<string, { needs?: { key: string; what: string }; by: string }>();
  /** Objects the platform makes somewhere (applied or produced): a reference to anything else is assumed to exist. */
  readonly known = new Set<string>();

  constructor(
    readonly storageClasses: StorageClass[],
    readonly argocdNamespace: string,
    readonly world: World = new World(),
  ) {
    for (const ns of [...BUILTIN_NAMESPACES, argocdNamespace]) this.objects.set(keyOf('', 'Namespace', '', ns), { obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, by: 'cluster' });
  }

  /** Register every object the platform will apply, so references to them wait for their wave. */
  know(o: K8sObject, ns: string): void {
    this.known.add(objKey(o, ns));
    if (o.kind === 'CustomResourceDefinition' && groupOf(o) === 'apiextensions.k8s.io') this.known.add(crdKeyOf(o));
    for (const p of producedBy(o, ns)) this.known.add(p.key);
  }

  apply(o: K8sObject, ns: string, by: string): void {
    if (!this.objects.has(objKey(o, ns))) this.world.bump();
    this.objects.set(objKey(o, ns), { obj: o, by });
    if (o.kind === 'CustomResourceDefinition' && groupOf(o) === 'apiextensions.k8s.io') this.objects.set(crdKeyOf(o), { obj: o, by });
    for (const p of producedBy(o, ns)) this.produced.set(p.key, { needs: p.needs, by });
  }

  /** Whether an object exists now; an object the platform never makes is assumed to (pre-existing or made by a controller). */
  has(key: string): boolean {
    if (this.objects.has(key)) return true;
    const p = this.produced.get(key);
    if (p) return !p.needs || this.has(p.needs.key);
    if (key.startsWith('/ServiceAccount/') && key.endsWith('/default')) return this.namespaceExists(key.split('/')[2] ?? '');
    return !this.known.has(key);
  }

  namespaceExists(ns: string): boolean {
    return ns === '' || this.has(keyOf('', 'Namespace', '', ns));
  }

  /** Whether the API server serves a kind (built-in kinds always; a custom kind once its CRD is applied). */
  servesKind(group: string, kind: string): boolean {
    if (isBuiltinGroup(group)) return true;
    return this.has(`crd/${group}/${kind}`);
  }

  storageClass(name: string): StorageClass {
    return this.storageClasses.find((c) => c.name === name) ?? { name, bindingMode: 'WaitForFirstConsumer' };
  }

  /** Applied workloads whose pods mount a claim, and those of them the API server admits (ServiceAccount and PriorityClass exist). */
  consumersOf(ns: string, claim: string): string[] {
    return this.claimUsers(ns, claim).filter((u) => !u.blockedBy).map((u) => u.name);
  }

  claimUsers(ns: string, claim: string): { name: string; blockedBy?: string }[] {
    const out: { name: string; blockedBy?: string }[] = [];
    for (const { obj } of this.objects.values()) {
      if ((obj.metadata.namespace ?? '') !== ns) continue;
      for (const spec of [podSpecOf(obj), ...embeddedPodSpecs(obj)]) {
        if (!spec) continue;
        const refs = podRefs(spec);
        if (!refs.some((r) => r.kind === 'PersistentVolumeClaim' && r.name === claim)) continue;
        const missing = refs.find((r) => r.blocks === 'create' && !this.has(refKey(r, ns)));
        out.push({ name: `${obj.kind}/${obj.metadata.name}`, ...(missing ? { blockedBy: `${missing.kind} ${missing.name} does not exist yet` } : {}) });
      }
    }
    return out;
  }
}

export const crdKeyOf = (crd: K8sObject): string => {
  const spec = isObj(crd.spec) ? crd.spec : {};
  const names = isObj(spec.names) ? spec.names : {};
  return `crd/${String(spec.group ?? '')}/${String(names.kind ?? '')}`;
};

export const refKey = (r: { group: string; kind: string; name: string }, ns: string): string =>
  keyOf(r.group, r.kind, r.kind === 'PriorityClass' ? '' : ns, r.name);

const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'events.k8s.io', 'resource.k8s.io']);
export const isBuiltinGroup = (g: string): boolean => BUILTIN_GROUPS.has(g);
export { groupKind };
