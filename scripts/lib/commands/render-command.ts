/**
 * The `render` command of the CLI: renderCommand (render.ts) with its output kept by content
 * (result-store.ts, over the code and every input folder but generated/). With the config
 * unchanged since the last clean render, the stored files go through the same locked swap
 * (so generated/ is still repaired if someone edited it) and the rendering code is never loaded.
 */
import { selectEnvs, type CommandOptions } from './common.ts';
import { createProgress } from './progress.ts';
import { writeAndReport } from './render-report.ts';
import { loadResult, resultsCached, saveResult, stampOf } from '../result-store.ts';

type Stored = { env: string; files: [string, string][] }[];

export async function renderCli(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  const dirs = ['environments', 'apps', 'base', 'overlays', 'schemas'] as const;
  const key = resultsCached() ? stampOf('render', opts.paths, dirs, `root ${opts.paths.root}\0envs ${envs.join(',')}`).digest('hex') : undefined;
  const hit = key ? loadResult<Stored>('render', key) : undefined;
  if (hit) {
    const outputs = hit.map((o) => ({ env: o.env, files: new Map(o.files) }));
    return writeAndReport(opts, envs, outputs, started, progress, true);
  }
  const { renderEnvs, reportFindings } = await import('./render.ts');
  const { outputs, findings } = renderEnvs(opts, envs, progress);
  if (findings.length) return reportFindings(opts, envs, findings, progress);
  if (key) saveResult('render', key, outputs.map((o) => ({ env: o.env, files: [...o.files] })));
  return writeAndReport(opts, envs, outputs, started, progress);
}
