/** `render`: validate every selected env, and only if all are clean write generated/. */
import { formatFindings } from './report.ts';
import { loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { writeGenerated } from '../render/write.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';

export function renderCommand(opts: CommandOptions): number {
  const started = performance.now();
  const envs = selectEnvs(opts);
  const project = loadProject(opts.paths);
  const outputs: EnvOutput[] = envs.map((e) => renderOne(project, e));
  const findings = outputs.flatMap((o) => o.findings);
  if (findings.length) {
    opts.err(formatFindings(dedupe(findings), opts.format));
    opts.err(`render: ${findings.length} finding(s); nothing written\n`);
    return EXIT_FINDINGS;
  }
  // One swap of the whole tree under the lock: every env old or every env new, even if killed.
  const files = outputs.reduce((n, o) => n + o.files.size, 0);
  const stale = writeGenerated(opts.paths.generated, outputs, !opts.envs?.length).removed;
  const ms = Math.round(performance.now() - started);
  const removed = stale.length ? `, removed ${stale.map((s) => `generated/${s}`).join(', ')}` : '';
  opts.out(`render: ${envs.length} environment(s), ${files} files written to generated/ in ${ms} ms${removed}\n`);
  return EXIT_OK;
}

/** The same catalog finding is reported once, not once per environment. */
export function dedupe<T extends { file: string; line: number; col: number; path: string; message: string }>(fs: T[]): T[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.file}|${f.line}|${f.col}|${f.path}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
