/** `render`: validate every selected env, and only if all are clean write generated/. */
import { dedupe, emitOutcome } from './report.ts';
import { configWarnings, loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { compareFindings, type Finding } from '../findings.ts';
import { EXIT_FINDINGS, selectEnvs, type CommandOptions } from './common.ts';
import { createProgress, type Progress } from './progress.ts';
import { writeAndReport } from './render-report.ts';

export { dedupe } from './report.ts';

/** Every selected env rendered in memory, with all their findings, and the config's warnings apart (each deduplicated, sorted). */
export function renderEnvs(opts: CommandOptions, envs: string[], progress: Progress): { outputs: EnvOutput[]; findings: Finding[]; warnings: Finding[] } {
  progress.step('render: loading the catalog');
  const project = loadProject(opts.paths);
  const outputs: EnvOutput[] = envs.map((e, i) => {
    progress.step(`render: ${e} (${i + 1}/${envs.length})`);
    return renderOne(project, e);
  });
  const warnings = dedupe(envs.flatMap((e) => configWarnings(project, e))).sort(compareFindings);
  return { outputs, findings: dedupe(outputs.flatMap((o) => o.findings)).sort(compareFindings), warnings };
}

/** With findings: print them (and the warnings), write nothing. Returns the exit code. */
export function reportFindings(opts: CommandOptions, envs: string[], findings: Finding[], progress: Progress, warnings: Finding[] = []): number {
  progress.done();
  emitOutcome(opts, { command: 'render', findings: [...findings, ...warnings], summary: `render: ${findings.length} finding(s); nothing written`, counts: { environments: envs.length, written: 0 } });
  return EXIT_FINDINGS;
}

export function renderCommand(opts: CommandOptions): number {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  const { outputs, findings, warnings } = renderEnvs(opts, envs, progress);
  if (findings.length) return reportFindings(opts, envs, findings, progress, warnings);
  return writeAndReport(opts, envs, outputs, started, progress, false, warnings);
}
