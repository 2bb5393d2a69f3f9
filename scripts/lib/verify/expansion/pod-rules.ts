/**
 * The pod rules over the pods operators create (expansion): each pod template goes through
 *  - EXP001 Pod Security admission at the level its namespace enforces (the PLAT003 model,
 *    admission/pod-security.ts: kubernetes/pod-security-admission@v0.35.6 policy/);
 *  - EXP002 references: its ServiceAccount, and every Secret, ConfigMap and PersistentVolumeClaim
 *    it needs (volumes, env, envFrom; `optional: true` ones aside) exist in its namespace, rendered
 *    by the platform, made by an ExternalSecret, or created by the operator itself.
 * Each finding points at the custom resource the pod comes from (file and line of the rendered
 * resource) and names the object the operator creates.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import { enforcedLevel, evaluatePod } from '../admission/index.ts';
import { isMap, label, str, type ExpandedObject, type JsonMap } from './types.ts';

export const EXP001 = 'EXP001';
export const EXP002 = 'EXP002';

export interface PodOf {
  /** Where in the object: '' for the pod template of a workload, 'leader' / 'worker' for a LeaderWorkerSet. */
  role: string;
  meta: JsonMap;
  spec: JsonMap;
}

/** The pod templates of an expanded object (workloads, both templates of a LeaderWorkerSet, a Pod itself). */
export function podsOf(obj: K8sObject): PodOf[] {
  const spec = isMap(obj.spec) ? obj.spec : {};
  const tpl = (t: unknown, role: string): PodOf[] => (isMap(t) && isMap(t.spec) ? [{ role, meta: isMap(t.metadata) ? t.metadata : {}, spec: t.spec }] : []);
  if (obj.kind === 'LeaderWorkerSet') {
    const lwt = isMap(spec.leaderWorkerTemplate) ? spec.leaderWorkerTemplate : {};
    return [...tpl(lwt.leaderTemplate, 'leader'), ...tpl(lwt.workerTemplate, 'worker')];
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(obj.kind)) return tpl(spec.template, '');
  // Operators that create Pods themselves (CloudNativePG's instances).
  if (obj.kind === 'Pod') return tpl(obj, '');
  return [];
}

export function expandedFinding(rule: string, e: ExpandedObject, what: string, path = ''): Finding {
  const cr = e.from.obj;
  return {
    file: e.from.file,
    line: e.from.line,
    col: 0,
    path,
    rule,
    kind: cr.kind,
    name: str(cr.metadata?.name),
    message: `${label(cr)}: the ${label(e.obj)} its operator creates (${e.operator}): ${what}`,
  };
}

/** EXP001: every expanded pod at its namespace's enforced level. */
export function podSecurityFindings(expanded: ExpandedObject[], namespaces: K8sObject[]): Finding[] {
  const byName = new Map(namespaces.map((n) => [str(n.metadata?.name), n]));
  const out: Finding[] = [];
  for (const e of expanded) {
    const ns = str(e.obj.metadata?.namespace);
    const { level } = enforcedLevel(byName.get(ns));
    for (const pod of podsOf(e.obj)) {
      for (const v of evaluatePod(level, pod.meta, pod.spec)) {
        const which = pod.role ? `${pod.role} pods` : 'pods';
        out.push(expandedFinding(EXP001, e, `${which} violate PodSecurity "${level}:latest" enforced on namespace "${ns}": ${v.reason}${v.detail ? ` (${v.detail})` : ''} [${v.check}]`));
      }
    }
  }
  return out;
}

type RefKind = 'ServiceAccount' | 'Secret' | 'ConfigMap' | 'PersistentVolumeClaim';

/** What a pod needs to exist: kind and name, the optional ones left out. */
export function podReferences(spec: JsonMap): { kind: RefKind; name: string; where: string }[] {
  const out: { kind: RefKind; name: string; where: string }[] = [];
  out.push({ kind: 'ServiceAccount', name: str(spec.serviceAccountName) || 'default', where: 'serviceAccountName' });
  for (const v of Array.isArray(spec.volumes) ? (spec.volumes as JsonMap[]) : []) {
    if (isMap(v.secret) && v.secret.optional !== true) out.push({ kind: 'Secret', name: str(v.secret.secretName), where: `volume ${str(v.name)}` });
    if (isMap(v.configMap) && v.configMap.optional !== true) out.push({ kind: 'ConfigMap', name: str(v.configMap.name), where: `volume ${str(v.name)}` });
    if (isMap(v.persistentVolumeClaim)) out.push({ kind: 'PersistentVolumeClaim', name: str(v.persistentVolumeClaim.claimName), where: `volume ${str(v.name)}` });
  }
  const containers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])] as JsonMap[];
  for (const c of containers) {
    for (const e of Array.isArray(c.env) ? (c.env as JsonMap[]) : []) {
      const from = isMap(e.valueFrom) ? e.valueFrom : {};
      if (isMap(from.secretKeyRef) && from.secretKeyRef.optional !== true) out.push({ kind: 'Secret', name: str(from.secretKeyRef.name), where: `container ${str(c.name)} env ${str(e.name)}` });
      if (isMap(from.configMapKeyRef) && from.configMapKeyRef.optional !== true) out.push({ kind: 'ConfigMap', name: str(from.configMapKeyRef.name), where: `container ${str(c.name)} env ${str(e.name)}` });
    }
    for (const e of Array.isArray(c.envFrom) ? (c.envFrom as JsonMap[]) : []) {
      if (isMap(e.secretRef) && e.secretRef.optional !== true) out.push({ kind: 'Secret', name: str(e.secretRef.name), where: `container ${str(c.name)} envFrom` });
      if (isMap(e.configMapRef) && e.configMapRef.optional !== true) out.push({ kind: 'ConfigMap', name: str(e.configMapRef.name), where: `container ${str(c.name)} envFrom` });
    }
  }
  return out;
}

/** `Kind namespace/name` of everything that will exist: rendered objects, ExternalSecret targets, expanded objects. */
export function existingNames(objects: K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    const ns = str(o.metadata?.namespace);
    out.add(`${o.kind} ${ns}/${str(o.metadata?.name)}`);
    if (o.kind === 'ExternalSecret') {
      const target = isMap(o.spec) && isMap(o.spec.target) ? str(o.spec.target.name) : '';
      out.add(`Secret ${ns}/${target || str(o.metadata?.name)}`);
    }
  }
  return out;
}

/** EXP002: references of expanded pods that nothing creates. */
export function referenceFindings(expanded: ExpandedObject[], others: K8sObject[]): Finding[] {
  const names = existingNames([...others, ...expanded.map((e) => e.obj)]);
  const out: Finding[] = [];
  for (const e of expanded) {
    const ns = str(e.obj.metadata?.namespace);
    for (const pod of podsOf(e.obj)) {
      const seen = new Set<string>();
      for (const r of podReferences(pod.spec)) {
        const key = `${r.kind} ${ns}/${r.name}`;
        if (!r.name || names.has(key) || seen.has(key) || key === `ServiceAccount ${ns}/default`) continue;
        seen.add(key);
        out.push(expandedFinding(EXP002, e, `${pod.role ? `${pod.role} pods need` : 'its pods need'} ${r.kind} ${ns}/${r.name} (${r.where}), which nothing renders, creates or fetches: the pods never start`));
      }
    }
  }
  return out;
}
