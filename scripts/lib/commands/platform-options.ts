/** What `check`, `hydrate` and `charts` share: where charts come from, and hydrating one env's Applications. */
import { loadAllowedHosts } from '../config/hosts.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../findings.ts';
import type { EnvOutput } from '../render/environment.ts';
import { cacheDir } from '../cache-dir.ts';
import { type LocatedObject, kubeTarget, hydrateEnvApps, type AppHydration, locateChart, readAppSource } from '../verify/hydration/index.ts';
import type { CommandOptions } from './common.ts';

export interface PlatformOptions {
  /** Absolute mirror dir, or undefined. */
  mirror?: string;
  fetch: boolean;
  cacheDir: string;
  crdSchemaDir: string;
  /** apps/_hosts.yaml: the only hosts --fetch may connect to. */
  allowedHosts: ReadonlyMap<string, number>;
}

/** Where the chart mirror of a run comes from (`project`: package.json `catalyst.chartMirror`). */
export type MirrorOrigin = 'flag' | 'env' | 'project';

/**
 * The chart mirror of a run, in this order: `--chart-mirror DIR`, `CATALYST_CHART_MIRROR`, then the
 * project's default (package.json `catalyst.chartMirror`, relative to the project root) when that
 * folder exists. A given mirror that is not a folder is a usage error; the project default is
 * only a default: `--fetch` and a missing folder skip it, and the chart cache is used.
 */
export function chartMirror(opts: Pick<CommandOptions, 'chartMirror' | 'fetch' | 'paths'>): { dir: string; origin: MirrorOrigin } | undefined {
  const flag = opts.chartMirror;
  const env = process.env.CATALYST_CHART_MIRROR || undefined;
  const given = flag ?? env;
  if (given) {
    const dir = resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag ? '--chart-mirror' : 'CATALYST_CHART_MIRROR='}${flag ? ' ' : ''}${given}: not a directory`);
    if (opts.fetch) throw new UsageError('--fetch and --chart-mirror exclude each other: with a mirror nothing else is fetched');
    return { dir, origin: flag ? 'flag' : 'env' };
  }
  if (opts.fetch) return undefined;
  const declared = projectMirror(opts.paths.root);
  return declared && existsSync(declared) && statSync(declared).isDirectory() ? { dir: declared, origin: 'project' } : undefined;
}

/** package.json `catalyst.chartMirror` of the project, absolute; undefined when none is declared. */
export function projectMirror(root: string): string | undefined {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { catalyst?: { chartMirror?: unknown } };
    const m = pkg.catalyst?.chartMirror;
    return typeof m === 'string' && m ? resolve(root, m) : undefined;
  } catch {
    return undefined;
  }
}

export function platformOptions(opts: CommandOptions): PlatformOptions {
  const mirror = chartMirror(opts)?.dir;
  return { mirror, fetch: opts.fetch === true, cacheDir: cacheDir('charts'), crdSchemaDir: resolve(opts.paths.schemas, 'crds'), allowedHosts: loadAllowedHosts(opts.paths).hosts };
}

/** Hydrate the Applications of one rendered env (`located` from collectObjects; undefined when the build failed). */
export async function hydrateEnv(out: EnvOutput, located: LocatedObject[] | undefined, p: PlatformOptions, only?: string[]): Promise<AppHydration[]> {
  const plan = out.plan!;
  const target = kubeTarget(plan, p.crdSchemaDir);
  return hydrateEnvApps({
    env: out.env,
    located: located ?? [],
    localFailed: located === undefined,
    projectRepoURL: plan.env.config.repo.url,
    hydrate: { mirror: p.mirror, cacheDir: p.cacheDir, fetch: p.fetch, allowedHosts: p.allowedHosts, kubeVersion: target.kubeVersion, apiVersions: target.apiVersions },
    only,
  });
}

/** The packaged chart a hydrated helm Application rendered (for the values check). */
export function chartLocator(p: PlatformOptions): (a: AppHydration) => Promise<string | undefined> {
  return async (a) => {
    const src = readAppSource(a.application.obj);
    if (src.kind !== 'helm') return undefined;
    const r = await locateChart(src, { mirror: p.mirror, cacheDir: p.cacheDir, fetch: false });
    return 'path' in r ? r.path : undefined;
  };
}
