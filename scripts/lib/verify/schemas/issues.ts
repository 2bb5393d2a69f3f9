/**
 * A problem inside one object, before it is placed in a file: a JSON pointer and a message.
 * Also the conversion of ajv errors (kubernetes-models and the CRD schemas both use ajv) into
 * issues, so that core kinds and custom resources read the same.
 */
import { escapePointer } from '../../config/yaml-source.ts';
import type { Problem } from '../../findings.ts';

/** The fields of an ajv ErrorObject that the conversion reads. */
export interface AjvLikeError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return escapePointer(key);
}

function typeNames(e: AjvLikeError): string[] {
  const t = e.params.type;
  if (Array.isArray(t)) return t.map(String);
  return typeof t === 'string' ? t.split(',') : [];
}

/**
 * ajv errors → issues:
 * - `additionalProperties` becomes `<path>/<property>` with the message `unknown field`;
 * - at one path, the `type` errors of the branches of a oneOf/anyOf become one `must be A or B`,
 *   and the `must match exactly one schema in "oneOf"` noise is dropped when a better message exists;
 * - duplicates are removed.
 */
export function ajvErrorsToProblems(errors: readonly AjvLikeError[]): Problem[] {
  const byPath = new Map<string, AjvLikeError[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const out: Problem[] = [];
  const seen = new Set<string>();
  const push = (path: string, message: string): void => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, message });
  };
  for (const [path, list] of byPath) {
    const combinators = list.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    const types = list.filter((e) => e.keyword === 'type');
    const rest = list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'type');
    if (types.length > 0) {
      const names = [...new Set(types.flatMap(typeNames))];
      push(path, `must be ${names.join(' or ')}`);
    }
    for (const e of rest) {
      if (e.keyword === 'additionalProperties') {
        const prop = String(e.params.additionalProperty ?? '');
        push(`${path}/${pointerSegment(prop)}`, 'unknown field');
      } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues) && e.params.allowedValues.length <= 20) {
        const allowed = e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ');
        push(path, `${e.message ?? 'must be equal to one of the allowed values'}: ${allowed}`);
      } else {
        push(path, e.message ?? e.keyword);
      }
    }
    if (types.length === 0 && rest.length === 0) {
      for (const e of combinators) push(path, e.message ?? e.keyword);
    }
  }
  return out;
}
