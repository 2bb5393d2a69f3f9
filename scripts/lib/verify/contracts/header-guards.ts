/**
 * CON005: a Kuadrant rate-limit predicate that reads a request header the client may omit first
 * tests that it is there. In wasm-shim v0.12.1 a CEL predicate that errors (indexing a missing
 * header is "no such key") fails the whole rate-limit task: build_descriptors returns the error
 * of any one limit's predicate (Kuadrant/wasm-shim@v0.12.1:src/kuadrant/pipeline/tasks/ratelimit.rs:143)
 * and apply() ends the task as Failed (:246-254), so every limit of the policy is skipped for that
 * request, not only the one that reads the header. CEL's `&&` absorbs the error of its right side
 * when the left side is false, so `'h' in request.headers && request.headers['h'] == v` is safe.
 */
import { groupOf, type Finding } from '../../findings.ts';
import { refineLine } from '../hydration/index.ts';
import type { ContractInput } from './types.ts';

/** The policies whose predicates wasm-shim evaluates per limit (an AuthPolicy's rule predicates run in Authorino, which fails closed). */
const POLICY_KINDS = new Set(['RateLimitPolicy', 'TokenRateLimitPolicy']);
/** `request.headers['name']` / `request.headers["name"]`. */
const INDEXED = /request\.headers\[\s*(['"])([^'"]+)\1\s*\]/g;

/** The headers a predicate indexes without testing first that they are present. */
export function unguardedHeaders(predicate: string): string[] {
  const out: string[] = [];
  for (const m of predicate.matchAll(INDEXED)) {
    const name = m[2]!;
    const before = predicate.slice(0, m.index);
    const guard = new RegExp(`(['"])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s+in\\s+request\\.headers\\s*&&`);
    if (!guard.test(before)) out.push(name);
  }
  return [...new Set(out)];
}

function* predicates(v: unknown, pointer: string): Generator<{ pointer: string; text: string }> {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* predicates(x, `${pointer}/${i}`);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'predicate' && typeof x === 'string') yield { pointer: `${pointer}/predicate`, text: x };
      else yield* predicates(x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}

export function headerGuardFindings(input: ContractInput): Finding[] {
  const out: Finding[] = [];
  for (const o of input.objects) {
    if (groupOf(o.obj.apiVersion) !== 'kuadrant.io' || !POLICY_KINDS.has(o.obj.kind)) continue;
    for (const p of predicates(o.obj.spec, '/spec')) {
      for (const h of unguardedHeaders(p.text)) {
        out.push({
          file: o.file, line: refineLine(o, p.pointer), col: 0, path: p.pointer, kind: o.obj.kind, name: o.obj.metadata.name, rule: 'CON005',
          message:
            `predicate reads header "${h}" without testing that it is present: a request without it makes the predicate fail, and wasm-shim v0.12.1 ` +
            `then skips the whole task (every limit of the policy); write "'${h}' in request.headers && ..."`,
        });
      }
    }
  }
  return out;
}
