/**
 * Core Kubernetes kinds: types, enums, formats and required fields from `kubernetes-models`,
 * plus a strict unknown-field check that `kubernetes-models` lacks, from the model metadata of
 * `@kubernetes/client-node@1` (`V1Deployment.getAttributeTypeMap()` and the types it names).
 *
 * The kind → model map is computed, not listed: `kubernetes-models/<apiVersion>/<Kind>` is the
 * model of every built-in kind (imported lazily, once per kind), and the client-node class is
 * `<Group><Version><Kind>` or `<Version><Kind>` (e.g. `CoreV1Event`, `V1Deployment`) provided it
 * has apiVersion, kind and metadata attributes.
 *
 * Version skew: client-node 1.3 describes Kubernetes 1.33, kubernetes-models 5.1 a newer release.
 * A field that client-node does not know is reported only if kubernetes-models does not know it
 * either (probed: a value of the wrong type at that path must draw an error from its validator).
 * Kinds that client-node 1.3 has no class for (APIs newer than 1.33, or removed before it) get
 * the kubernetes-models validation only.
 */
import type { Problem } from '../../findings.ts';
import { ajvErrorsToProblems, pointerSegment, type AjvLikeError } from './issues.ts';

interface ModelInstance {
  validate(): void;
}
interface ModelClass {
  new (data: unknown): ModelInstance;
  apiVersion: string;
  kind: string;
}
interface AttributeType {
  baseName: string;
  type: string;
}
interface ClientNodeClass {
  getAttributeTypeMap(): AttributeType[];
}

export interface CoreModel {
  apiVersion: string;
  kind: string;
  model: ModelClass;
  /** client-node class name used for the unknown-field check, if any. */
  strictType: string | undefined;
}

const API_VERSION = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v\d+(?:(?:alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

let clientNode: Record<string, unknown> | undefined;
let clientNodeLoading: Promise<Record<string, unknown>> | undefined;

function loadClientNode(): Promise<Record<string, unknown>> {
  clientNodeLoading ??= import('@kubernetes/client-node/dist/gen/models/ObjectSerializer.js').then((m) => {
    clientNode = m as unknown as Record<string, unknown>;
    return clientNode;
  });
  return clientNodeLoading;
}

function isClientNodeClass(v: unknown): v is ClientNodeClass {
  return typeof v === 'function' && typeof (v as Partial<ClientNodeClass>).getAttributeTypeMap === 'function';
}

function isModelClass(v: unknown, apiVersion: string, kind: string): v is ModelClass {
  if (typeof v !== 'function') return false;
  const c = v as Partial<ModelClass>;
  return c.apiVersion === apiVersion && c.kind === kind;
}

const fieldTables = new Map<string, Map<string, string> | null>();

/** baseName → type for a client-node class, or null when there is no such class. */
function fieldsOf(typeName: string): Map<string, string> | null {
  let t = fieldTables.get(typeName);
  if (t !== undefined) return t;
  const cls = clientNode?.[typeName];
  t = isClientNodeClass(cls) ? new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type])) : null;
  fieldTables.set(typeName, t);
  return t;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function clientNodeTypeFor(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = capitalize(slash < 0 ? apiVersion : apiVersion.slice(slash + 1));
  const prefix = group === '' ? 'Core' : capitalize(group.split('.')[0] ?? '');
  for (const name of [`${prefix}${version}${kind}`, `${version}${kind}`]) {
    const f = fieldsOf(name);
    if (f && f.has('apiVersion') && f.has('kind') && f.has('metadata')) return name;
  }
  return undefined;
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
  return /Cannot find (module|package)|not exported|Failed to load/i.test(String((err as Error).message));
}

const models = new Map<string, Promise<CoreModel | undefined>>();
const loaded = new Map<string, CoreModel | undefined>();
const key = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

