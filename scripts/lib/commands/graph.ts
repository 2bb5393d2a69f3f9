/** `graph`: the sync waves and dependencies of each environment, as text. */
import { graphText } from '../render/docs.ts';
import { formatFindings } from './report.ts';
import { loadProject, planOne } from '../render/environment.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe } from './render.ts';

export function graphCommand(opts: CommandOptions): number {
  const project = loadProject(opts.paths);
  const texts: string[] = [];
  for (const e of selectEnvs(opts)) {
    const { plan, findings } = planOne(project, e);
    if (!plan) {
      opts.err(formatFindings(dedupe(findings), opts.format));
      return EXIT_FINDINGS;
    }
    texts.push(graphText(plan));
  }
  opts.out(texts.join('\n'));
  return EXIT_OK;
}
