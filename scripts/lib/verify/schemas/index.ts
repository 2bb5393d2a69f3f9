/**
 * Output validation of a set of rendered objects, as findings:
 * - generic checks (objects.ts): apiVersion/kind/name, namespace where namespaced, duplicates;
 * - built-in kinds (core.ts): kubernetes-models + strict unknown-field check;
 * - anything else (crd.ts): the CRD JSON Schema in `crdSchemaDir`; no schema is an error.
 *
 * Async because the per-kind models are imported lazily (ES modules cannot be required
 * synchronously on Node 20); after the first call for a kind, validation itself is synchronous.
 */
import { compareFindings, type Finding, type SourcedObject, type Problem } from '../../findings.ts';
import { loadCoreModel, unknownMetadataFields, validateCore, type CoreModel } from './core.ts';
import { hasCrdSchema, validateCustomResource } from './crd.ts';
import type { HydratedCrdSchemas } from './crd-object-schemas.ts';
import { checkObjects } from './objects.ts';

export interface ValidateOptions {
  /** Directory of CRD schemas in kubeconform layout (`schemas/crds` or `../shared/crds`). */
  crdSchemaDir: string;
  /** The directory holds upstream, non-strict schemas (a cross-check). Default false. */
  upstream?: boolean;
  /** `<group>/<Kind>` of cluster-scoped custom kinds (the CRDs among the objects, the catalog's clusterResources). */
  clusterScopedCustomKinds?: string[];
}

export { HydratedCrdSchemas, toJsonSchema } from './crd-object-schemas.ts';
export { ajvErrorsToProblems } from './issues.ts';

function toFinding(o: SourcedObject, issue: Problem): Finding {
  const meta = o.obj.metadata as Record<string, unknown> | undefined;
  const kind = typeof o.obj.kind === 'string' && o.obj.kind ? { kind: o.obj.kind } : {};
  const name = meta && typeof meta.name === 'string' ? { name: meta.name } : {};
  return { file: o.file, line: o.line, col: o.line > 0 ? 1 : 0, ...kind, ...name, path: issue.path, message: issue.message };
}

const typed = (o: SourcedObject): boolean =>
  typeof o.obj.apiVersion === 'string' && o.obj.apiVersion !== '' && typeof o.obj.kind === 'string' && o.obj.kind !== '';

/** Validate every object; findings sorted by file, line, column, path, message. */
export async function validateObjects(objects: readonly SourcedObject[], opts: ValidateOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const generic = checkObjects(objects, { clusterScopedCustomKinds: opts.clusterScopedCustomKinds });
  for (const i of generic) {
    const o = objects[i.index];
    if (o) findings.push(toFinding(o, i));
  }

  const pairs = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of objects) {
    if (typed(o)) pairs.set(`${o.obj.apiVersion}\u0000${o.obj.kind}`, { apiVersion: o.obj.apiVersion, kind: o.obj.kind });
  }
  const models = new Map<string, CoreModel | undefined>();
  await Promise.all(
    [...pairs].map(async ([k, p]) => {
      models.set(k, await loadCoreModel(p.apiVersion, p.kind));
    }),
  );

  for (const o of objects) {
    if (!typed(o)) continue;
    const model = models.get(`${o.obj.apiVersion}\u0000${o.obj.kind}`);
    let issues: Problem[];
    if (model) {
      issues = validateCore(o.obj, model);
    } else {
      issues = validateCustomResource(o.obj, { schemaDir: opts.crdSchemaDir, upstream: opts.upstream });
      // CRD schemas leave metadata open; check it against ObjectMeta (once: not in the upstream pass).
      if (!opts.upstream) issues.push(...(await unknownMetadataFields(o.obj.metadata)));
    }
    const seen = new Set<string>();
    for (const i of issues) {
      const k = `${i.path}\u0000${i.message}`; // a strict schema and the metadata check may agree
      if (!seen.has(k)) findings.push(toFinding(o, i));
      seen.add(k);
    }
  }
  return findings.sort(compareFindings);
}

/**
 * Schema validation of a set of objects (validateObjects), where a custom resource with no strict
 * schema in schemas/crds/ but a CRD among the hydrated objects is validated against that CRD's
 * openAPIV3Schema (crd-object-schemas.ts) instead of being reported as schema-less.
 */
const NO_SCHEMA = 'no schema for ';

export async function validateWithCrds(objects: readonly SourcedObject[], crds: HydratedCrdSchemas, opts: ValidateOptions): Promise<Finding[]> {
  const findings = await validateObjects(objects, opts);
  const viaCrd: SourcedObject[] = [];
  for (const o of objects) {
    const { apiVersion, kind } = o.obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !crds.has(apiVersion, kind)) continue;
    if (hasCrdSchema(o.obj, opts.crdSchemaDir) || (await loadCoreModel(apiVersion, kind))) continue;
    viaCrd.push(o);
  }
  if (!viaCrd.length) return findings;
  const place = (f: { file: string; line: number; kind?: string; name?: string }): string => `${f.file}\0${f.line}\0${f.kind ?? ''}\0${f.name ?? ''}`;
  const replaced = new Set(viaCrd.map((o) => place({ file: o.file, line: o.line, kind: o.obj.kind, name: o.obj.metadata?.name })));
  const out = findings.filter((f) => !(f.message.startsWith(NO_SCHEMA) && replaced.has(place(f))));
  for (const o of viaCrd) {
    for (const i of crds.validate(o.obj)) {
      out.push({ file: o.file, line: o.line, col: o.line > 0 ? 1 : 0, kind: o.obj.kind, ...(o.obj.metadata?.name ? { name: o.obj.metadata.name } : {}), path: i.path, message: i.message });
    }
  }
  return out;
}
