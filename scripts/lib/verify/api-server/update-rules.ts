/**
 * What the API server (and the operators' webhooks) refuse when an existing object is updated:
 * each rule compares the object at the base revision (what the cluster runs) with the new one.
 * Argo CD applies an update (server-side apply or kubectl apply; `Replace=true` is an update too),
 * so a refused change fails the sync until someone acts: each finding says how.
 *
 * Core kinds, kubernetes/kubernetes@v1.35.0 (function names; the validation files of
 * pkg/apis/<group>/validation/validation.go):
 * - PersistentVolumeClaim, ValidatePersistentVolumeClaimUpdate: the spec of a bound claim is
 *   immutable except resources.requests (and volumeAttributesClassName); requests.storage may
 *   not go below the previous value (its capacity), so only an increase passes;
 * - Job, ValidateJobSpecUpdate: spec.selector, spec.template (of a Job that has started),
 *   spec.completionMode and spec.podFailurePolicy are immutable;
 * - Deployment, ReplicaSet, DaemonSet (apps/v1), ValidateDeploymentUpdate etc.: spec.selector;
 * - StatefulSet, ValidateStatefulSetUpdate: only replicas, ordinals, template, updateStrategy,
 *   revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds may change
 *   (volumeClaimTemplates, serviceName, selector, podManagementPolicy may not);
 * - Service, ValidateServiceUpdate: spec.clusterIP once set;
 * - ConfigMap and Secret with `immutable: true`, ValidateConfigMapUpdate/ValidateSecretUpdate:
 *   data, binaryData (stringData) and immutable itself;
 * - RoleBinding and ClusterRoleBinding (pkg/apis/rbac/validation): roleRef.
 * Operators:
 * - CloudNativePG Cluster: cloudnative-pg/cloudnative-pg@v1.30.0:internal/webhook/v1/cluster_webhook.go
 *   validateStorageSize: "can't shrink existing storage" for spec.storage.size and spec.walStorage.size;
 * - KServe LLMInferenceService parallelism size: parallelism-changes.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { K8sObject } from '../../findings.ts';
import { compareQuantities, parseQuantity } from '../../config/kube/quantity.ts';
import { isObj } from './structural.ts';

interface Refused {
  path: string;
  /** What is refused and by whom. */
  what: string;
  remedy: string;
}

export interface Refusal extends Refused {
  /** UPD001..UPD008 (see UPDATE_RULES). */
  code: string;
}

type Obj = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
const changed = (a: unknown, b: unknown): boolean => !isDeepStrictEqual(a ?? null, b ?? null);
const show = (v: unknown): string => (v === undefined ? '(unset)' : JSON.stringify(v));
const group = (o: K8sObject): string => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '');
const is = (o: K8sObject, g: string, kind: string): boolean => group(o) === g && o.kind === kind;

const RECREATE = 'delete it and let Argo CD create it again (sync option Replace=true,Force=true on the object does so on every sync: only for objects without data)';
const NEW_NAME = 'give the object a new name (derive it from a hash of the changed content) so Argo CD creates a new one and prunes the old';

function pvcRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const out: Refused[] = [];
  const a = (old.spec ?? {}) as Obj;
  const b = (next.spec ?? {}) as Obj;
  const remedy = 'keep the old value: a bound claim cannot be replaced without losing its data; to move, create a claim under a new name, copy the data, then point the workloads at it';
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'resources' || k === 'volumeAttributesClassName') continue;
    if (changed(a[k], b[k])) out.push({ path: `/spec/${k}`, what: `spec.${k} of a bound PersistentVolumeClaim is immutable (${show(a[k])} -> ${show(b[k])})`, remedy });
  }
  const from = at(a, 'resources', 'requests', 'storage');
  const to = at(b, 'resources', 'requests', 'storage');
  if (typeof from === 'string' && typeof to === 'string') {
    const qa = parseQuantity(from);
    const qb = parseQuantity(to);
    if (qa.ok && qb.ok && compareQuantities(qb.value, qa.value) < 0) {
      out.push({ path: '/spec/resources/requests/storage', what: `a PersistentVolumeClaim's storage request can only grow (${from} -> ${to})`, remedy });
    }
  }
  return out;
}

function jobRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const out: Refused[] = [];
  for (const k of ['template', 'selector', 'completionMode', 'podFailurePolicy']) {
    const a = at(old.spec, k);
    const b = at(next.spec, k);
    if (changed(a, b)) out.push({ path: `/spec/${k}`, what: `spec.${k} of a Job is immutable`, remedy: NEW_NAME });
  }
  return out;
}

function selectorRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const a = at(old.spec, 'selector');
  const b = at(next.spec, 'selector');
  return changed(a, b) ? [{ path: '/spec/selector', what: `spec.selector of a ${next.kind} is immutable (apps/v1)`, remedy: `${NEW_NAME}, or ${RECREATE}` }] : [];
}

const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

function statefulSetRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const a = (old.spec ?? {}) as Obj;
  const b = (next.spec ?? {}) as Obj;
  const out: Refused[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (STATEFULSET_MUTABLE.has(k) || !changed(a[k], b[k])) continue;
    out.push({
      path: `/spec/${k}`,
      what: `updates to statefulset spec for fields other than ${[...STATEFULSET_MUTABLE].map((f) => `'${f}'`).join(', ')} are forbidden (spec.${k} changes)`,
      remedy: 'delete the StatefulSet keeping its pods and claims (kubectl delete statefulset --cascade=orphan), then sync: Argo CD creates it with the new spec; claims already made from volumeClaimTemplates keep their old size and class',
    });
  }
  return out;
}

function serviceRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const a = at(old.spec, 'clusterIP');
  const b = at(next.spec, 'clusterIP');
  return a !== undefined && b !== undefined && a !== b ? [{ path: '/spec/clusterIP', what: `spec.clusterIP of a Service is immutable (${show(a)} -> ${show(b)})`, remedy: RECREATE }] : [];
}

function immutableDataRefusals(old: K8sObject, next: K8sObject): Refused[] {
  if ((old as Obj).immutable !== true) return [];
  const out: Refused[] = [];
  for (const k of ['data', 'binaryData', 'stringData', 'immutable']) {
    if (changed((old as Obj)[k], (next as Obj)[k])) out.push({ path: `/${k}`, what: `${k} of an immutable ${next.kind} cannot change`, remedy: NEW_NAME });
  }
  return out;
}

function roleRefRefusals(old: K8sObject, next: K8sObject): Refused[] {
  return changed((old as Obj).roleRef, (next as Obj).roleRef) ? [{ path: '/roleRef', what: `roleRef of a ${next.kind} cannot change`, remedy: `${NEW_NAME}, or ${RECREATE}` }] : [];
}

function cnpgRefusals(old: K8sObject, next: K8sObject): Refused[] {
  const out: Refused[] = [];
  for (const k of ['storage', 'walStorage']) {
    const from = at(old.spec, k, 'size');
    const to = at(next.spec, k, 'size');
    if (typeof from !== 'string' || typeof to !== 'string') continue;
    const qa = parseQuantity(from);
    const qb = parseQuantity(to);
    if (qa.ok && qb.ok && compareQuantities(qa.value, qb.value) > 0) {
      out.push({
        path: `/spec/${k}/size`,
        what: `the CloudNativePG webhook refuses it: can't shrink existing storage from ${from} to ${to}`,
        remedy: `keep ${from}; to shrink, create a new Cluster under a new name that bootstraps from a backup of this one (bootstrap.recovery), then move the clients`,
      });
    }
  }
  return out;
}

type Rule = (old: K8sObject, next: K8sObject) => Refused[];
/** Code, the objects it applies to, the rule. */
export const UPDATE_RULES: [string, (o: K8sObject) => boolean, Rule][] = [
  ['UPD001', (o) => is(o, '', 'PersistentVolumeClaim'), pvcRefusals],
  ['UPD002', (o) => is(o, 'batch', 'Job'), jobRefusals],
  ['UPD003', (o) => ['Deployment', 'ReplicaSet', 'DaemonSet'].some((k) => is(o, 'apps', k)), selectorRefusals],
  ['UPD004', (o) => is(o, 'apps', 'StatefulSet'), statefulSetRefusals],
  ['UPD005', (o) => is(o, '', 'Service'), serviceRefusals],
  ['UPD006', (o) => is(o, '', 'ConfigMap') || is(o, '', 'Secret'), immutableDataRefusals],
  ['UPD007', (o) => ['RoleBinding', 'ClusterRoleBinding'].some((k) => is(o, 'rbac.authorization.k8s.io', k)), roleRefRefusals],
  ['UPD008', (o) => is(o, 'postgresql.cnpg.io', 'Cluster'), cnpgRefusals],
];

/** The refusals of updating `old` (base revision) to `next`; [] for a change the API server takes. */
export function updateRefusals(old: K8sObject, next: K8sObject): Refusal[] {
  if (group(old) !== group(next) || old.kind !== next.kind) return [];
  return UPDATE_RULES.filter(([, applies]) => applies(next)).flatMap(([code, , rule]) => rule(old, next).map((r) => ({ code, ...r })));
}
