/**
 * PLAT003 Pod Security admission: every pod template is checked against the Pod Security
 * Standards level its namespace enforces (label pod-security.kubernetes.io/enforce on the
 * Namespace; absent = privileged), at the latest policy version (v1.35). Pod templates are found
 * where k8s.io/pod-security-admission admission/admission.go DefaultPodSpecExtractor looks.
 */
import { groupOf } from '../../findings.ts';
import { BASELINE_CHECKS } from './pss-baseline.ts';
import type { JsonMap, Level, PssCheck } from './pss-helpers.ts';
import { RESTRICTED_CHECKS } from './pss-restricted.ts';
import { appObjectFinding, isRecord, makeFinding, objectId, str, type AppObject, type Finding, type K8sObject, type PlatformInput } from './types.ts';

export const PLAT003 = 'PLAT003';
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Where each pod-bearing kind keeps its pod template (`group/Kind` -> path); '' = the object itself. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  '/Pod': [],
  '/PodTemplate': ['template'],
  '/ReplicationController': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface PodTemplate {
  meta: JsonMap;
  spec: JsonMap;
  /** JSON pointer of the pod spec inside the object. */
  path: string;
}

/** The pod metadata and spec PSA evaluates for an object, if it has one. */
export function podTemplateOf(obj: K8sObject): PodTemplate | undefined {
  const path = TEMPLATE_PATHS[`${groupOf(obj.apiVersion)}/${obj.kind}`];
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const seg of path) cur = isRecord(cur) ? cur[seg] : undefined;
  if (!isRecord(cur) || !isRecord(cur.spec)) return undefined;
  return { meta: isRecord(cur.metadata) ? cur.metadata : {}, spec: cur.spec, path: `/${[...path, 'spec'].join('/')}` };
}

/** Checks run at a level (policy/registry.go: restricted = restricted checks + non-overridden baseline ones). */
export function checksFor(level: Level): PssCheck[] {
  if (level === 'privileged') return [];
  const byId = (a: PssCheck, b: PssCheck): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const baseline = [...BASELINE_CHECKS].sort(byId);
  if (level === 'baseline') return baseline;
  const overridden = new Set(RESTRICTED_CHECKS.flatMap((c) => c.overrides ?? []));
  return [...baseline.filter((c) => !overridden.has(c.id)), ...[...RESTRICTED_CHECKS].sort(byId)];
}

export interface NamespaceLevel {
  level: Level;
  /** The label value when it is not a valid level (PSA then evaluates restricted). */
  invalid?: string;
}

/** api/helpers.go PolicyToEvaluate + ParseLevel for the enforce label. */
export function enforcedLevel(ns: K8sObject | undefined): NamespaceLevel {
  const value = ns?.metadata?.labels?.[ENFORCE_LABEL];
  if (value === undefined) return { level: 'privileged' };
  if (value === 'privileged' || value === 'baseline' || value === 'restricted') return { level: value };
  return { level: 'restricted', invalid: String(value) };
}

export interface PodViolation {
  check: string;
  reason: string;
  detail: string;
}

/** Evaluates one pod (metadata + spec) at a level; the checks that forbid it. */
export function evaluatePod(level: Level, meta: JsonMap, spec: JsonMap): PodViolation[] {
  const out: PodViolation[] = [];
  for (const c of checksFor(level)) {
    const r = c.check(meta, spec);
    if (!r.allowed) out.push({ check: c.id, reason: r.reason ?? 'unknown forbidden reason', detail: r.detail ?? '' });
  }
  return out;
}

export function checkPodSecurity(input: PlatformInput): Finding[] {
  const namespaces = new Map(input.namespaces.map((n) => [str(n.metadata?.name), n]));
  const nsLocation = new Map<string, AppObject>();
  for (const app of input.apps) for (const o of app.objects) if (o.obj.kind === 'Namespace' && groupOf(o.obj.apiVersion) === '') nsLocation.set(str(o.obj.metadata?.name), o);
  const out: Finding[] = [];
  const reportedInvalid = new Set<string>();
  for (const app of input.apps) {
    for (const o of app.objects) {
      const pod = podTemplateOf(o.obj);
      if (!pod) continue;
      const own = objectId(o.obj);
      const namespace = own.namespace || app.destination.namespace;
      const { level, invalid } = enforcedLevel(namespaces.get(namespace));
      if (invalid !== undefined && !reportedInvalid.has(namespace)) {
        reportedInvalid.add(namespace);
        const at = nsLocation.get(namespace) ?? o;
        out.push(
          makeFinding(PLAT003, at, { kind: 'Namespace', name: namespace }, `/metadata/labels/${ENFORCE_LABEL.replace(/~/g, '~0').replace(/\//g, '~1')}`,
            `Namespace ${namespace}: ${ENFORCE_LABEL}=${JSON.stringify(invalid)} is not privileged, baseline or restricted; Pod Security admission rejects the label and evaluates pods as restricted`),
        );
      }
      const pods = `pod ${own.kind === 'Pod' ? '' : 'template '}violates PodSecurity "${level}:latest" enforced on namespace "${namespace}"`;
      for (const v of evaluatePod(level, pod.meta, pod.spec)) {
        out.push(appObjectFinding(PLAT003, app.app, o, { ...own, namespace }, pod.path, `${pods}: ${v.reason}${v.detail ? ` (${v.detail})` : ''} [${v.check}]`));
      }
    }
  }
  return out;
}
