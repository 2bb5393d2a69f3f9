/**
 * `prerequisites [--env NAME]... [--format text|json]`: what must exist outside each env before
 * Argo CD syncs it — generated/<env>/PREREQUISITES.md, rendered from the config in memory (the
 * same text), or as JSON `{ command, ok, findings, summary, prerequisites: [...] }`. Writes nothing.
 */
import { compareFindings } from '../findings.ts';
import { configWarnings, loadProject, otherEnvs, renderOne } from '../render/environment.ts';
import { collectPrerequisites, peerRoles, type Prerequisites } from '../render/prerequisites/collect.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { createProgress } from './progress.ts';
import { dedupe, emitOutcome, formatFindings } from './report.ts';

export function prerequisitesCommand(opts: CommandOptions): number {
  const envs = selectEnvs(opts);
  const progress = createProgress(opts);
  progress.step('prerequisites: loading the catalog');
  const project = loadProject(opts.paths);
  const docs: Prerequisites[] = [];
  const texts: string[] = [];
  for (const [i, e] of envs.entries()) {
    progress.step(`prerequisites: ${e} (${i + 1}/${envs.length})`);
    const out = renderOne(project, e);
    if (out.findings.length || !out.plan) {
      progress.done();
      const findings = dedupe(out.findings).sort(compareFindings);
      emitOutcome(opts, { command: 'prerequisites', findings, summary: `prerequisites: ${e} does not render: ${findings.length} finding(s)` });
      return EXIT_FINDINGS;
    }
    docs.push(collectPrerequisites(out.plan, out.files, out.objects, peerRoles([out.plan.env, ...otherEnvs(project, e)])));
    texts.push(out.files.get('PREREQUISITES.md') ?? '');
  }
  progress.done();
  const warnings = dedupe(envs.flatMap((e) => configWarnings(project, e))).sort(compareFindings);
  if (opts.format !== 'json' && warnings.length) opts.err(formatFindings(warnings, opts.format));
  if (opts.format === 'json') emitOutcome(opts, { command: 'prerequisites', findings: warnings, summary: `prerequisites: ${envs.length} environment(s)`, counts: { environments: envs.length }, data: { prerequisites: docs } });
  else opts.out(texts.join('\n'));
  return EXIT_OK;
}
