/** The end of `render`: one swap of generated/ under the lock, then the summary ("N changed, M unchanged"). */
import { writeGenerated } from '../render/write.ts';
import type { EnvFiles } from '../render/swap.ts';
import type { Finding } from '../findings.ts';
import { emitOutcome } from './report.ts';
import { EXIT_OK, type CommandOptions } from './common.ts';
import type { Progress } from './progress.ts';

export function writeAndReport(opts: CommandOptions, envs: string[], outputs: EnvFiles[], started: number, progress: Progress, reused = false, warnings: Finding[] = []): number {
  // One swap of the whole tree under the lock: every env old or every env new, even if killed.
  progress.step('render: writing generated/');
  const swap = writeGenerated(opts.paths.generated, outputs, !opts.envs?.length);
  const { changed, unchanged } = swap;
  const removed = swap.removedFiles;
  const stale = swap.removed;
  progress.done();
  const ms = Math.round(performance.now() - started);
  const gone = `${removed ? `, ${removed} removed` : ''}${stale.length ? `; removed ${stale.map((s) => `generated/${s}`).join(', ')}` : ''}`;
  const note = reused ? ' (config unchanged since the last render: its output)' : '';
  const warned = warnings.length ? `, ${warnings.length} warning(s)` : '';
  const summary = `render: ${envs.length} environment(s), ${changed} changed, ${unchanged} unchanged${gone} in ${ms} ms${note}${warned}`;
  emitOutcome(opts, { command: 'render', findings: warnings, summary, counts: { environments: envs.length, changed, unchanged, removed, removedEnvironments: stale, reused } });
  return EXIT_OK;
}
