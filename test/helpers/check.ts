/** Run the real check over a project root (in-process: same code the CLI runs). */
import { runCheck, type CheckResult } from '../../scripts/lib/commands/check.ts';
import { projectPaths } from '../../scripts/lib/paths.ts';
import type { Format } from '../../scripts/lib/commands/report.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';

export async function check(root: string, envs?: string[], format: Format = 'text'): Promise<CheckResult & { lines: string[] }> {
  const r = await runCheck({ paths: projectPaths(root), envs, format, kubeconform: false, out: () => {}, err: () => {} });
  return { ...r, lines: r.findings.map(formatFinding) };
}
