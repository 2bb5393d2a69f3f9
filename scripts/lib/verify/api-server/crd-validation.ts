/**
 * CEL validation of every custom resource of an env against the CRDs hydrated with it (the CRD
 * objects the charts and git sources install, as `check` renders them), with a tally per env:
 * rules evaluated, evaluations, objects, violations, rules not evaluable, transition rules
 * skipped for want of an old object, and the time spent.
 * Findings: CEL001 a rule the object breaks (error; a warning when ratcheted), CEL002 a rule this
 * evaluator could not run (warning, once per rule, naming it and how many objects it skipped).
 */
import type { Finding, K8sObject, SourcedObject } from '../../findings.ts';
import { celProblems, countRules, newTally } from './cel-rules.ts';
import { isObj, type Schema } from './structural.ts';
import type { CelSummary } from './summary.ts';

export const CEL001 = 'CEL001';
export const CEL002 = 'CEL002';

const keyOf = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

/** apiVersion/kind -> the openAPIV3Schema of each served CRD version (found without walking the schemas). */
export function crdSchemas(objects: Iterable<K8sObject>): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || !o.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const spec = isObj(o.spec) ? o.spec : {};
    const names = isObj(spec.names) ? spec.names : {};
    if (typeof spec.group !== 'string' || typeof names.kind !== 'string') continue;
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!isObj(v) || typeof v.name !== 'string' || !isObj(v.schema) || !isObj(v.schema.openAPIV3Schema)) continue;
      out.set(keyOf(`${spec.group}/${v.name}`, names.kind), v.schema.openAPIV3Schema);
    }
  }
  return out;
}

export interface CelInput {
  env: string;
  objects: readonly SourcedObject[];
  /** Every object hydrated for the env (the CRDs are taken from it). */
  hydrated: Iterable<K8sObject>;
  /** The same object at the base revision (what the cluster runs), for transition rules. */
  oldOf?: (o: K8sObject) => K8sObject | undefined;
}

export function celValidation(input: CelInput): { findings: Finding[]; summary: CelSummary } {
  const started = performance.now();
  const schemas = crdSchemas(input.hydrated);
  const withRules = new Map<Schema, number>();
  const ruleCount = (s: Schema): number => {
    let n = withRules.get(s);
    if (n === undefined) withRules.set(s, (n = countRules(s)));
    return n;
  };
  const tally = newTally();
  const findings: Finding[] = [];
  const skipped = new Map<string, { finding: Finding; objects: number }>();
  let objects = 0;
  let violations = 0;
  for (const o of input.objects) {
    const schema = schemas.get(keyOf(o.obj.apiVersion, o.obj.kind));
    if (!schema || !ruleCount(schema)) continue;
    objects++;
    const place = { file: o.file, line: o.line, col: o.line > 0 ? 1 : 0, kind: o.obj.kind, ...(o.obj.metadata?.name ? { name: o.obj.metadata.name } : {}) };
    for (const p of celProblems(`${o.obj.apiVersion} ${o.obj.kind}`, schema, o.obj, input.oldOf?.(o.obj), tally)) {
      if (p.unevaluable) {
        const seen = skipped.get(p.rule);
        if (seen) seen.objects++;
        else skipped.set(p.rule, { finding: { ...place, path: p.path, rule: CEL002, severity: 'warning', message: p.message }, objects: 1 });
        continue;
      }
      if (p.severity === 'error') violations++;
      findings.push({ ...place, path: p.path, rule: CEL001, message: p.message, ...(p.severity === 'warning' ? { severity: 'warning' as const } : {}) });
    }
  }
  for (const { finding, objects: n } of skipped.values()) findings.push(n > 1 ? { ...finding, message: `${finding.message} (skipped on ${n} objects)` } : finding);
  const summary: CelSummary = {
    env: input.env,
    rules: tally.rules.size,
    inSchemas: [...withRules.values()].reduce((a, b) => a + b, 0),
    evaluations: tally.evaluations,
    objects,
    violations,
    unevaluable: tally.unevaluable.size,
    transitionSkipped: tally.transitionSkipped.size,
    ms: Math.round(performance.now() - started),
  };
  return { findings, summary };
}
