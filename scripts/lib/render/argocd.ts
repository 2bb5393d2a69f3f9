/**
 * The data of the Argo CD objects for one environment's components: what
 * overlays/_argocd/application.hbs writes into one child Application per component, and the
 * Lua health checks overlays/_argocd/argocd-cm.hbs puts in argocd-cm so that waves wait for
 * child health. The projects and the root are in argocd-fence.ts and argocd-root.ts; the
 * templates are rendered by argocd-render.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readRepoText } from '../fs/safe-read.ts';
import { join } from 'node:path';
import type { Plan, PlannedApp } from '../plan/plan.ts';
import type { ProjectPaths } from '../paths.ts';
import type { ResolvedEnv } from '../config/environment.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Directory of Lua health checks, one file per `<group>_<Kind>.lua`. */
export const HEALTH_DIR = 'base/argocd-health';

/** What every Argo CD template of an environment sees, with the labels every object carries. */
export function argoContext(env: ResolvedEnv): Record<string, unknown> {
  const cfg = env.config;
  const labels = { 'app.kubernetes.io/part-of': 'catalyst-lab', 'catalyst.dev/environment': env.name };
  return { envName: env.name, argocd: cfg.argocd, repo: cfg.repo, sync: cfg.sync, inCluster: IN_CLUSTER, labels };
}

export function appName(plan: Plan, component: string): string {
  return `${plan.env.name}-${component}`;
}

/** The repoURL Argo CD fetches a component from (what the AppProject must allow). */
export function sourceRepo(plan: Plan, a: PlannedApp): string {
  const src = a.app.source;
  if (src.type === 'local') return plan.env.config.repo.url;
  if (src.type === 'helm' && src.repoURL.startsWith('oci://')) return `${src.repoURL}/${src.chart}`;
  return src.repoURL;
}

/** The context of overlays/_argocd/application.hbs for one component (helmValues: its rendered values.yaml.hbs). */
export function childApplicationData(plan: Plan, a: PlannedApp, helmValues?: Record<string, unknown>): Record<string, unknown> {
  const src = a.app.source;
  const options = [...a.app.syncOptions];
  if (a.skipDryRun) options.push('SkipDryRunOnMissingResource=true');
  // ignoreDifferences only hides a field from the diff; a sync still applies git's value unless
  // RespectIgnoreDifferences=true (argo-cd@v3.3.14:docs/user-guide/sync-options.md, "Respect
  // ignore differences configs"): istio's webhook failurePolicy would be reset on every sync.
  if (a.app.ignoreDifferences?.length) options.push('RespectIgnoreDifferences=true');
  return {
    ...argoContext(plan.env),
    server: plan.env.config.cluster.server,
    app: {
      name: appName(plan, a.name),
      component: a.name,
      layer: a.app.layer,
      namespace: a.app.namespace,
      wave: String(a.wave),
      description: a.app.description,
      deps: a.deps,
      source: src,
      repoURL: sourceRepo(plan, a),
      oci: src.type === 'helm' && src.repoURL.startsWith('oci://'),
      path: `generated/${plan.env.name}/${a.name}`,
      releaseName: src.type === 'helm' ? (src.releaseName ?? a.name) : undefined,
      values: helmValues && Object.keys(helmValues).length ? helmValues : undefined,
      syncOptions: [...new Set(options)],
      ignoreDifferences: a.app.ignoreDifferences,
    },
  };
}

/**
 * The Lua health checks of base/argocd-health/ as argocd-cm keys (the context of
 * overlays/_argocd/argocd-cm.hbs), applied server-side.
 */
export function healthConfigData(plan: Plan, paths: ProjectPaths): Record<string, unknown> {
  const dir = join(paths.root, HEALTH_DIR);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lua')).sort() : [];
  const checks = files.map((f) => ({
    key: `resource.customizations.health.${f.replace(/\.lua$/, '')}`,
    // Read like every repository file: no link followed, size capped, UTF-8 checked.
    text: readRepoText(join(dir, f), paths.root).replace(/\r\n/g, '\n'),
  }));
  return { ...argoContext(plan.env), checks };
}
