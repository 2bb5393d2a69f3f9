/**
 * The `x-kubernetes-validations` rules of the hydrated CRDs, evaluated on each custom resource the
 * way kubernetes/apiextensions-apiserver@v0.35.0:pkg/apiserver/schema/cel/validation.go does:
 * - the object is defaulted first (structural.ts), then walked with its schema: at every present,
 *   non-null value the rules of its schema node (and of its allOf branches) run with `self` bound;
 *   then each property, additionalProperties value and list item in turn;
 * - a rule that reads `oldSelf` (a transition rule) runs only on update, when the old object has a
 *   value at the same place (map keys and properties correlate; list items only in
 *   `x-kubernetes-list-type: map` lists, by their keys); unchanged values ratchet (CRDValidationRatcheting,
 *   GA in 1.33): a failing rule that does not read oldSelf is a warning there, not an error;
 * - false: the error is `messageExpression` (when it evaluates to a string), else `message`, else
 *   `failed rule: <rule>`, at `fieldPath` below the node when given; an evaluation error (no such
 *   key, ...) is an error too, as in the API server ("<error> evaluating rule: <rule>").
 * A rule this evaluator cannot run (a function it lacks, a parse error) is counted and reported
 * as a warning naming the rule, never passed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { K8sObject, Problem } from '../../findings.ts';
import { evaluate, usesOldSelf } from './cel-env.ts';
import { additionalOf, isObj, itemsOf, propertyOf, toCel, withDefaults, type Schema } from './structural.ts';

interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface CelProblem extends Problem {
  severity: 'error' | 'warning';
  /** The rule, for counting. */
  rule: string;
  /** The rule could not be evaluated (not a verdict on the object). */
  unevaluable?: boolean;
}

export interface CelTally {
  /** Distinct rules (schema place + text) evaluated at least once. */
  rules: Set<string>;
  evaluations: number;
  /** Transition rules not run: no old object (create). */
  transitionSkipped: Set<string>;
  unevaluable: Set<string>;
}

export const newTally = (): CelTally => ({ rules: new Set(), evaluations: 0, transitionSkipped: new Set(), unevaluable: new Set() });

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');
const rulesOf = (s: Schema): Rule[] => (Array.isArray(s['x-kubernetes-validations']) ? (s['x-kubernetes-validations'] as unknown[]).filter((r): r is Rule => isObj(r) && typeof r.rule === 'string') : []);

/** `.a.b['c']` of a rule's fieldPath as a JSON pointer suffix. */
function fieldPointer(fp: string | undefined): string {
  if (!fp) return '';
  return [...fp.matchAll(/\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]/g)].map((m) => `/${escape(m[1] ?? m[2]!.replace(/\\(.)/g, '$1'))}`).join('');
}

interface Walk {
  kind: string;
  tally: CelTally;
  out: CelProblem[];
}

function runRules(w: Walk, s: Schema, where: string, value: unknown, old: unknown, embedded: boolean, schemaPath: string): void {
  const rules = rulesOf(s);
  if (!rules.length) return;
  let self: unknown;
  let oldSelf: unknown;
  for (const r of rules) {
    const id = `${w.kind}${schemaPath}: ${r.rule}`;
    const transition = usesOldSelf(r.rule) || (r.messageExpression !== undefined && usesOldSelf(r.messageExpression));
    if (transition && old === undefined) {
      w.tally.transitionSkipped.add(id);
      continue;
    }
    self ??= toCel(value, s, embedded);
    if (old !== undefined) oldSelf ??= toCel(old, s, embedded);
    const vars = old === undefined ? { self } : { self, oldSelf };
    w.tally.rules.add(id);
    w.tally.evaluations++;
    const r1 = evaluate(r.rule, vars);
    const ratchet = !transition && old !== undefined && isDeepStrictEqual(value, old);
    const severity = ratchet ? 'warning' : 'error';
    const path = where + fieldPointer(r.fieldPath);
    if ('error' in r1) {
      if (r1.unevaluable) {
        w.tally.unevaluable.add(id);
        w.out.push({ path: where, severity: 'warning', rule: id, unevaluable: true, message: `CEL rule not evaluated offline (${r1.error}): ${r.rule}` });
      } else w.out.push({ path, severity, rule: id, message: `${r1.error} evaluating rule: ${r.rule}` });
      continue;
    }
    if (r1.value === true) continue;
    if (r1.value !== false) {
      w.tally.unevaluable.add(id);
      w.out.push({ path: where, severity: 'warning', rule: id, unevaluable: true, message: `CEL rule not evaluated offline (it gave ${typeof r1.value}, not a bool): ${r.rule}` });
      continue;
    }
    let detail = r.message || `failed rule: ${r.rule}`;
    if (r.messageExpression) {
      const m = evaluate(r.messageExpression, vars);
      if ('value' in m && typeof m.value === 'string' && m.value.trim()) detail = m.value;
    }
    w.out.push({ path, severity, rule: id, message: `${detail}${ratchet ? ' (unchanged since the base: the API server ratchets it to a warning)' : ''}` });
  }
}

function mapKeys(s: Schema): string[] | undefined {
  return s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys']) ? (s['x-kubernetes-list-map-keys'] as string[]) : undefined;
}

function walk(w: Walk, s: Schema | undefined, where: string, value: unknown, old: unknown, embedded: boolean, schemaPath: string): void {
  if (!s || value === null || value === undefined) return;
  runRules(w, s, where, value, old, embedded, schemaPath);
  for (const branch of Array.isArray(s.allOf) ? s.allOf : []) if (isObj(branch)) runRules(w, branch, where, value, old, embedded, schemaPath);
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    if (!items) return;
    const keys = mapKeys(s);
    const olds = Array.isArray(old) && keys ? old : [];
    value.forEach((v, i) => {
      const o = keys && isObj(v) ? olds.find((x) => isObj(x) && keys.every((k) => isDeepStrictEqual(x[k], v[k]))) : undefined;
      walk(w, items, `${where}/${i}`, v, o, items['x-kubernetes-embedded-resource'] === true, `${schemaPath}[]`);
    });
    return;
  }
  if (!isObj(value)) return;
  const oldObj = isObj(old) ? old : undefined;
  const extra = additionalOf(s);
  for (const [k, v] of Object.entries(value)) {
    if (embedded && k === 'metadata') continue;
    const p = propertyOf(s, k);
    const sub = p ?? extra;
    if (!sub) continue;
    walk(w, sub, `${where}/${escape(k)}`, v, oldObj?.[k], sub['x-kubernetes-embedded-resource'] === true, p ? `${schemaPath}.${k}` : `${schemaPath}{}`);
  }
}

/** How many rules the nodes of this schema carry. */
export function countRules(s: unknown): number {
  if (!isObj(s)) return 0;
  let n = rulesOf(s).length;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && isObj(v)) for (const p of Object.values(v)) n += countRules(p);
    else if (k === 'items' || k === 'additionalProperties') n += countRules(v);
    else if (k === 'allOf' && Array.isArray(v)) for (const b of v) n += countRules(b);
  }
  return n;
}

/** Evaluate every rule of `schema` on `obj` (defaulted), `old` being the object at the base revision. */
export function celProblems(kind: string, schema: Schema, obj: K8sObject, old: K8sObject | undefined, tally: CelTally): CelProblem[] {
  const w: Walk = { kind, tally, out: [] };
  walk(w, schema, '', withDefaults(obj, schema), old === undefined ? undefined : withDefaults(old, schema), true, '');
  return w.out;
}
