/**
 * The CEL environment of CRD validation rules at Kubernetes 1.35
 * (kubernetes/apiserver@v0.35.0:pkg/cel/environment/base.go, the options introduced up to 1.35):
 * CEL's standard definitions (@bufbuild/cel, a conformant implementation), the strings extension,
 * the sets extension (libs/sets.ts), and the Kubernetes libraries of pkg/cel/library/: URLs, regex,
 * lists (since 1.0), quantity (1.28), IP and CIDR (1.30), format (1.31), semver with normalization
 * (1.33). Not modelled, so a rule calling them is reported as not evaluable (cel-rules.ts), never
 * passed: authz and authz selectors (their `authorizer` variable exists only in admission
 * policies, not in CRD rules), CEL optional types syntax (`?.`, `[?`), two-variable comprehensions
 * (1.32) and the lists extension v3 (1.34), both macros or functions @bufbuild/cel lacks. JSON patch
 * (jsonpatch.go) is not in the base environment (mutating admission policies only).
 * Each rule text is parsed and planned once per process.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { COMPARISONS } from './libs/comparisons.ts';
import { FORMAT_LIBRARY } from './libs/format.ts';
import { LISTS_LIBRARY, REGEX_LIBRARY } from './libs/lists.ts';
import { NET_LIBRARY } from './libs/net.ts';
import { QUANTITY_LIBRARY } from './libs/quantity.ts';
import { SEMVER_LIBRARY } from './libs/semver.ts';
import { SETS_LIBRARY } from './libs/sets.ts';
import { URL_LIBRARY } from './libs/url.ts';

const ENV = celEnv({
  funcs: [...strings, ...SETS_LIBRARY, ...URL_LIBRARY, ...NET_LIBRARY, ...LISTS_LIBRARY, ...REGEX_LIBRARY, ...QUANTITY_LIBRARY, ...SEMVER_LIBRARY, ...COMPARISONS, ...FORMAT_LIBRARY],
});

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
