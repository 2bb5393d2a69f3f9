/** Run the real check over a project root (in-process: same code the CLI runs). */
import { runCheck, type CheckResult } from '../../scripts/lib/commands/check.ts';
import { projectPaths } from '../../scripts/lib/paths.ts';
import type { Format } from '../../scripts/lib/commands/report.ts';
import { formatFinding, isWarning } from '../../scripts/lib/findings.ts';

/** `lines`: the errors (what fails check); `warnings`: e.g. Applications that could not be hydrated. */
export async function check(root: string, envs?: string[], format: Format = 'text', requireAll = false): Promise<CheckResult & { lines: string[]; warnings: string[] }> {
  const r = await runCheck({ paths: projectPaths(root), envs, format, kubeconform: false, requireAll, out: () => {}, err: () => {} });
  return { ...r, lines: r.findings.filter((f) => !isWarning(f)).map(formatFinding), warnings: r.findings.filter(isWarning).map(formatFinding) };
}
