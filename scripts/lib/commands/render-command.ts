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

import type { Finding } from '../findings.ts';

/** The rendered files of each env, and the config's warnings (printed again when reused). */
type Stored = { outputs: { env: string; files: [string, string][] }[]; warnings: Finding[] };

export async function renderCli(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  const dirs = ['environments', 'apps', 'base', 'overlays', 'schemas'] as const;
  const key = resultsCached() ? stampOf('render', opts.paths, dirs, `root ${opts.paths.root}\0envs ${envs.join(',')}`).digest('hex') : undefined;
  const hit = key ? loadResult<Stored>('render', key) : undefined;
  if (hit && Array.isArray(hit.outputs) && Array.isArray(hit.warnings)) {
    const outputs = hit.outputs.map((o) => ({ env: o.env, files: new Map(o.files) }));
    return writeAndReport(opts, envs, outputs, started, progress, true, hit.warnings);
  }
  const { renderEnvs, reportFindings } = await import('./render.ts');
  const { outputs, findings, warnings } = renderEnvs(opts, envs, progress);
  if (findings.length) return reportFindings(opts, envs, findings, progress, warnings);
  if (key) saveResult('render', key, { outputs: outputs.map((o) => ({ env: o.env, files: [...o.files] })), warnings });
  return writeAndReport(opts, envs, outputs, started, progress, false, warnings);
}
