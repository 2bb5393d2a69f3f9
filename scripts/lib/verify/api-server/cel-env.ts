/**
 * The CEL environment of CRD validation rules: CEL's standard definitions (@bufbuild/cel, a
 * conformant implementation), the strings extension, and the Kubernetes libraries the API server
 * adds (kubernetes/apiserver@v0.35.0:pkg/cel/library/libraries.go): URLs, IP and CIDR, lists,
 * regex. Quantity, semver, format and authz are not modelled: no pinned CRD calls them, and a rule
 * that does is reported as not evaluable (cel-rules.ts), never passed.
 * Each rule text is parsed and planned once per process.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { LISTS_LIBRARY, REGEX_LIBRARY } from './libs/lists.ts';
import { NET_LIBRARY } from './libs/net.ts';
import { URL_LIBRARY } from './libs/url.ts';

const ENV = celEnv({ funcs: [...strings, ...URL_LIBRARY, ...NET_LIBRARY, ...LISTS_LIBRARY, ...REGEX_LIBRARY] });

export type Outcome = { value: unknown } | { error: string; unevaluable: boolean };

type Program = (vars: Record<string, unknown>) => unknown;
const programs = new Map<string, Program | string>();

/** Errors that mean this evaluator lacks something the API server has, not that the object is wrong. */
const GAP = /unbound function|no such overload|no matching overload|unsupported|not implemented/i;

function programOf(expr: string): Program | string {
  let p = programs.get(expr);
  if (p === undefined) {
    try {
      p = plan(ENV, parse(expr)) as Program;
    } catch (err) {
      p = `does not parse: ${(err as Error).message}`;
    }
    programs.set(expr, p);
  }
  return p;
}

/** Evaluate one expression with `self` (and `oldSelf`) bound. */
export function evaluate(expr: string, vars: Record<string, unknown>): Outcome {
  const p = programOf(expr);
  if (typeof p === 'string') return { error: p, unevaluable: true };
  let v: unknown;
  try {
    v = p(vars);
  } catch (err) {
    return { error: (err as Error).message, unevaluable: true };
  }
  if (isCelError(v)) return { error: v.message, unevaluable: GAP.test(v.message) };
  return { value: v };
}

/** Does the rule read `oldSelf` (a transition rule, evaluated on update only)? */
export const usesOldSelf = (expr: string): boolean => /\boldSelf\b/.test(expr);
