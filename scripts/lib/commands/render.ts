/** `render`: validate every selected env, and only if all are clean write generated/. */
import { dedupe, emitOutcome } from './report.ts';
import { loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { writeGenerated } from '../render/write.ts';
import { compareFindings } from '../findings.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { createProgress } from './progress.ts';

export { dedupe } from './report.ts';

export function renderCommand(opts: CommandOptions): number {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  progress.step('render: loading the catalog');
  const project = loadProject(opts.paths);
  const outputs: EnvOutput[] = envs.map((e, i) => {
    progress.step(`render: ${e} (${i + 1}/${envs.length})`);
    return renderOne(project, e);
  });
  const findings = dedupe(outputs.flatMap((o) => o.findings)).sort(compareFindings);
  if (findings.length) {
    progress.done();
    emitOutcome(opts, { command: 'render', findings, summary: `render: ${findings.length} finding(s); nothing written`, counts: { environments: envs.length, written: 0 } });
    return EXIT_FINDINGS;
  }
  // One swap of the whole tree under the lock: every env old or every env new, even if killed.
  progress.step('render: writing generated/');
  const swap = writeGenerated(opts.paths.generated, outputs, !opts.envs?.length);
  const { changed, unchanged } = swap;
  const removed = swap.removedFiles;
  const stale = swap.removed;
  progress.done();
  const ms = Math.round(performance.now() - started);
  const gone = `${removed ? `, ${removed} removed` : ''}${stale.length ? `; removed ${stale.map((s) => `generated/${s}`).join(', ')}` : ''}`;
  const summary = `render: ${envs.length} environment(s), ${changed} changed, ${unchanged} unchanged${gone} in ${ms} ms`;
  emitOutcome(opts, { command: 'render', findings: [], summary, counts: { environments: envs.length, changed, unchanged, removed, removedEnvironments: stale } });
  return EXIT_OK;
}
