/**
 * `hydrate --env NAME [--app NAME]...`: the full objects each Application stands for (local
 * components through kustomize, charts through helm template, git sources as Argo CD builds them),
 * as YAML on stdout, each Application headed by a comment saying which tool hydrated it.
 * Renders from the config in memory; writes nothing.
 */
import { stringify } from 'yaml';
import { formatFinding, UsageError } from '../findings.ts';
import { loadProject, renderOne } from '../render/environment.ts';
import { collectObjects } from '../verify/collect.ts';
import { KustomizeBuildError } from '../verify/kustomize-errors.ts';
import type { AppHydration } from '../verify/platform-apps.ts';
import { expandOperators, type ExpandedObject } from '../verify/expansion/index.ts';
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

export async function hydrateCommand(opts: CommandOptions): Promise<number> {
  const envs = selectEnvs(opts);
  const platform = platformOptions(opts);
  const project = loadProject(opts.paths);
  let missing = 0;
  for (const env of envs) {
    const out = renderOne(project, env);
    if (out.findings.length || !out.plan) {
      opts.err(`${out.findings.map(formatFinding).join('\n')}\nhydrate: ${env} does not render\n`);
      return EXIT_FINDINGS;
    }
    let located;
    try {
      located = await collectObjects(opts.paths, out);
    } catch (err) {
      if (!(err instanceof KustomizeBuildError)) throw err;
      opts.err(`${err.findings.map(formatFinding).join('\n')}\n`);
      return EXIT_FINDINGS;
    }
    const apps = await hydrateEnv(out, located, platform, opts.apps);
    if (opts.apps?.length) {
      const names = new Set(apps.flatMap((a) => [a.app, a.component]));
      const unknown = opts.apps.filter((n) => !names.has(n));
      if (unknown.length) throw new UsageError(`--app ${unknown.join(', ')}: no such Application in ${env} (names like ${env}-<component>, or the component)`);
    }
    for (const a of apps) {
      opts.out(hydratedYaml(env, a));
      if (a.status === 'not-hydrated' || a.status === 'failed') {
        missing++;
        opts.err(`hydrate: ${a.app}: ${a.status === 'failed' ? 'failed' : 'not hydrated'}: ${a.reason}\n`);
      }
    }
    if (opts.expanded) {
      // The LLMInferenceService presets come from the kserve-runtime-configs Application: with
      // --app, name it too, or the models are not expanded.
      const expanded = expandOperators(apps.flatMap((a) => a.objects));
      opts.out(expandedYaml(env, expanded.objects));
      for (const p of expanded.problems) opts.err(`hydrate: ${p.from.obj.kind} ${p.from.obj.metadata?.name ?? ''}: not expanded: ${p.message}\n`);
    }
  }
  return missing ? EXIT_FINDINGS : EXIT_OK;
}
