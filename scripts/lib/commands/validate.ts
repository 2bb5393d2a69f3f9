/** `validate`: config validation only (schema + semantic rules + plan); writes nothing. */
import { dedupe, emitOutcome } from './report.ts';
import { loadProject, planOne } from '../render/environment.ts';
import { compareFindings, findingsOf } from '../findings.ts';
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
      return findingsOf(planOne(project, e));
    }),
  ).sort(compareFindings);
  progress.done();
  const summary = findings.length
    ? `validate: ${envs.length} environment(s), ${findings.length} finding(s)`
    : `validate: ${envs.length} environment(s) valid (${envs.join(', ')})`;
  emitOutcome(opts, { command: 'validate', findings, summary, counts: { environments: envs.length } });
  return findings.length ? EXIT_FINDINGS : EXIT_OK;
}
