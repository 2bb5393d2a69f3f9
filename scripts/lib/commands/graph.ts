/** `graph`: the sync waves and dependencies of each environment, as text. */
import { graphText } from '../render/docs.ts';
import { compareFindings } from '../findings.ts';
import { loadProject, planOne } from '../render/environment.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe, emitOutcome } from './report.ts';

export function graphCommand(opts: CommandOptions): number {
  const project = loadProject(opts.paths);
  const texts: string[] = [];
  for (const e of selectEnvs(opts)) {
    const planned = planOne(project, e);
    if (!planned.ok) {
      const fs = dedupe(planned.findings).sort(compareFindings);
      emitOutcome(opts, { command: 'graph', findings: fs, summary: `graph: ${e}: ${fs.length} finding(s)` });
      return EXIT_FINDINGS;
    }
    texts.push(graphText(planned.value));
  }
  if (opts.format === 'json') emitOutcome(opts, { command: 'graph', findings: [], summary: 'graph', data: { graph: texts.join('\n') } });
  else opts.out(texts.join('\n'));
  return EXIT_OK;
}
