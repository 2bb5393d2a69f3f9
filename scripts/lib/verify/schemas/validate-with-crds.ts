/**
 * Schema validation of a set of objects (schemas/index.ts validateObjects), where a custom
 * resource with no strict schema in schemas/crds/ but a CRD among the hydrated objects is
 * validated against that CRD's openAPIV3Schema instead of being reported as schema-less.
 */
import type { Finding, SourcedObject } from '../../findings.ts';
import type { HydratedCrdSchemas } from './crd-object-schemas.ts';
import { validateObjects, type ValidateOptions } from './index.ts';
import { hasCrdSchema } from './crd.ts';
import { loadCoreModel } from './core.ts';

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
