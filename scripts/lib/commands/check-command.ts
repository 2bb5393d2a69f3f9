/**
 * The `check` command: the result of runCheck (check.ts), printed. With nothing changed since
 * a clean check (check-cache.ts) the stored result is printed instead, and the checking code
 * is never loaded. Only clean results are stored: an error may be transient (a tool timed out).
 */
import { isWarning } from '../findings.ts';
import { withLock } from '../render/lock.ts';
import { chartMirror } from './platform-options.ts';
import { emitOutcome } from './report.ts';
import { checkStamp, stampKey } from './check-cache.ts';
import { loadResult, saveResult } from '../result-store.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import type { AppSummary, CheckResult } from './check.ts';
import type { CelSummary } from '../verify/api-server/index.ts';
import { createProgress } from './progress.ts';

export async function checkCommand(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const mirror = chartMirror(opts)?.dir;
  // generated/ is hashed holding the render lock, as runCheck reads it: never a half-written tree.
  const stamp = () => withLock(opts.paths.generated, () => checkStamp(opts, envs, mirror));
  const before = stamp();
  let r = before ? loadResult<CheckResult>('check', stampKey(before)) : undefined;
  const reused = r !== undefined;
  if (!r) {
    const { runCheck } = await import('./check.ts');
    const progress = createProgress(opts);
    try {
      r = await runCheck(opts, (s) => progress.step(s));
    } finally {
      progress.done();
    }
    // Kept under the stamp the next run will compute: the charts part may have grown (an
    // extracted git tree), the rest must not have changed while checking.
    const after = before && !r.findings.some((f) => !isWarning(f)) ? stamp() : undefined;
    if (after && after.inputs === before!.inputs) saveResult('check', stampKey(after), r);
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const errors = r.findings.filter((f) => !isWarning(f)).length;
  const warnings = r.findings.length - errors;
  const note = reused ? ' (nothing changed since the last clean check: its result)' : '';
  const summary = `${hydrationSummary(r.apps, warnings)}${celLines(r.cel)}check: ${r.envs.length} environment(s), ${r.objects} objects, ${errors} finding(s), ${secs} s${note}`;
  emitOutcome(opts, { command: 'check', findings: r.findings, summary, counts: { environments: r.envs.length, objects: r.objects, reused }, data: { cel: r.cel ?? [] } });
  return errors ? EXIT_FINDINGS : EXIT_OK;
}

/** One line per env whose hydrated CRDs carry rules: the CEL rules evaluated (verify/api-server). */
function celLines(cel: CheckResult['cel'] | undefined): string {
  return (cel ?? [])
    .filter((s) => s.inSchemas > 0 || s.unevaluable > 0)
    .map((s) => `cel: ${celSummaryLine(s)}\n`)
    .join('');
}

/**
 * `hydrated: 117 of 117 Applications (63 local, 54 from charts and git); 0 warning(s)`, and when
 * some could not be hydrated, one more line saying which and how to get them.
 */
export function hydrationSummary(apps: AppSummary[], warnings: number): string {
  const done = apps.filter((a) => a.status === 'local' || a.status === 'hydrated');
  const remote = done.filter((a) => a.status === 'hydrated');
  const missing = apps.filter((a) => a.status === 'not-hydrated');
  const line = `hydrated: ${done.length} of ${apps.length} Applications (${done.length - remote.length} local, ${remote.length} from charts and git); ${warnings} warning(s)\n`;
  if (!missing.length) return line;
  const components = [...new Set(missing.map((a) => (a.app.startsWith(`${a.env}-`) ? a.app.slice(a.env.length + 1) : a.app)))].sort();
  const envs = new Set(missing.map((a) => a.env)).size;
  return (
    line +
    `not hydrated: ${missing.length} Application(s) in ${envs} env(s), their objects unchecked: ${components.join(', ')}; ` +
    'get them with `npm run charts` (fetches every pinned chart and git source into the cache), or give --chart-mirror DIR (or CATALYST_CHART_MIRROR)\n'
  );
}

/** `dev: 94 of the 480 CEL rules of its kinds evaluated 2,310 times on 96 objects, 0 violations, 0 not evaluable (goal 0), 14 transition rules need --base; 85 ms`. */
export function celSummaryLine(s: CelSummary): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${s.env}: ${n(s.rules)} of the ${n(s.inSchemas)} CEL rules of its kinds evaluated ${n(s.evaluations)} times on ${n(s.objects)} objects, ${n(s.violations)} violation(s), ${n(s.unevaluable)} not evaluable (goal 0), ${n(s.transitionSkipped)} transition rule(s) without a base object; ${s.ms} ms`;
}
