/**
 * A custom resource as the API server hands it to CEL: defaulted by its structural schema, then
 * converted to CEL values by the same schema.
 * - Defaults: kubernetes/apiextensions-apiserver@v0.35.0:pkg/apiserver/schema/defaulting/algorithm.go
 *   (a property with a default that is absent, or null and not nullable, gets a copy of it; then
 *   every present property, additionalProperties value and list item is defaulted in turn).
 * - Values: kubernetes/apiserver@v0.35.0:pkg/cel/common/values.go (integer -> int, number ->
 *   double, int-or-string and preserve-unknown-fields -> dyn: an integral JSON number is an int),
 *   and the root object and `x-kubernetes-embedded-resource` levels expose only `metadata.name`
 *   and `metadata.generateName` (apiextensions-apiserver pkg/apiserver/schema/cel/model, ObjectMeta
 *   as declared by the CEL type provider).
 */
export type Schema = Record<string, unknown>;
type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const sub = (s: Schema | undefined, k: string): Schema | undefined => (s && isObj(s[k]) ? (s[k] as Schema) : undefined);
export const propertyOf = (s: Schema | undefined, name: string): Schema | undefined => {
  const props = sub(s, 'properties');
  return props && Object.hasOwn(props, name) && isObj(props[name]) ? (props[name] as Schema) : undefined;
};
export const itemsOf = (s: Schema | undefined): Schema | undefined => sub(s, 'items');
export const additionalOf = (s: Schema | undefined): Schema | undefined => sub(s, 'additionalProperties');

const nonNullableNull = (v: unknown, s: Schema | undefined): boolean => v === null && s !== undefined && s.nullable !== true;
const copy = (v: unknown): unknown => (v === undefined ? undefined : structuredClone(v));

/** A defaulted deep copy of `value` (the input is untouched). */
export function withDefaults(value: unknown, s: Schema | undefined): unknown {
  if (!s) return value;
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    return value.map((v) => withDefaults(nonNullableNull(v, items) && items?.default !== undefined ? copy(items.default) : v, items));
  }
  if (!isObj(value)) return value;
  const out: Obj = { ...value };
  const props = sub(s, 'properties') ?? {};
  for (const [k, p] of Object.entries(props)) {
    if (!isObj(p) || p.default === undefined) continue;
    if (!Object.hasOwn(out, k) || nonNullableNull(out[k], p)) out[k] = copy(p.default);
  }
  const extra = additionalOf(s);
  for (const k of Object.keys(out)) {
    const p = propertyOf(s, k);
    if (p) out[k] = withDefaults(out[k], p);
    else if (extra) out[k] = withDefaults(nonNullableNull(out[k], extra) && extra.default !== undefined ? copy(extra.default) : out[k], extra);
  }
  return out;
}

/** A CEL map: string keys only, built without the prototype of a plain object. */
export type CelObj = Map<string, unknown>;

function metadataOf(v: unknown): unknown {
  if (!isObj(v)) return v;
  const m: CelObj = new Map();
  for (const k of ['name', 'generateName']) if (typeof v[k] === 'string') m.set(k, v[k]);
  return m;
}

/** The CEL value of `value` under schema `s` (`embedded` for the root and embedded resources). */
export function toCel(value: unknown, s: Schema | undefined, embedded = false): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    const t = s?.type;
    if (t === 'number') return value;
    if (Number.isInteger(value) && (t === 'integer' || t === undefined || s?.['x-kubernetes-int-or-string'] === true)) return BigInt(value);
    return value;
  }
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    return value.map((v) => toCel(v, items, items?.['x-kubernetes-embedded-resource'] === true));
  }
  if (!isObj(value)) return value;
  const out: CelObj = new Map();
  const extra = additionalOf(s);
  for (const [k, v] of Object.entries(value)) {
    if (embedded && k === 'metadata') {
      out.set(k, metadataOf(v));
      continue;
    }
    const p = propertyOf(s, k) ?? extra;
    out.set(k, toCel(v, p, p?.['x-kubernetes-embedded-resource'] === true));
  }
  return out;
}
