/** `validate`: config validation only (schema + semantic rules + plan); writes nothing. */
import { formatFindings } from './report.ts';
import { loadProject, planOne } from '../render/environment.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe } from './render.ts';

export function validateCommand(opts: CommandOptions): number {
  const envs = selectEnvs(opts);
  const project = loadProject(opts.paths);
  const findings = dedupe(envs.flatMap((e) => planOne(project, e).findings));
  if (findings.length) {
    opts.err(formatFindings(findings, opts.format));
    opts.err(`validate: ${envs.length} environment(s), ${findings.length} finding(s)\n`);
    return EXIT_FINDINGS;
  }
  opts.out(`validate: ${envs.length} environment(s) valid (${envs.join(', ')})\n`);
  return EXIT_OK;
}
