/**
 * ObjectMeta as the API server validates it on create, ported from k8s.io/apimachinery v0.35.6
 * `pkg/api/validation/objectmeta.go` (ValidateObjectMetaAccessor, ValidateAnnotations with
 * TotalAnnotationSizeLimitB = 256 KiB) and `pkg/apis/meta/v1/validation/validation.go`
 * (ValidateLabels), with each kind's name function from kubernetes v1.35
 * `pkg/apis/core/validation/validation.go` (ValidateServiceName = NameIsDNS1035Label,
 * ValidateNamespaceName = NameIsDNSLabel, the others NameIsDNSSubdomain),
 * `pkg/apis/rbac/validation/validation.go` (ValidateRBACName = path.IsValidPathSegmentName), and
 * apiextensions-apiserver (custom resources: NameIsDNSSubdomain).
 */
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName, nameWith } from '../../../config/kube/names.ts';
import { invalid, isObj, KV_METADATA, seg, str, type Json, type KvProblem } from './types.ts';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

type NameFn = (name: string, prefix: boolean) => string[];
const subdomain: NameFn = nameWith(isDNS1123Subdomain);
const PATH_SEGMENT: NameFn = (name, prefix) => (prefix ? isValidPathSegmentName(name).filter((m) => !m.startsWith('may not be')) : isValidPathSegmentName(name));

/** The name function of a kind: `<group>/<Kind>` with `core` for the core group. */
function nameFnOf(group: string, kind: string): { fn: NameFn; upstream: string } {
  if (group === 'core' && kind === 'Service') return { fn: nameWith(isDNS1035Label), upstream: 'ValidateServiceName (NameIsDNS1035Label)' };
  if (group === 'core' && kind === 'Namespace') return { fn: nameWith(isDNS1123Label), upstream: 'ValidateNamespaceName (NameIsDNSLabel)' };
  if (group === 'rbac.authorization.k8s.io') return { fn: PATH_SEGMENT, upstream: 'ValidateRBACName (IsValidPathSegmentName)' };
  return { fn: subdomain, upstream: 'NameIsDNSSubdomain' };
}

/** Labels: each key a qualified name, each value a label value (ValidateLabels). */
export function labelProblems(labels: unknown, path: string, fn = 'ValidateLabels'): KvProblem[] {
  if (!isObj(labels)) return [];
  const out: KvProblem[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) out.push({ path: `${path}/${seg(k)}`, rule: KV_METADATA, fn, message: `label key ${invalid(k, m)}` });
    for (const m of isValidLabelValue(typeof v === 'string' ? v : String(v))) out.push({ path: `${path}/${seg(k)}`, rule: KV_METADATA, fn, message: `label value ${invalid(v, m)}` });
  }
  return out;
}

/** Annotations: each key, lower-cased, a qualified name; keys and values together at most 256 KiB. */
export function annotationProblems(annotations: unknown, path: string): KvProblem[] {
  if (!isObj(annotations)) return [];
  const out: KvProblem[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(typeof v === 'string' ? v : String(v), 'utf8');
    for (const m of isQualifiedName(k.toLowerCase())) out.push({ path: `${path}/${seg(k)}`, rule: KV_METADATA, fn: 'ValidateAnnotations', message: `annotation key ${invalid(k, m)}` });
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    const biggest = Object.entries(annotations).sort(([, a], [, b]) => String(b).length - String(a).length)[0]?.[0];
    out.push({
      path,
      rule: KV_METADATA,
      fn: 'ValidateAnnotations',
      message: `Too long: annotations size ${total} is larger than limit ${TOTAL_ANNOTATION_SIZE_LIMIT_B} (keys and values count; the largest is ${JSON.stringify(biggest)})`,
    });
  }
  return out;
}

/** The metadata of a top-level object of `<group>/<Kind>`, namespaced or not. */
export function objectMetaProblems(group: string, kind: string, meta: unknown, namespaced: boolean): KvProblem[] {
  if (!isObj(meta)) return [];
  const out: KvProblem[] = [];
  const { fn, upstream } = nameFnOf(group, kind);
  const generateName = str(meta.generateName);
  if (generateName) for (const m of fn(generateName, true)) out.push({ path: '/metadata/generateName', rule: KV_METADATA, fn: upstream, message: invalid(generateName, m) });
  const name = str(meta.name);
  if (name) for (const m of fn(name, false)) out.push({ path: '/metadata/name', rule: KV_METADATA, fn: upstream, message: invalid(name, m) });
  const ns = str(meta.namespace);
  if (namespaced && ns) for (const m of nameWith(isDNS1123Label)(ns, false)) out.push({ path: '/metadata/namespace', rule: KV_METADATA, fn: 'ValidateNamespaceName', message: invalid(ns, m) });
  out.push(...labelProblems(meta.labels, '/metadata/labels'));
  out.push(...annotationProblems(meta.annotations, '/metadata/annotations'));
  return out;
}

/** A pod template's metadata (ValidatePodTemplateSpec: ValidateTemplateObjectMeta): labels and annotations. */
export function templateMetaProblems(meta: Json | undefined, path: string): KvProblem[] {
  if (!meta) return [];
  return [...labelProblems(meta.labels, `${path}/labels`), ...annotationProblems(meta.annotations, `${path}/annotations`)];
}
