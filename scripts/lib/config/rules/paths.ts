/**
 * Path-like values never climb: a `..` segment in a model URI (`pvc://claim/../..`), a tokenizer
 * or processor name, a file path, or anywhere in a Git revision (a range in Git, a parent folder
 * in a path) is refused at its line. Free text (values with blanks) is left alone.
 */
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { walk } from './walk.ts';

const DOT_DOT_SEGMENT = /(^|[/\\])\.\.($|[/\\])/;

export const noParentSegments: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (typeof v.value !== 'string' || /\s/.test(v.value)) continue;
    const path = v.value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '');
    if (DOT_DOT_SEGMENT.test(path)) {
      out.push(finding(env, v.pointer, 'a ".." path segment is not allowed: name the path from its root'));
    } else if (v.pointer === '/repo/revision' && v.value.includes('..')) {
      out.push(finding(env, v.pointer, '".." is not allowed in a Git revision (git check-ref-format)'));
    }
  }
  return out;
};

export const PATH_RULES: EnvRule[] = [noParentSegments];
