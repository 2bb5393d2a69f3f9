/**
 * `check` (what CI runs): config validation, drift against the committed generated/,
 * one kustomize build per environment, and validation of every object. Writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { collectObjects, type LocatedObject } from '../verify/collect.ts';
import { crdWaveFindings } from '../verify/policy/crd-waves.ts';
import { driftFindings } from '../verify/drift.ts';
import { KustomizeBuildError } from '../verify/kustomize-errors.ts';
import { refineLine } from '../verify/sources.ts';
import { listEnvironments } from '../config/load.ts';
import { toYaml } from '../render/yaml-out.ts';
import { runPolicies } from '../verify/policy/index.ts';
import { emitOutcome } from './report.ts';
import { loadProject, renderOne } from '../render/environment.ts';
import { compareFindings, UsageError, type Finding } from '../findings.ts';
import { validateObjects } from '../verify/schemas/index.ts';
import { hasKubeconform, runKubeconform } from '../verify/external/kubeconform.ts';
import { readTree } from '../render/write.ts';
import { printable } from '../config/yaml-source.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe } from './report.ts';

export interface CheckResult {
  envs: string[];
  objects: number;
  findings: Finding[];
}

/** The whole check as a value (the command prints it; tests and the benchmark call it). */
export async function runCheck(opts: CommandOptions): Promise<CheckResult> {
  const envs = selectEnvs(opts);
  if (opts.kubeconform && !(await hasKubeconform())) {
    throw new UsageError('--kubeconform: no kubeconform binary on PATH (the built-in validation runs without it)');
  }
  const project = loadProject(opts.paths);
  const crdSchemaDir = join(opts.paths.schemas, 'crds');
  const findings: Finding[] = [];
  let objects = 0;
  const outputs = envs.map((env) => renderOne(project, env));
  const valid = outputs.filter((out) => {
    findings.push(...out.findings);
    return !out.findings.length && out.plan;
  });
  for (const out of valid) findings.push(...driftFindings(out.env, out.files, readTree(join(opts.paths.generated, out.env))));
  // kustomize builds are separate processes: run as many at once as there are cores.
  const hydrated = await mapLimit(valid, availableParallelism(), async (out) => {
    try {
      return await collectObjects(opts.paths, out);
    } catch (err) {
      if (!(err instanceof KustomizeBuildError)) throw err;
      findings.push(err.finding);
      return undefined;
    }
  });
  for (const [i, out] of valid.entries()) {
    const located = hydrated[i];
    if (!located) continue;
    objects += located.length;
    findings.push(...refine(await validateObjects(located, { crdSchemaDir }), located));
    findings.push(...crdWaveFindings(out.plan!, located));
    findings.push(...runPolicies({ plan: out.plan!, objects: located }));
    if (opts.kubeconform) {
      findings.push(...(await runKubeconform(toYaml(located.map((o) => o.obj)), { schemaDir: crdSchemaDir, file: `generated/${out.env}` })));
    }
  }
  if (!opts.envs?.length) findings.push(...extraEnvDirs(opts.paths.generated, listEnvironments(opts.paths)));
  return { envs, objects, findings: dedupe(findings).sort(compareFindings) };
}

export async function checkCommand(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const r = await runCheck(opts);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `check: ${r.envs.length} environment(s), ${r.objects} objects, ${r.findings.length} finding(s), ${secs} s`;
  emitOutcome(opts, { command: 'check', findings: r.findings, summary, counts: { environments: r.envs.length, objects: r.objects } });
  return r.findings.length ? EXIT_FINDINGS : EXIT_OK;
}

/** Point each finding at the field's own line when the source has it. */
function refine(findings: Finding[], objects: LocatedObject[]): Finding[] {
  const byPlace = new Map(objects.map((o) => [`${o.file}:${o.line}`, o]));
  return findings.map((f) => {
    const o = byPlace.get(`${f.file}:${f.line}`);
    return o ? { ...f, line: refineLine(o, f.path) } : f;
  });
}

function extraEnvDirs(generatedDir: string, envs: string[]): Finding[] {
  if (!existsSync(generatedDir)) return [];
  return readdirSync(generatedDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !envs.includes(e.name))
    .map((e) => printable(e.name))
    .map((n) => ({ file: `generated/${n}`, line: 0, col: 0, path: '', message: 'extra: no environments/' + n + '.yaml produces this folder (run npm run render)' }));
}

/** Map with at most `limit` calls in flight; results keep the input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
