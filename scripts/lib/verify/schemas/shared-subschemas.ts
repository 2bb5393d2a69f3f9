/**
 * Big CRD schemas repeat whole subtrees: Argo CD's ApplicationSet carries the Application
 * template under every generator, matrix and merge (a 395 kB schema that ajv turns into 9.5 MB
 * of validator code: about a second to load and another to run the first time). Each subschema
 * that occurs more than once and is at least `minChars` long (as JSON) is moved to
 * `definitions` once and referenced with `$ref`; compiled with `inlineRefs: false`, ajv emits
 * one function per shared subschema. What the schema accepts is unchanged: a draft-07 `$ref`
 * node validates exactly as the subschema it replaces, and error instance paths are data paths.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords whose value is one subschema, a map of them, or a list of them (draft-07). */
const ONE = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']);
const MAP = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'items']);

/** Rebuild `schema` with every direct subschema passed through `f` (everything else kept as is). */
function mapChildren(schema: Obj, f: (s: Json) => Json): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) {
    if (LIST.has(k) && Array.isArray(v)) out[k] = v.map(f);
    else if (ONE.has(k) && isObj(v)) out[k] = f(v);
    else if (MAP.has(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, isObj(s) ? f(s) : s]));
    else out[k] = v;
  }
  return out;
}

/** Subschemas shorter than this (as JSON) stay inline: a call costs more than the check. */
export const SHARED_MIN_CHARS = 1000;

export function shareRepeatedSubschemas(schema: Json, minChars = SHARED_MIN_CHARS): Json {
  if (!isObj(schema)) return schema;
  const seen = new Map<string, number>();
  const count = (s: Json): Json => {
    if (!isObj(s)) return s;
    const k = JSON.stringify(s);
    if (k.length >= minChars) seen.set(k, (seen.get(k) ?? 0) + 1);
    mapChildren(s, count);
    return s;
  };
  mapChildren(schema, count);
  const taken = new Set(isObj(schema.definitions) ? Object.keys(schema.definitions) : []);
  const names = new Map<string, string>();
  let next = 0;
  for (const [k, c] of seen) {
    if (c < 2) continue;
    let name = `shared${next++}`;
    while (taken.has(name)) name = `shared${next++}`;
    names.set(k, name);
  }
  if (!names.size) return schema;
  const definitions: Obj = {};
  const rewrite = (s: Json): Json => {
    if (!isObj(s)) return s;
    const name = names.get(JSON.stringify(s));
    if (!name) return mapChildren(s, rewrite);
    if (!(name in definitions)) {
      definitions[name] = {};
      definitions[name] = mapChildren(s, rewrite);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = mapChildren(schema, rewrite);
  return { ...root, definitions: { ...(isObj(root.definitions) ? root.definitions : {}), ...definitions } };
}
