/**
 * `diff --base REF`: what a change does to the cluster. Base (the project at REF, from git) and
 * head (the working tree) are rendered in memory and hydrated (kustomize for local components;
 * charts when cached or mirrored), then compared per environment, with the objects operators
 * create from the custom resources (review/expanded.ts, marked operator-created). Writes nothing.
 */
import { chartMirror } from './platform-options.ts';
import { addChartObjects } from '../review/charts.ts';
import { addExpandedObjects } from '../review/expanded.ts';
import { compareEnv } from '../review/compare.ts';
import { affectedText, diffMarkdown, diffText, type DiffReport } from '../review/format.ts';
import { extractRef } from '../tools/git-tree.ts';
import { snapshotProject } from '../verify/snapshot/index.ts';
import { refusedChanges } from '../verify/api-server/index.ts';
import { diffHosts, newHostFindings } from '../review/hosts-diff.ts';
import { compareFindings, isWarning, UsageError, type WithFindings } from '../findings.ts';
import { dedupe, emitOutcome } from './report.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { createProgress } from './progress.ts';

export async function runDiff(opts: CommandOptions, onStep: (s: string) => void = () => {}): Promise<WithFindings<{ report: DiffReport }>> {
  if (!opts.base) throw new UsageError('diff needs --base REF (a branch, tag or commit to compare the working tree with)');
  const only = opts.envs?.length ? new Set(selectEnvs(opts)) : undefined;
  onStep(`diff: extracting ${opts.base}`);
  const tree = await extractRef(opts.paths.root, opts.base);
  try {
    const base = await snapshotProject(tree.root, (env) => onStep(`diff: base ${env}`));
    const head = await snapshotProject(opts.paths.root, (env) => onStep(`diff: head ${env}`));
    const names = [...new Set([...base.keys(), ...head.keys()])].filter((e) => !only || only.has(e)).sort();
    const envs = [];
    for (const env of names) {
      onStep(`diff: comparing ${env}`);
      const notes = await addChartObjects(base.get(env), head.get(env), { mirror: chartMirror(opts)?.dir });
      notes.push(...addExpandedObjects(base.get(env), head.get(env)));
      const d = compareEnv(env, base.get(env), head.get(env));
      d.notes.push(...notes);
      envs.push(d);
    }
    // What the API server would refuse to update (verify/api-server): errors of the head.
    const refused = names.flatMap((e) => refusedChanges(base.get(e), head.get(e)));
    const hosts = diffHosts(tree.root, opts.paths.root);
    const warnings = names.flatMap((e) => head.get(e)?.warnings ?? []);
    const findings = dedupe([...names.flatMap((e) => head.get(e)?.findings ?? []), ...refused, ...newHostFindings(hosts, opts.allowNewHosts === true), ...warnings]).sort(compareFindings);
    return { report: { base: { ref: opts.base, commit: tree.commit }, head: 'working tree', hosts: { added: hosts.added, removed: hosts.removed }, envs }, findings };
  } finally {
    tree.cleanup();
  }
}

export async function diffCommand(opts: CommandOptions): Promise<number> {
  const progress = createProgress(opts);
  const { report, findings: head } = await runDiff(opts, (s) => progress.step(s));
  progress.done();
  // Head findings are the change's own problems (exit 1; its warnings are printed only); base ones are only notes.
  const changedEnvs = report.envs.filter((e) => e.status !== 'unchanged');
  const errors = head.filter((f) => !isWarning(f)).length;
  const warned = head.length - errors ? `, ${head.length - errors} warning(s)` : '';
  const summary = `diff: ${report.envs.length} environment(s), ${changedEnvs.length} changed${errors ? `, ${errors} finding(s) in head` : ''}${warned}`;
  if (opts.format === 'json') {
    emitOutcome(opts, { command: 'diff', findings: head, summary, counts: { environments: report.envs.length, changed: changedEnvs.length }, data: { diff: report } });
  } else {
    const text = opts.affected ? affectedText(report) : opts.format === 'markdown' ? diffMarkdown(report) : diffText(report);
    opts.out(text);
    if (head.length) emitOutcome(opts, { command: 'diff', findings: head, summary });
  }
  return errors ? EXIT_FINDINGS : EXIT_OK;
}

