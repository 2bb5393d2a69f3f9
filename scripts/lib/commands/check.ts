/**
 * `check` (what CI runs): config validation, drift against the committed generated/,
 * one kustomize build per environment (cached by content), every Application hydrated (helm and
 * git sources from the chart mirror or cache, see verify/hydration/env-apps.ts), and every output
 * rule over the whole platform. Writes nothing to the project (caches live in node_modules/.cache).
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { customClusterKinds, platformFindings } from '../verify/whole-platform/index.ts';
import { lockFindings } from './chart-lock-check.ts';
import { validateAppConfigs } from '../verify/app-configs/index.ts';
import { contractFindings } from '../verify/contracts/index.ts';
import { HydratedCrdSchemas, validateWithCrds } from '../verify/schemas/index.ts';
import { coreValidationFindings, baseObjects, celValidation, oldObjectOf, pinnedSchemaFindings, updateFindings, type BaseObjects, type CelSummary } from '../verify/api-server/index.ts';
import { chartLocator, hydrateEnv, platformOptions, type PlatformOptions } from './platform-options.ts';
import { envCheckBase, envCheckKey, type AppSummary, type EnvCheck } from './check-cache.ts';
import { loadResult, saveResult } from '../result-store.ts';
import { limiter, HYD003, LOCK_FILE, readLock, collectObjects, type LocatedObject, driftFindings, KustomizeBuildError, refineLine } from '../verify/hydration/index.ts';
import { listEnvironments } from '../config/load.ts';
import { toYaml } from '../render/yaml-out.ts';
import { NAMESPACE_RULES, POLICY_RULES, crdWaveFindings, hydratedInstallers, runPolicies } from '../verify/policy/index.ts';
import { configWarnings, loadProject, renderOne, type EnvOutput } from '../render/environment.ts';
import { compareFindings, isWarning, UsageError, type Finding } from '../findings.ts';
import { hasKubeconform, runKubeconform } from '../verify/kubeconform/index.ts';
import { readTreeChecked } from '../render/write.ts';
import { acquireLock } from '../render/lock.ts';
import { irregularKind } from '../fs/safe-read.ts';
import { printable } from '../config/yaml-source.ts';
import { selectEnvs, type CommandOptions } from './common.ts';
import { dedupe } from './report.ts';
import { simulate, type SimulateEnv } from '../verify/simulation/index.ts';
import { simulateEnvOf } from './simulate.ts';

export type { AppSummary } from './check-cache.ts';

export interface CheckResult {
  envs: string[];
  objects: number;
  /** Errors first, then warnings; each group in file order. */
  findings: Finding[];
  /** Every Application of every env and how it was hydrated. */
  apps: AppSummary[];
  /** Per env: the CEL rules of the hydrated CRDs evaluated on its custom resources. */
  cel: CelSummary[];
}

const NON_NAMESPACE_RULES = POLICY_RULES.filter((r) => !NAMESPACE_RULES.includes(r));

