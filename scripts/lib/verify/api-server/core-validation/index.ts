/**
 * What the API server validates beyond the OpenAPI schema, for the kinds the platform emits
 * (local components and hydrated charts alike): metadata names per kind, labels, annotations
 * (syntax and 256 KiB in total), tolerations, ports, environment variable names, probes and
 * handlers, container, volume and port name uniqueness, NetworkPolicy ports. Ported from Kubernetes v1.35
 * (`pkg/apis/core/validation/validation.go`) and k8s.io/apimachinery v0.35.6; each finding names
 * the upstream function that refuses the object. Rules KV001 (metadata), KV002 (tolerations),
 * KV003 (ports), KV004 (env), KV005 (probes and handlers), KV006 (names and uniqueness).
 */
import type { Finding } from '../../../findings.ts';
import { groupOf } from '../../../findings.ts';
import { type LocatedObject, refineLine } from '../../hydration/index.ts';
import { objectMetaProblems, templateMetaProblems } from './metadata.ts';
import { podSpecProblems } from './pod-spec.ts';
import { networkPolicyProblems } from './network-policy.ts';
import { serviceProblems } from './service.ts';
import { isObj, type Json, type KvProblem } from './types.ts';

export { KV_ENV, KV_METADATA, KV_NAMES, KV_PORTS, KV_PROBES, KV_TOLERATIONS, type KvProblem } from './types.ts';

/** Where each built-in workload kind keeps its pod template (`<group>/<Kind>` → pointer of the template). */
const POD_TEMPLATES: Record<string, string> = {
  'core/PodTemplate': '/template',
  'core/ReplicationController': '/spec/template',
  'apps/Deployment': '/spec/template',
  'apps/StatefulSet': '/spec/template',
  'apps/DaemonSet': '/spec/template',
  'apps/ReplicaSet': '/spec/template',
  'batch/Job': '/spec/template',
  'batch/CronJob': '/spec/jobTemplate/spec/template',
};

function at(obj: Json, pointer: string): unknown {
  let cur: unknown = obj;
  for (const s of pointer.split('/').slice(1)) cur = isObj(cur) ? cur[s] : undefined;
  return cur;
}

/** The problems of one object, before it is placed in a file. */
export function objectProblems(obj: Json): KvProblem[] {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const group = groupOf(apiVersion) || 'core';
  const key = `${group}/${kind}`;
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const out = objectMetaProblems(group, kind, meta, typeof meta.namespace === 'string');
  if (key === 'core/Pod') out.push(...podSpecProblems(obj.spec, '/spec'));
  if (key === 'core/Service') out.push(...serviceProblems(obj.spec));
  if (key === 'networking.k8s.io/NetworkPolicy') out.push(...networkPolicyProblems(obj.spec));
  const template = POD_TEMPLATES[key];
  if (template) {
    const t = at(obj, template);
    if (isObj(t)) {
      out.push(...templateMetaProblems(isObj(t.metadata) ? t.metadata : undefined, `${template}/metadata`));
      out.push(...podSpecProblems(t.spec, `${template}/spec`));
    }
  }
  return out;
}

/** Findings of every object, at the line of the field when the source has it. */
export function coreValidationFindings(objects: LocatedObject[]): Finding[] {
  const out: Finding[] = [];
  for (const o of objects) {
    for (const p of objectProblems(o.obj as unknown as Json)) {
      const line = refineLine(o, p.path);
      out.push({
        file: o.file,
        line,
        col: line ? 1 : 0,
        path: p.path,
        kind: o.obj.kind,
        name: o.obj.metadata?.name,
        rule: p.rule,
        message: `${p.message} (the API server refuses it: ${p.fn}, Kubernetes v1.35)`,
      });
    }
  }
  return out;
}
