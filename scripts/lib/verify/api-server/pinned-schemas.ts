/**
 * The strict schemas in schemas/crds/ derived from the CRDs that will be on the cluster: the CRD
 * versions the pinned charts and git sources install (as `check` and `hydrate` render them).
 * A strict schema keeps its deliberate differences (schemas/crds/README.md: nodes that are a
 * strict subset, typed one level deep, an embedded ObjectMeta, or free-form, each marked by its
 * `$comment` or `additionalProperties: true`); everywhere else its field names, types, enums,
 * patterns, bounds and required lists are the pinned CRD's, read the way
 * scripts/lib/verify/schemas/crd-object-schemas.ts reads a structural schema (int-or-string, nullable,
 * a defaulted field is not required since the API server defaults before it validates).
 * - schemaDrift: how a strict schema differs from the pinned CRD version (CEL003 in check);
 * - deriveStrict: the strict schema aligned with it (npm run schemas:crds writes it).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../findings.ts';
import { toJsonSchema } from '../schemas/index.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

export const COMPARED = ['type', 'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const;

/** A CRD version's openAPIV3Schema in the form the strict schemas follow (no descriptions, no x-kubernetes-*). */
export function referenceOf(openAPIV3Schema: unknown): Obj {
  const walk = (node: unknown): unknown => {
    if (!isObj(node)) return node;
    const out = toJsonSchema(node) as Obj;
    delete out.description;
    delete out.additionalProperties;
    if (isObj(node.properties)) {
      out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, walk(v)]));
      const defaulted = new Set(Object.entries(node.properties).filter(([, v]) => isObj(v) && v.default !== undefined).map(([k]) => k));
      if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => !defaulted.has(r));
    }
    if (isObj(node.items)) out.items = walk(node.items);
    if (isObj(node.additionalProperties)) out.additionalProperties = walk(node.additionalProperties);
    if (node['x-kubernetes-preserve-unknown-fields'] === true) out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  };
  return walk(openAPIV3Schema) as Obj;
}

/** sha256 of the reference form: what the lock records per strict file. */
export const referenceDigest = (ref: Obj): string => createHash('sha256').update(JSON.stringify(ref)).digest('hex');

/** A node of the strict schema the project keeps different on purpose. */
export function isDeliberate(node: Obj): boolean {
  const c = node.$comment;
  return node.additionalProperties === true || (typeof c === 'string' && /strict subset|typed one level deep|embedded ObjectMeta/.test(c));
}

/** Go-only regular expressions the strict schemas spell the JavaScript way (shared crds/SOURCES.md). */
const samePattern = (up: unknown, mine: unknown): boolean => up === mine || (typeof up === 'string' && up.includes('(?i)') && typeof mine === 'string');

function resolveRef(root: Obj, node: Obj): Obj {
  let n = node;
  for (let i = 0; i < 16 && typeof n.$ref === 'string'; i++) {
    const name = n.$ref.split('/').pop()!;
    const defs = isObj(root.definitions) ? root.definitions : {};
    if (!isObj(defs[name])) break;
    n = defs[name] as Obj;
  }
  return n;
}

