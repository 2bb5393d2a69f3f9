/**
 * A CustomResourceDefinition that some Application installs is a schema source too: a custom
 * resource whose kind has no strict schema in schemas/crds/ is validated against the
 * `openAPIV3Schema` of the hydrated CRD version it names.
 *
 * The structural schema is read the way the API server does with strict field validation
 * (server-side apply, which the platform's Applications use): an object level that lists
 * `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields`
 * accepts no other field; `x-kubernetes-int-or-string` takes an integer or a string; `nullable`
 * allows null; `x-kubernetes-embedded-resource` levels get apiVersion/kind/metadata. Formats are
 * not checked (the API server ignores the ones it does not know).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { K8sObject, Problem } from '../../findings.ts';
import { ajvErrorsToProblems } from './issues.ts';
import { compileCached } from '../../config/compiled-schemas.ts';
import { SHARED_MIN_CHARS, shareRepeatedSubschemas } from './shared-subschemas.ts';

const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, logger: false, inlineRefs: false } as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const EMBEDDED = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };

/** Convert one structural-schema node (a copy; the CRD is untouched). */
export function toJsonSchema(node: unknown, root = false): unknown {
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObj(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)]));
    else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isObj(v)) out[k] = toJsonSchema(v);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map((s) => toJsonSchema(s));
    else if (k !== 'nullable' && k !== 'format' && !k.startsWith('x-kubernetes-')) out[k] = v;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }, ...(Array.isArray(out.anyOf) ? [{ anyOf: out.anyOf }] : [])];
  }
  if (root || node['x-kubernetes-embedded-resource'] === true) {
    out.properties = { ...EMBEDDED, ...(isObj(out.properties) ? out.properties : {}) };
    if (root) out.properties = { ...(out.properties as Obj), status: {} };
  }
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || node.additionalProperties !== undefined;
  if (isObj(out.properties) && !open) out.additionalProperties = false;
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

const key = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

export class HydratedCrdSchemas {
  private readonly schemas = new Map<string, unknown>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private ajv: Ajv | undefined;

  constructor(objects: Iterable<K8sObject>) {
    for (const o of objects) {
      if (o.kind !== 'CustomResourceDefinition' || !o.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
      const spec = isObj(o.spec) ? o.spec : {};
      const names = isObj(spec.names) ? spec.names : {};
      if (typeof spec.group !== 'string' || typeof names.kind !== 'string') continue;
      const legacy = isObj(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
      for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
        if (!isObj(v) || typeof v.name !== 'string') continue;
        const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : legacy;
        if (isObj(schema)) this.schemas.set(key(spec.group, v.name, names.kind), schema);
      }
    }
  }

  /** Does a hydrated CRD define this apiVersion and kind (with a schema)? */
  has(apiVersion: string, kind: string): boolean {
    return this.schemas.has(this.keyOf(apiVersion, kind));
  }

  validate(obj: K8sObject): Problem[] {
    const k = this.keyOf(obj.apiVersion, obj.kind);
    let fn = this.compiled.get(k);
    if (fn === undefined) {
      const schema = this.schemas.get(k);
      this.ajv ??= new Ajv({ ...AJV_OPTIONS, code: { optimize: false, source: true } });
      try {
        fn = schema === undefined ? null : compileCached(this.ajv, JSON.stringify(toJsonSchema(schema, true)), { ...AJV_OPTIONS, optimize: false, shared: SHARED_MIN_CHARS }, (s) => shareRepeatedSubschemas(s, SHARED_MIN_CHARS));
      } catch (err) {
        return [{ path: '', message: `the CRD schema of ${k} does not compile: ${(err as Error).message}` }];
      }
      this.compiled.set(k, fn);
    }
    if (!fn) return [];
    if (fn(obj)) return [];
    return ajvErrorsToProblems(fn.errors ?? []).map((i) => ({ ...i, message: `${i.message} (schema of the hydrated CRD)` }));
  }

  private keyOf(apiVersion: string, kind: string): string {
    const i = apiVersion.lastIndexOf('/');
    return i < 0 ? key('', apiVersion, kind) : key(apiVersion.slice(0, i), apiVersion.slice(i + 1), kind);
  }
}
