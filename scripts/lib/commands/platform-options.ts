/** What `check`, `hydrate` and `charts` share: where charts come from, and hydrating one env's Applications. */
import { loadAllowedHosts } from '../config/hosts.ts';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../findings.ts';
import type { EnvOutput } from '../render/environment.ts';
import type { LocatedObject } from '../verify/collect.ts';
import { cacheDir } from '../cache-dir.ts';
import { kubeTarget } from '../verify/kube-target.ts';
import { hydrateEnvApps, type AppHydration } from '../verify/platform-apps.ts';
import { locateChart, readAppSource } from '../verify/platform/index.ts';
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

export function platformOptions(opts: CommandOptions): PlatformOptions {
  const given = opts.chartMirror ?? (process.env.CATALYST_CHART_MIRROR || undefined);
  let mirror: string | undefined;
  if (given) {
    mirror = resolve(given);
    if (!existsSync(mirror) || !statSync(mirror).isDirectory()) throw new UsageError(`--chart-mirror ${given}: not a directory`);
    if (opts.fetch) throw new UsageError('--fetch and --chart-mirror exclude each other: with a mirror nothing else is fetched');
  }
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
