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
import { componentHealth, type ProjectPaths } from '../paths.ts';
import { UsageError } from '../findings.ts';
import type { ResolvedEnv } from '../config/environment.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
/**
 * Lua health checks, one file per `<group>_<Kind>.lua`: Argo CD's own (argoproj.io_Application)
 * here, every other one in the folder of the component that installs its CRD (apps/<name>/health/).
 */
export const HEALTH_DIR = 'base/argocd-health';

/**
 * Every health check of the project (`<group>_<Kind>.lua`, relative to the root), sorted by
 * file name: base/argocd-health/ then each component's health/ folder, found by listing apps/.
 */
export function healthScriptFiles(paths: ProjectPaths): string[] {
  const dirs = [HEALTH_DIR];
  if (existsSync(paths.apps)) {
    for (const e of readdirSync(paths.apps, { withFileTypes: true })) if (e.isDirectory()) dirs.push(componentHealth(e.name));
  }
  const files = dirs.flatMap((d) => {
    const abs = join(paths.root, d);
    return existsSync(abs) ? readdirSync(abs).filter((f) => f.endsWith('.lua')).map((f) => `${d}/${f}`) : [];
  });
  const name = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
  return files.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a < b ? -1 : 1));
}

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
 * The Lua health checks (healthScriptFiles) as argocd-cm keys (the context of
 * overlays/_argocd/argocd-cm.hbs), applied server-side. Two files for one kind would be two
 * values for one key: refused.
 */
export function healthConfigData(plan: Plan, paths: ProjectPaths): Record<string, unknown> {
  const seen = new Map<string, string>();
  const checks = healthScriptFiles(paths).map((f) => {
    const key = `resource.customizations.health.${f.slice(f.lastIndexOf('/') + 1).replace(/\.lua$/, '')}`;
    const first = seen.get(key);
    if (first) throw new UsageError(`${f}: a second health check for the kind of ${first}: one kind has one check (keep it in the folder of the component that installs the CRD)`);
    seen.set(key, f);
    // Read like every repository file: no link followed, size capped, UTF-8 checked.
    return { key, text: readRepoText(join(paths.root, f), paths.root).replace(/\r\n/g, '\n') };
  });
  return { ...argoContext(plan.env), checks };
}