async function importModel(apiVersion: string, kind: string): Promise<CoreModel | undefined> {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  await loadClientNode();
  let mod: Record<string, unknown>;
  try {
    const specifier = `kubernetes-models/${apiVersion}/${kind}`;
    mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const model = mod[kind];
  if (!isModelClass(model, apiVersion, kind)) return undefined;
  return { apiVersion, kind, model, strictType: clientNodeTypeFor(apiVersion, kind) };
}

/** The model of a built-in kind, or undefined when `kubernetes-models` has none (a custom resource). */
export function loadCoreModel(apiVersion: string, kind: string): Promise<CoreModel | undefined> {
  const k = key(apiVersion, kind);
  let p = models.get(k);
  if (!p) {
    p = importModel(apiVersion, kind).then((m) => {
      loaded.set(k, m);
      return m;
    });
    models.set(k, p);
  }
  return p;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

export interface UnknownField {
  /** JSON pointer of the field. */
  path: string;
  /** client-node type of the object holding it, e.g. `V1Container`. */
  parentType: string;
  field: string;
}

/** Fields that the client-node metadata does not know, walking `value` as `type`. */
export function unknownFields(value: unknown, type: string, path = '', out: UnknownField[] = []): UnknownField[] {
  const arr = ARRAY.exec(type);
  if (arr) {
    const inner = arr[1] ?? 'any';
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, inner, `${path}/${i}`, out));
    return out;
  }
  const map = MAP.exec(type);
  if (map) {
    const inner = map[1] ?? 'any';
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) unknownFields(v, inner, `${path}/${pointerSegment(k)}`, out);
    }
    return out;
  }
  const fields = fieldsOf(type);
  if (!fields || !isPlainObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const t = fields.get(k);
    const p = `${path}/${pointerSegment(k)}`;
    if (t === undefined) out.push({ path: p, parentType: type, field: k });
    else unknownFields(v, t, p, out);
  }
  return out;
}

function modelErrors(model: ModelClass, obj: unknown): AjvLikeError[] {
  try {
    new model(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as AjvLikeError[];
    throw err;
  }
}

function setAt(root: unknown, path: string, value: unknown): void {
  const segs = path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur = root as Record<string, unknown>;
  for (const s of segs.slice(0, -1)) cur = cur[s] as Record<string, unknown>;
  cur[segs[segs.length - 1] ?? ''] = value;
}

const touches = (errPath: string, path: string): boolean => errPath === path || errPath.startsWith(`${path}/`);

/** Probe results per `<parentType>.<field>`: the same client-node type has the same schema. */
const probed = new Map<string, boolean>();

/** Does the kubernetes-models schema define this field? (version-skew guard, see top) */
function modelKnowsField(model: ModelClass, obj: unknown, u: UnknownField, errors: AjvLikeError[]): boolean {
  if (errors.some((e) => touches(e.instancePath, u.path))) return true;
  const cacheKey = `${u.parentType}.${u.field}`;
  const cached = probed.get(cacheKey);
  if (cached !== undefined) return cached;
  let known = false;
  for (const probe of [true, 0.5]) {
    const copy = structuredClone(obj);
    setAt(copy, u.path, probe);
    if (modelErrors(model, copy).some((e) => touches(e.instancePath, u.path))) {
      known = true;
      break;
    }
  }
  probed.set(cacheKey, known);
  return known;
}

/**
 * Validate one object of a built-in kind whose model is loaded. Returns issues; [] when valid.
 */
export function validateCore(obj: unknown, m: CoreModel): Problem[] {
  const errors = modelErrors(m.model, obj);
  const issues = ajvErrorsToProblems(errors);
  if (m.strictType) {
    for (const u of unknownFields(obj, m.strictType)) {
      if (!modelKnowsField(m.model, obj, u, errors)) issues.push({ path: u.path, message: 'unknown field' });
    }
  }
  return issues;
}

/** Unknown fields of an ObjectMeta (custom resources' schemas usually leave metadata open). */
export async function unknownMetadataFields(metadata: unknown): Promise<Problem[]> {
  await loadClientNode();
  return unknownFields(metadata, 'V1ObjectMeta', '/metadata').map((u) => ({ path: u.path, message: 'unknown field' }));
}
