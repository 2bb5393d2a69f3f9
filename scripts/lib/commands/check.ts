/**
 * `check` (what CI runs): config validation, drift against the committed generated/,
 * one kustomize build per environment, and validation of every object. Writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { collectObjects, type LocatedObject } from '../check/collect.ts';
import { crdWaveFindings } from '../check/crd-waves.ts';
import { driftFindings } from '../check/drift.ts';
import { KustomizeBuildError } from '../check/kustomize-errors.ts';
import { refineLine } from '../check/sources.ts';
import { listEnvironments } from '../env-load.ts';
import { toYaml } from '../output-yaml.ts';
import { formatFindings } from '../report.ts';
import { loadProject, renderOne } from '../render-env.ts';
import { compareFindings, UsageError, type Finding } from '../types.ts';
import { validateObjects } from '../validate/index.ts';
import { hasKubeconform, runKubeconform } from '../validate/kubeconform.ts';
import { readTree } from '../write.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { dedupe } from './render.ts';

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
  for (const env of envs) {
    const out = renderOne(project, env);
    if (out.findings.length || !out.plan) {
      findings.push(...out.findings);
      continue;
    }
    findings.push(...driftFindings(env, out.files, readTree(join(opts.paths.generated, env))));
    let located: LocatedObject[];
    try {
      located = await collectObjects(opts.paths, out);
    } catch (err) {
      if (!(err instanceof KustomizeBuildError)) throw err;
      findings.push(err.finding);
      continue;
    }
    objects += located.length;
    findings.push(...refine(await validateObjects(located, { crdSchemaDir }), located));
    findings.push(...crdWaveFindings(out.plan, located));
    if (opts.kubeconform) {
      findings.push(...(await runKubeconform(toYaml(located.map((o) => o.obj)), { schemaDir: crdSchemaDir, file: `generated/${env}` })));
    }
  }
  if (!opts.envs?.length) findings.push(...extraEnvDirs(opts.paths.generated, listEnvironments(opts.paths)));
  return { envs, objects, findings: dedupe(findings).sort(compareFindings) };
}

export async function checkCommand(opts: CommandOptions): Promise<number> {
  const started = performance.now();
  const r = await runCheck(opts);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (r.findings.length) opts.err(formatFindings(r.findings, opts.format));
  const summary = `check: ${r.envs.length} environment(s), ${r.objects} objects, ${r.findings.length} finding(s), ${secs} s\n`;
  (r.findings.length ? opts.err : opts.out)(summary);
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
    .map((e) => ({ file: `generated/${e.name}`, line: 0, col: 0, path: '', message: 'extra: no environments/' + e.name + '.yaml produces this folder (run npm run render)' }));
}
