/** The CEL tally of one env and its line in `check`'s summary (no CEL code: check-command loads it on a reused result too). */
export interface CelSummary {
  env: string;
  /** Distinct rules evaluated at least once (a rule runs only where its field is set). */
  rules: number;
  /** Rules in the schemas of the kinds the env emits. */
  inSchemas: number;
  evaluations: number;
  /** Custom resources whose schema carries rules. */
  objects: number;
  violations: number;
  unevaluable: number;
  /** Transition rules (oldSelf) not run: no base object to compare with. */
  transitionSkipped: number;
  ms: number;
}

/** `dev: 94 of the 480 CEL rules of its kinds evaluated 2,310 times on 96 objects, 0 violations, 0 not evaluable (goal 0), 14 transition rules need --base; 85 ms`. */
export function celSummaryLine(s: CelSummary): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${s.env}: ${n(s.rules)} of the ${n(s.inSchemas)} CEL rules of its kinds evaluated ${n(s.evaluations)} times on ${n(s.objects)} objects, ${n(s.violations)} violation(s), ${n(s.unevaluable)} not evaluable (goal 0), ${n(s.transitionSkipped)} transition rule(s) without a base object; ${s.ms} ms`;
}
