/** The CEL tally of one env (its line in `check`'s summary is commands/check-command.ts celSummaryLine, which a reused result prints without loading any CEL code). */
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