/** The whole check as a value (check-command.ts prints it; tests and the benchmark call it). */
export async function runCheck(opts: CommandOptions, onStep: (s: string) => void = () => {}): Promise<CheckResult> {
  const envs = selectEnvs(opts);
  if (opts.kubeconform && !(await hasKubeconform())) {
    throw new UsageError('--kubeconform: no kubeconform binary on PATH (the built-in validation runs without it)');
  }
  const platform = platformOptions(opts);
  const project = loadProject(opts.paths);
  const findings: Finding[] = [];
  let objects = 0;
  // An env whose rendered files, config and shared inputs are unchanged since a clean check of
  // it reuses that check (check-cache.ts); the others are hydrated and checked. Each one's
  // kustomize build starts as soon as it is rendered (as many at once as there are cores), while
  // the next envs render.
  const stamp = envCheckBase(opts, platform.mirror);
  const run = limiter(availableParallelism());
  const apps: AppSummary[] = [];
  const cel: CelSummary[] = [];
  // --base REF: the objects the cluster runs now, for the API server's update rules.
  const base = opts.base ? await baseObjects(opts.paths.root, opts.base) : undefined;
  const valid: EnvOutput[] = [];
  const todo: { out: EnvOutput; key?: string; located: Promise<{ located?: LocatedObject[]; error?: unknown }> }[] = [];
  for (const [i, env] of envs.entries()) {
    onStep(`check: ${env} (${i + 1}/${envs.length}): rendering`);
    const out = renderOne(project, env);
    findings.push(...out.findings, ...configWarnings(project, env));
    if (out.findings.length || !out.plan) continue;
    valid.push(out);
    const key = stamp ? envCheckKey(stamp, out) : undefined;
    const hit = key ? loadResult<EnvCheck>('env-check', key) : undefined;
    if (hit) {
      findings.push(...hit.findings);
      apps.push(...hit.apps);
      if (hit.cel) cel.push(hit.cel);
      objects += hit.objects;
      continue;
    }
    // Settled into a value at once: a build that fails while another is awaited is never unhandled.
    const located = run(() => collectObjects(opts.paths, out)).then(
      (l) => ({ located: l }),
      (error: unknown) => ({ error }),
    );
    todo.push({ out, key, located });
  }
  // generated/ is read holding the render lock: never a half-written tree. (kustomize builds what
  // the config produces, in a temp folder: it never reads generated/.)
  const release = acquireLock(opts.paths.generated);
  try {
    for (const out of valid) {
      const tree = readTreeChecked(join(opts.paths.generated, out.env));
      findings.push(...driftFindings(out.env, out.files, tree.files));
      for (const p of tree.problems) findings.push({ file: `generated/${out.env}${p.path ? `/${printable(p.path, 200)}` : ''}`, line: 0, col: 0, path: '', message: p.message });
    }
    if (!opts.envs?.length) findings.push(...extraEnvDirs(opts.paths.generated, listEnvironments(opts.paths)));
  } finally {
    release();
  }
  const checked: { key?: string; r: EnvCheck; sim: SimulateEnv }[] = [];
  for (const { out, key, located: pending } of todo) {
    onStep(`check: ${out.env}: kustomize build`);
    const { located, error } = await pending;
    if (error !== undefined) {
      if (!(error instanceof KustomizeBuildError)) throw error;
      findings.push(...error.findings);
      continue;
    }
    if (!located) continue;
    onStep(`check: ${out.env}: charts, git sources and rules over ${located.length} objects`);
    const { check: r, sim } = await checkEnv(opts, out, located, platform, base);
    if (r.cel) cel.push(r.cel);
    checked.push({ key, r, sim });
  }
  // The bootstrap simulation, over the envs checked here (an instance only when all its envs are:
  // a reused env was simulated clean with the same peers). A result is kept only when it is clean.
  const simFindings = simulateChecked(checked.map((c) => c.sim), valid);
  for (const { key, r, sim } of checked) {
    const all = { ...r, findings: [...r.findings, ...(simFindings.get(sim.env) ?? [])] };
    findings.push(...all.findings);
    apps.push(...all.apps);
    objects += all.objects;
    if (key && !all.findings.some((f) => !isWarning(f))) saveResult('env-check', key, all);
  }
  const sorted = dedupe(findings).sort((a, b) => Number(isWarning(a)) - Number(isWarning(b)) || compareFindings(a, b));
  return { envs, objects, findings: sorted, apps, cel: cel.sort((a, b) => envs.indexOf(a.env) - envs.indexOf(b.env)) };
}

/** The simulation's findings per env, for the instances whose every env was checked in this run. */
function simulateChecked(envs: SimulateEnv[], valid: EnvOutput[]): Map<string, Finding[]> {
  const instanceOf = (o: EnvOutput): string => o.plan!.env.config.argocd.instance ?? o.env;
  const have = new Set(envs.map((e) => e.env));
  const complete = envs.filter((e) => valid.filter((o) => instanceOf(o) === e.instance).every((o) => have.has(o.env)));
  return new Map(simulate(complete).map((r) => [r.env, r.findings]));
}