/** A field the strict schema lacks, converted strictly: closed objects, free-form ones say so. */
function strictNode(ref: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(ref)) {
    if (k === 'properties' && isObj(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictNode(s as Obj)]));
    else if ((k === 'items' || k === 'additionalProperties') && isObj(v)) out[k] = strictNode(v);
    else if (k !== 'x-kubernetes-preserve-unknown-fields') out[k] = v;
  }
  if (ref['x-kubernetes-preserve-unknown-fields'] === true) {
    out.additionalProperties = true;
    out.$comment = 'free-form upstream (x-kubernetes-preserve-unknown-fields)';
  } else if (isObj(ref.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * Walk the pinned reference and the strict schema together. `fix` aligns the strict node in place
 * (shared definitions are aligned once, through their $ref); the differences are returned.
 */
function align(up: Obj, mineRaw: Obj, root: Obj, where: string, out: string[], fix: boolean): void {
  const mine = resolveRef(root, mineRaw);
  if (isDeliberate(mine)) return;
  for (const key of COMPARED) {
    const same = key === 'pattern' ? samePattern(up[key], mine[key]) : JSON.stringify(up[key]) === JSON.stringify(mine[key]);
    if (same) continue;
    out.push(`${where || '(root)'}: ${key} ${JSON.stringify(up[key] ?? null)} in the pinned CRD, ${JSON.stringify(mine[key] ?? null)} here`);
    if (fix) {
      if (up[key] === undefined) delete mine[key];
      else mine[key] = clone(up[key]);
    }
  }
  const upReq = [...((up.required as string[] | undefined) ?? [])].sort();
  const myReq = [...((mine.required as string[] | undefined) ?? [])].sort();
  if (JSON.stringify(upReq) !== JSON.stringify(myReq)) {
    out.push(`${where || '(root)'}: required ${JSON.stringify(upReq)} in the pinned CRD, ${JSON.stringify(myReq)} here`);
    if (fix) {
      if (upReq.length) mine.required = upReq;
      else delete mine.required;
    }
  }
  const upProps = isObj(up.properties) ? up.properties : {};
  const myProps = isObj(mine.properties) ? mine.properties : {};
  for (const [k, v] of Object.entries(upProps)) {
    const m = myProps[k];
    if (!isObj(m)) {
      out.push(`${where}.${k}: in the pinned CRD, missing here`);
      if (fix) {
        if (!isObj(mine.properties)) mine.properties = {};
        (mine.properties as Obj)[k] = strictNode(v as Obj);
      }
    } else align(v as Obj, m, root, `${where}.${k}`, out, fix);
  }
  for (const k of Object.keys(myProps)) {
    if (k in upProps) continue;
    out.push(`${where}.${k}: not a field of the pinned CRD`);
    if (fix) delete (mine.properties as Obj)[k];
  }
  if (isObj(up.items) && isObj(mine.items)) align(up.items, mine.items, root, `${where}[]`, out, fix);
  if (isObj(up.additionalProperties) && isObj(mine.additionalProperties)) align(up.additionalProperties, mine.additionalProperties, root, `${where}{}`, out, fix);
}

const TOP_SKIPPED = new Set(['apiVersion', 'kind', 'metadata', 'status']);

function alignTop(strict: Obj, ref: Obj, fix: boolean): string[] {
  const out: string[] = [];
  const upProps = isObj(ref.properties) ? ref.properties : {};
  const myProps = isObj(strict.properties) ? strict.properties : {};
  for (const [k, v] of Object.entries(upProps)) {
    if (TOP_SKIPPED.has(k)) continue;
    if (!isObj(myProps[k])) {
      out.push(`${k}: in the pinned CRD, missing here`);
      if (fix) myProps[k] = strictNode(v as Obj);
    } else align(v as Obj, myProps[k] as Obj, strict, k, out, fix);
  }
  for (const k of Object.keys(myProps)) {
    if (TOP_SKIPPED.has(k) || k in upProps) continue;
    out.push(`${k}: not a field of the pinned CRD`);
    if (fix) delete myProps[k];
  }
  return out;
}

/** How the strict schema differs from the pinned CRD version's reference form (none: []). */
export const schemaDrift = (strict: Obj, ref: Obj): string[] => alignTop(clone(strict), ref, false);

/** The strict schema aligned with the pinned CRD version, its deliberate differences kept. */
export function deriveStrict(strict: Obj, ref: Obj): Obj {
  const out = clone(strict);
  alignTop(out, ref, true);
  return out;
}

/** `<group>/<kind lowercased>_<version>.json` -> reference form, for every CRD version among `objects`. */
export function pinnedReferences(objects: Iterable<{ obj: unknown; source?: string }>): Map<string, { ref: Obj; source: string }> {
  const out = new Map<string, { ref: Obj; source: string }>();
  for (const { obj, source } of objects) {
    if (!isObj(obj) || obj.kind !== 'CustomResourceDefinition' || !isObj(obj.spec)) continue;
    const spec = obj.spec;
    const kind = isObj(spec.names) ? spec.names.kind : undefined;
    if (typeof spec.group !== 'string' || typeof kind !== 'string') continue;
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!isObj(v) || typeof v.name !== 'string' || v.served === false || !isObj(v.schema) || !isObj(v.schema.openAPIV3Schema)) continue;
      const file = `${spec.group}/${kind.toLowerCase()}_${v.name}.json`;
      if (!out.has(file)) out.set(file, { ref: referenceOf(v.schema.openAPIV3Schema), source: source ?? '' });
    }
  }
  return out;
}

export const CEL003 = 'CEL003';

/**
 * CEL003 (error): a strict schema in `dir` that differs from the CRD version the env's pinned
 * charts and git sources install; a chart bump that changes a CRD fails `check` until
 * `npm run schemas:crds` derives the schema again. `shown` is the file as the finding names it.
 */
export function pinnedSchemaFindings(dir: string, shown: string, hydrated: Iterable<{ obj: unknown; file?: string }>): Finding[] {
  const out: Finding[] = [];
  const refs = pinnedReferences([...hydrated].map((o) => ({ obj: o.obj, ...(o.file ? { source: o.file } : {}) })));
  for (const [file, { ref, source }] of [...refs].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const drift = schemaDrift(JSON.parse(readFileSync(path, 'utf8')) as Obj, ref);
    if (!drift.length) continue;
    const more = drift.length > 3 ? ` (and ${drift.length - 3} more)` : '';
    out.push({
      file: `${shown}/${file}`,
      line: 0,
      col: 0,
      path: '',
      rule: CEL003,
      message: `differs from the CRD the pinned sources install (${source}): ${drift.slice(0, 3).join('; ')}${more}; derive it again with npm run schemas:crds`,
    });
  }
  return out;
}
