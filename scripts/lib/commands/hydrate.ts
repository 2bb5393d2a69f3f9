/**
 * `hydrate --env NAME [--app NAME]...`: the full objects each Application stands for (local
 * components through kustomize, charts through helm template, git sources as Argo CD builds them),
 * as YAML on stdout, each Application headed by a comment saying which tool hydrated it.
 * Renders from the config in memory; writes nothing.
 */
import { stringify } from 'yaml';
import { formatFinding, UsageError, type Finding } from '../findings.ts';
import { didYouMean } from '../suggest.ts';
import { createProgress } from './progress.ts';
import { dedupe, emitOutcome, formatFindings } from './report.ts';
import { configWarnings, loadProject, renderOne } from '../render/environment.ts';
import { collectObjects, KustomizeBuildError, type AppHydration } from '../verify/hydration/index.ts';
import { expandOperators, type ExpandedObject } from '../verify/expansion/index.ts';
import { catalogImages } from '../config/family-versions.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { hydrateEnv, platformOptions } from './platform-options.ts';

export function hydratedYaml(env: string, a: AppHydration): string {
  const head = [`# ${env} ${a.app} (component ${a.component || '?'}): ${a.status}`];
  if (a.tool) head.push(`# hydrated by ${a.tool}`);
  if (a.reason) head.push(`# ${a.status === 'failed' ? 'failed' : 'not hydrated'}: ${a.reason}`);
  head.push(`# ${a.objects.length} object(s)`);
  const docs = a.objects.map((o) => `# Source: ${o.file}${o.line ? `:${o.line}` : ''}\n${stringify(o.obj, { lineWidth: 0 })}`);
  return `${head.join('\n')}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

/** What the operators create, each object headed by the custom resource it comes from. */
export function expandedYaml(env: string, expanded: ExpandedObject[]): string {
  const head = `# ${env} operator-created: ${expanded.length} object(s) the operators create from the custom resources above`;
  const docs = expanded.map((e) => {
    const cr = e.from.obj;
    const at = `${e.from.file}${e.from.line ? `:${e.from.line}` : ''}`;
    return `# Source: ${at} (${cr.kind} ${cr.metadata?.namespace ?? ''}/${cr.metadata?.name ?? ''}, created by ${e.operator})\n${stringify(e.obj, { lineWidth: 0 })}`;
  });
  return `${head}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

/** One hydrated Application as JSON (`hydrate --format json`): the same facts as the YAML heading, the objects as data. */
export function hydratedRecord(env: string, a: AppHydration): Record<string, unknown> {
  return { env, app: a.app, component: a.component || null, status: a.status, tool: a.tool ?? null, reason: a.reason ?? null, objects: a.objects.map((o) => ({ source: o.file, line: o.line || null, object: o.obj })) };
}

/** --app names that are neither an Application of the env nor a component: a usage error with the nearest name. */
function checkAppNames(env: string, components: string[], asked: string[] | undefined): void {
  const known = [...components, 'root'].flatMap((c) => [c, `${env}-${c}`]);
  const unknown = (asked ?? []).filter((n) => !known.includes(n));
  if (!unknown.length) return;
  const n = unknown[0]!;
  throw new UsageError(`--app ${n}: no such Application in ${env}${didYouMean(n, known)} (names like ${env}-<component>, or the component)`);
}

export async function hydrateCommand(opts: CommandOptions): Promise<number> {
  const envs = selectEnvs(opts);
  const platform = platformOptions(opts);
  const project = loadProject(opts.paths);
  const progress = createProgress(opts);
  const json = opts.format === 'json';
  const records: Record<string, unknown>[] = [];
  const problems: Finding[] = [];
  let missing = 0;
  for (const [i, env] of envs.entries()) {
    progress.step(`hydrate: ${env} (${i + 1}/${envs.length}): rendering`);
    const out = renderOne(project, env);
    if (out.findings.length || !out.plan) {
      progress.done();
      if (json) emitOutcome(opts, { command: 'hydrate', findings: out.findings, summary: `hydrate: ${env} does not render` });
      else opts.err(`${out.findings.map(formatFinding).join('\n')}\nhydrate: ${env} does not render\n`);
      return EXIT_FINDINGS;
    }
    checkAppNames(env, out.plan.apps.map((a) => a.name), opts.apps);
    let located;
    try {
      progress.step(`hydrate: ${env} (${i + 1}/${envs.length}): kustomize build`);
      located = await collectObjects(opts.paths, out);
    } catch (err) {
      if (!(err instanceof KustomizeBuildError)) throw err;
      progress.done();
      if (json) emitOutcome(opts, { command: 'hydrate', findings: err.findings, summary: `hydrate: ${env}: kustomize failed` });
      else opts.err(`${err.findings.map(formatFinding).join('\n')}\n`);
      return EXIT_FINDINGS;
    }
    progress.step(`hydrate: ${env} (${i + 1}/${envs.length}): charts and git sources`);
    const apps = await hydrateEnv(out, located, platform, opts.apps);
    for (const a of apps) {
      if (json) records.push(hydratedRecord(env, a));
      else opts.out(hydratedYaml(env, a));
      if (a.status === 'not-hydrated' || a.status === 'failed') {
        missing++;
        const message = `${a.status === 'failed' ? 'failed' : 'not hydrated'}: ${a.reason}`;
        if (json) problems.push({ file: a.application.file, line: a.application.line ?? 0, col: a.application.line ? 1 : 0, kind: 'Application', name: a.app, path: '/spec/source', message, severity: 'error' });
        else opts.err(`hydrate: ${a.app}: ${message}\n`);
      }
    }
    if (opts.expanded) {
      // The LLMInferenceService presets come from the kserve-runtime-configs Application: with
      // --app, name it too, or the models are not expanded.
      const expanded = expandOperators(apps.flatMap((a) => a.objects), catalogImages([...out.plan.env.components.values()].map((c) => c.app)));
      if (json) {
        records.push({ env, operatorCreated: expanded.objects.map((e) => ({ from: { source: e.from.file, line: e.from.line || null, kind: e.from.obj.kind, name: e.from.obj.metadata?.name ?? null }, operator: e.operator, object: e.obj })) });
      } else opts.out(expandedYaml(env, expanded.objects));
      for (const p of expanded.problems) opts.err(`hydrate: ${p.from.obj.kind} ${p.from.obj.metadata?.name ?? ''}: not expanded: ${p.message}\n`);
    }
  }
  progress.done();
  const warnings = dedupe(envs.flatMap((e) => configWarnings(project, e)));
  if (!json && warnings.length) opts.err(formatFindings(warnings, opts.format));
  if (json) emitOutcome(opts, { command: 'hydrate', findings: [...problems, ...warnings], summary: `hydrate: ${records.length} Application(s), ${missing} not hydrated`, counts: { applications: records.length, notHydrated: missing }, data: { applications: records } });
  return missing ? EXIT_FINDINGS : EXIT_OK;
}
