/**
 * The `check` command: the result of runCheck (check.ts), printed. With nothing changed since
 * a clean check (check-cache.ts) the stored result is printed instead, and the checking code
 * is never loaded. Only clean results are stored: an error may be transient (a tool timed out).
 */
import { isWarning } from '../findings.ts';
import { withLock } from '../render/lock.ts';
import { resolve } from 'node:path';
import { emitOutcome } from './report.ts';
import { checkStamp, stampKey } from './check-cache.ts';
import { loadResult, saveResult } from '../result-store.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import type { AppSummary, CheckResult } from './check.ts';
import { createProgress } from './progress.ts';

export async function checkCommand(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const given = opts.chartMirror ?? (process.env.CATALYST_CHART_MIRROR || undefined);
  const mirror = given ? resolve(given) : undefined;
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
  const summary = `${hydrationSummary(r.apps, warnings)}check: ${r.envs.length} environment(s), ${r.objects} objects, ${errors} finding(s), ${secs} s${note}`;
  emitOutcome(opts, { command: 'check', findings: r.findings, summary, counts: { environments: r.envs.length, objects: r.objects, reused } });
  return errors ? EXIT_FINDINGS : EXIT_OK;
}

/** `hydrated: 117 of 117 Applications (63 local, 48 helm, 6 git); 0 warning(s)`. */
function hydrationSummary(apps: AppSummary[], warnings: number): string {
  const done = apps.filter((a) => a.status === 'local' || a.status === 'hydrated');
  const remote = done.filter((a) => a.status === 'hydrated');
  const missing = apps.length - done.length;
  const hint = missing ? ' (give --chart-mirror DIR, or fill the cache with npm run charts)' : '';
  return `hydrated: ${done.length} of ${apps.length} Applications (${done.length - remote.length} local, ${remote.length} from charts and git)${hint}; ${warnings} warning(s)\n`;
}
