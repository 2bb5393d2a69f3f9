/**
 * `simulate [--env E]...`: Argo CD v3.3.14 bootstrapping each env from its root.yaml over the
 * hydrated objects of every Application (verify/simulation/, docs/SIMULATION.md). Prints the
 * predicted timeline per env and a finding for every stall, failure or ungated wave; exit 1 when
 * an env does not converge. Envs sharing an Argo CD are simulated together (their roots race).
 * Renders from the config in memory; writes nothing.
 */
import { listEnvironments } from '../config/load.ts';
import { compareFindings, isWarning, type Finding } from '../findings.ts';
import { configWarnings, loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { collectObjects, KustomizeBuildError } from '../verify/hydration/index.ts';
import { simulate, type SimulateEnv } from '../verify/simulation/index.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { hydrateEnv, platformOptions } from './platform-options.ts';
import { dedupe, formatFindings } from './report.ts';

/** What the simulation needs of one rendered env. */
export function simulateEnvOf(out: EnvOutput, located: SimulateEnv['located'], apps: SimulateEnv['apps']): SimulateEnv {
  const config = out.plan!.env.config;
  return {
    env: out.env,
    instance: config.argocd.instance ?? out.env,
    located,
    apps,
    storageClasses: (config.cluster.storageClasses ?? []).map((c) => ({ name: c.name, bindingMode: c.bindingMode, ...(c.accessModes ? { accessModes: [...c.accessModes] } : {}) })),
  };
}

/**
 * The simulation's input for the selected envs and every env sharing an Argo CD instance with one
 * of them (rendered from the config in memory, local components built, Applications hydrated),
 * and the findings of the envs that do not render or build.
 */
export async function simulateInputs(opts: CommandOptions, selected: string[]): Promise<{ envs: SimulateEnv[]; findings: Finding[] }> {
  const platform = platformOptions(opts);
  const project = loadProject(opts.paths);
  const outputs = new Map<string, EnvOutput>();
  const findings: Finding[] = [];
  for (const env of listEnvironments(opts.paths)) outputs.set(env, renderOne(project, env));
  const instanceOf = (env: string): string | undefined => {
    const plan = outputs.get(env)?.plan;
    return plan ? (plan.env.config.argocd.instance ?? env) : undefined;
  };
  const wanted = new Set(selected.map(instanceOf).filter((i): i is string => i !== undefined));
  const envs: SimulateEnv[] = [];
  findings.push(...dedupe(selected.flatMap((e) => configWarnings(project, e))));
  for (const [env, out] of outputs) {
    const inst = instanceOf(env);
    if (!selected.includes(env) && (!inst || !wanted.has(inst))) continue;
    if (out.findings.length || !out.plan) {
      findings.push(...out.findings);
      continue;
    }
    let located;
    try {
      located = await collectObjects(opts.paths, out);
    } catch (err) {
      if (!(err instanceof KustomizeBuildError)) throw err;
      findings.push(err.finding);
      continue;
    }
    envs.push(simulateEnvOf(out, located, await hydrateEnv(out, located, platform)));
  }
  return { envs, findings };
}

/** Simulate the selected envs; exit 1 when one does not converge. */
export async function simulateCommand(opts: CommandOptions): Promise<number> {
  const selected = selectEnvs(opts);
  const { envs, findings } = await simulateInputs(opts, selected);
  for (const r of simulate(envs)) {
    if (!selected.includes(r.env)) continue;
    if (opts.format === 'text') opts.out(`${r.timeline.join('\n')}\n  => ${r.converged ? 'converges' : 'does NOT converge'}\n\n`);
    findings.push(...r.findings);
  }
  findings.sort((a, b) => Number(isWarning(a)) - Number(isWarning(b)) || compareFindings(a, b));
  if (opts.format === 'json') opts.out(`${JSON.stringify({ ok: !findings.some((f) => !isWarning(f)), findings }, null, 2)}\n`);
  else if (findings.length) opts.err(formatFindings(findings, opts.format));
  return findings.some((f) => !isWarning(f)) ? EXIT_FINDINGS : EXIT_OK;
}
