/** `render`: validate every selected env, and only if all are clean write generated/. */
import { dedupe, emitOutcome } from './report.ts';
import { loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { listEnvironments } from '../config/load.ts';
import { removeStaleEnvs, writeEnvTree } from '../render/write.ts';
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
  let changed = 0;
  let unchanged = 0;
  let removed = 0;
  for (const o of outputs) {
    progress.step(`render: writing generated/${o.env}`);
    const r = writeEnvTree(opts.paths.generated, o.env, o.files);
    changed += r.changed;
    unchanged += r.unchanged;
    removed += r.removed;
  }
  const stale = opts.envs?.length ? [] : removeStaleEnvs(opts.paths.generated, listEnvironments(opts.paths));
  progress.done();
  const ms = Math.round(performance.now() - started);
  const gone = `${removed ? `, ${removed} removed` : ''}${stale.length ? `; removed ${stale.map((s) => `generated/${s}`).join(', ')}` : ''}`;
  const summary = `render: ${envs.length} environment(s), ${changed} changed, ${unchanged} unchanged${gone} in ${ms} ms`;
  emitOutcome(opts, { command: 'render', findings: [], summary, counts: { environments: envs.length, changed, unchanged, removed, removedEnvironments: stale } });
  return EXIT_OK;
}
