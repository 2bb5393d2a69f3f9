/**
 * Hydrate one Argo CD Application's source the way Argo CD 3.3 would, offline unless `fetch`:
 * - Helm charts (https repo + `chart`, OCI repo + `chart`, or the OCI source `oci://…/<chart>` +
 *   `path: .`): the .tgz from the mirror, else the cache, else `helm pull` when `fetch`; then
 *   `helm template` (rendered output cached, so a warm run spawns no helm).
 * - Git sources: the mirror's (or cache's) plain tree; directory, kustomize or helm by Argo's rules.
 * - Sources in this project's own repository return `{ status: 'local' }`: the caller renders them.
 * Missing inputs give `not-hydrated` with the reason; a tool that fails, crashes or times out throws
 * (`ToolError` from run-tool.ts, with the command line).
 */
import type { K8sObject } from '../../../findings.ts';
import { readAppSource } from './app-source.ts';
import { locateChart, parsedCached, renderChartCached } from './chart-cache.ts';
import { hydrateGitSource } from './git-source.ts';
import { NetworkRefused } from './network-guard.ts';
import { findHelm } from '../../../tools/helm.ts';
import type { HydrateResult } from './hydrated.ts';
import { parseManifests } from './template.ts';

export interface HydrateOptions {
  /** `--chart-mirror DIR`: when set, nothing is fetched from anywhere else. */
  mirror?: string;
  /** Chart cache (default `node_modules/.cache/catalyst/charts`). */
  cacheDir?: string;
  /** Allow `helm pull` for charts missing from the cache (never with a mirror). */
  fetch?: boolean;
  /** Cluster version for `--kube-version`, e.g. `1.35.0`. */
  kubeVersion: string;
  /** `--api-versions`, each `group/version` or `group/version/Kind`. */
  apiVersions: string[];
  /** Per tool run, default 120 000. */
  timeoutMs?: number;
  /** The hosts `fetch` may connect to (apps/_hosts.yaml); without it nothing is fetched. */
  allowedHosts?: ReadonlyMap<string, number>;
  /** Replaces the check before a connection; only code passes it (tests), never a flag or variable. */
  connectGuard?: (url: string) => Promise<void>;
  /** This project's repository URL; without it, git paths under `generated/` count as local. */
  projectRepoURL?: string;
}

export async function hydrateApplication(app: K8sObject, opts: HydrateOptions): Promise<HydrateResult> {
  if (app.apiVersion !== 'argoproj.io/v1alpha1' || app.kind !== 'Application') {
    return { status: 'not-hydrated', reason: `${app.apiVersion}/${app.kind} is not an argoproj.io/v1alpha1 Application` };
  }
  const src = readAppSource(app, { projectRepoURL: opts.projectRepoURL });
  switch (src.kind) {
    case 'unsupported':
      return { status: 'not-hydrated', reason: src.reason };
    case 'local':
      return { status: 'local', repoURL: src.repoURL, path: src.path };
    case 'git':
      return hydrateGitSource(src, opts);
    case 'helm': {
      let located;
      try {
        located = await locateChart(src, { ...opts, fetch: opts.fetch === true && !opts.mirror });
      } catch (err) {
        if (err instanceof NetworkRefused) return { status: 'refused', reason: err.message, findings: [] };
        throw err;
      }
      if ('missing' in located) return { status: 'not-hydrated', reason: located.missing };
      const input = { helm: src.helm, kubeVersion: opts.kubeVersion, apiVersions: opts.apiVersions };
      const { text, cached, file } = await renderChartCached(located.path, input, opts);
      const source = `helm:${src.chart}@${src.version}`;
      const tool = cached ? `cached helm template (${located.path})` : (await findHelm(opts)).source;
      const name = `${src.chart}-${src.version}.tgz`;
      return { status: 'hydrated', objects: await parsedCached(file, `${source}\0${name}`, () => parseManifests(text, source, name)), tool };
    }
  }
}
