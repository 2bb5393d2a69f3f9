/** `validate`: config validation only (schema + semantic rules + plan); writes nothing. */
import { dedupe, emitOutcome } from './report.ts';
import { configWarnings, loadProject, planOne } from '../render/environment.ts';
import { compareFindings, isWarning } from '../findings.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { createProgress } from './progress.ts';

export function validateCommand(opts: CommandOptions): number {
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  progress.step('validate: loading the catalog');
  const project = loadProject(opts.paths);
  const findings = dedupe(
    envs.flatMap((e, i) => {
      progress.step(`validate: ${e} (${i + 1}/${envs.length})`);
      const planned = planOne(project, e);
      return planned.ok ? configWarnings(project, e) : planned.findings;
    }),
  ).sort(compareFindings);
  progress.done();
  const errors = findings.filter((f) => !isWarning(f)).length;
  const warned = findings.length - errors ? `, ${findings.length - errors} warning(s)` : '';
  const summary = errors
    ? `validate: ${envs.length} environment(s), ${errors} finding(s)${warned}`
    : `validate: ${envs.length} environment(s) valid (${envs.join(', ')})${warned}`;
  emitOutcome(opts, { command: 'validate', findings, summary, counts: { environments: envs.length } });
  return errors ? EXIT_FINDINGS : EXIT_OK;
}
