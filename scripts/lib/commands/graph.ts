/** `graph`: the sync waves, dependencies and declared flows of each environment, as text. */
import { graphText } from '../render/docs.ts';
import { compareFindings } from '../findings.ts';
import type { Plan } from '../plan/plan.ts';
import { configWarnings, loadProject, planOne } from '../render/environment.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe, emitOutcome, formatFindings } from './report.ts';
import { createProgress } from './progress.ts';

/** One env's graph as data: every enabled component with its wave, layer and the edges that set its wave. */
export function graphData(plan: Plan): Record<string, unknown> {
  return {
    env: plan.env.name,
    waves: Math.max(0, ...plan.apps.map((a) => a.wave)) + 1,
    components: plan.apps.map((a) => ({
      name: a.name, application: `${plan.env.name}-${a.name}`, wave: a.wave, layer: a.app.layer, namespace: a.app.namespace, dependsOn: [...a.deps].sort(), crdProviders: [...a.crdProviders].sort(),
      // The traffic it declares (checked by check's FLOW rules against the NetworkPolicies).
      talksTo: a.app.talksTo.filter((t) => plan.byName.has(t.component)).map((t) => ({ component: t.component, ports: t.ports })),
      podFlows: a.app.podFlows ?? [],
    })),
  };
}

export function graphCommand(opts: CommandOptions): number {
  const progress = createProgress(opts);
  progress.step('graph: loading the catalog');
  const project = loadProject(opts.paths);
  const texts: string[] = [];
  const envs: Record<string, unknown>[] = [];
  const names = selectEnvs(opts);
  for (const [i, e] of names.entries()) {
    progress.step(`graph: ${e} (${i + 1}/${names.length})`);
    const planned = planOne(project, e);
    if (!planned.ok) progress.done();
    if (!planned.ok) {
      const fs = dedupe(planned.findings).sort(compareFindings);
      emitOutcome(opts, { command: 'graph', findings: fs, summary: `graph: ${e}: ${fs.length} finding(s)` });
      return EXIT_FINDINGS;
    }
    texts.push(graphText(planned.value));
    envs.push(graphData(planned.value));
  }
  progress.done();
  const warnings = dedupe(names.flatMap((e) => configWarnings(project, e))).sort(compareFindings);
  if (opts.format !== 'json' && warnings.length) opts.err(formatFindings(warnings, opts.format));
  if (opts.format === 'json') emitOutcome(opts, { command: 'graph', findings: warnings, summary: `graph: ${envs.length} environment(s)`, counts: { environments: envs.length }, data: { envs } });
  else opts.out(texts.join('\n'));
  return EXIT_OK;
}