/** The rules over one hydrated env: its findings, its Applications and how many objects were checked. */
async function checkEnv(opts: CommandOptions, out: EnvOutput, located: LocatedObject[], platform: PlatformOptions, base: BaseObjects | undefined): Promise<{ check: EnvCheck; sim: SimulateEnv }> {
  const plan = out.plan!;
  const crdSchemaDir = join(opts.paths.schemas, 'crds');
  const findings: Finding[] = [];
  const envApps = await hydrateEnv(out, located, platform);
  const apps = envApps.map((a) => ({ env: out.env, app: a.app, status: a.status, tool: a.tool, reason: a.reason, objects: a.objects.length }));
  const crds = new HydratedCrdSchemas(envApps.flatMap((a) => a.objects.map((o) => o.obj)));
  const whole = await platformFindings({ plan, apps: envApps, located, crdSchemaDir, requireAll: opts.requireAll === true, chartOf: chartLocator(platform) });
  let lock: ReturnType<typeof readLock>;
  try {
    lock = readLock(opts.paths.root);
  } catch (err) {
    findings.push({ file: LOCK_FILE, line: 0, col: 0, path: '', rule: HYD003, message: (err as Error).message });
    lock = { charts: [], git: [] };
  }
  if (lock) findings.push(...(await lockFindings(envApps, lock, platform)));
  else if (envApps.some((a) => a.status === 'hydrated')) findings.push(noLockFinding(opts.requireAll === true));
  const clusterScopedCustomKinds = customClusterKinds(plan, envApps.flatMap((a) => a.objects.map((o) => o.obj)));
  findings.push(...refine(await validateWithCrds(located, crds, { crdSchemaDir, clusterScopedCustomKinds }), located));
  findings.push(...crdWaveFindings(plan, located, { installers: hydratedInstallers(envApps) }));
  findings.push(...validateAppConfigs(located, { root: opts.paths.root, locateEnv: (pointer) => plan.env.locate(pointer, false) }));
  findings.push(...contractFindings({ plan, objects: located, installed: envApps.flatMap((a) => a.objects.map((o) => o.obj)) }));
  findings.push(...runPolicies({ plan, objects: located }, NON_NAMESPACE_RULES));
  findings.push(...runPolicies({ plan, objects: [...located, ...whole.remoteObjects] }, NAMESPACE_RULES));
  findings.push(...whole.findings);
  findings.push(...coreValidationFindings([...located, ...whole.remoteObjects]));
  // The API server's own rules: CEL rules of the hydrated CRDs; with --base, its update rules.
  const oldOf = base ? oldObjectOf(base, out.env) : undefined;
  // CATALYST_CEL=0 leaves CEL out (npm run bench measures check with and without it).
  const celRun = process.env.CATALYST_CEL === '0' ? undefined : celValidation({ env: out.env, objects: [...located, ...whole.remoteObjects], hydrated: envApps.flatMap((a) => a.objects.map((o) => o.obj)), oldOf });
  if (celRun) findings.push(...refine(celRun.findings, located));
  // The strict schemas in schemas/crds/ against the CRDs this env's pinned sources install (CEL003).
  findings.push(...pinnedSchemaFindings(crdSchemaDir, relative(opts.paths.root, crdSchemaDir).split(sep).join('/'), envApps.flatMap((a) => a.objects)));
  if (oldOf) findings.push(...refine(updateFindings(located, oldOf), located));
  if (opts.kubeconform) {
    findings.push(...(await runKubeconform(toYaml(located.map((o) => o.obj)), { schemaDir: crdSchemaDir, file: `generated/${out.env}` })));
  }
  return {
    check: { findings, apps, objects: located.length + whole.remoteObjects.length, ...(celRun ? { cel: celRun.summary } : {}) },
    sim: simulateEnvOf(out, located, envApps),
  };
}

/** The project has no charts.lock.yaml: what charts held is not recorded (an error where every Application is required). */
function noLockFinding(required: boolean): Finding {
  return {
    file: LOCK_FILE, line: 0, col: 0, path: '', rule: HYD003,
    message: `no ${LOCK_FILE}: the content behind each chart and git pin is not recorded, so a change to it goes unseen; write it with npm run charts -- --lock`,
    ...(required ? {} : { severity: 'warning' as const }),
  };
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
  const out: Finding[] = [];
  for (const e of readdirSync(generatedDir, { withFileTypes: true })) {
    const n = printable(e.name);
    if (e.isDirectory() && !envs.includes(e.name)) {
      out.push({ file: `generated/${n}`, line: 0, col: 0, path: '', message: 'extra: no environments/' + n + '.yaml produces this folder (run npm run render)' });
    } else if (!e.isDirectory() && !e.isFile()) {
      const kind = irregularKind(lstatSync(join(generatedDir, e.name))) ?? 'not a regular file';
      out.push({ file: `generated/${n}`, line: 0, col: 0, path: '', message: `is ${kind}: generated/ holds regular files and folders only (run npm run render to remove it)` });
    }
  }
  return out;
}
