/**
 * The Argo CD objects for one environment's components, built as data: one child Application
 * per component and the argocd-cm health checks that make waves wait for child health. The
 * projects and the root are in argocd-fence.ts and argocd-root.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan, PlannedApp } from '../plan/plan.ts';
import type { ProjectPaths } from '../paths.ts';
import type { K8sObject } from '../findings.ts';
import type { ResolvedEnv } from '../config/environment.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const APP_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Directory of Lua health checks, one file per `<group>_<Kind>.lua`. */
export const HEALTH_DIR = 'base/argocd-health';

/** The labels every generated Argo CD object carries. */
export function labels(env: ResolvedEnv, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'catalyst-lab', 'catalyst.dev/environment': env.name, ...extra };
}

export function appName(plan: Plan, component: string): string {
  return `${plan.env.name}-${component}`;
}

/**
 * Automated sync and the retry budget (sync.retry). After `limit` failed attempts Argo CD 3.3
 * never auto-syncs the same revision again (controller/appcontroller.go alreadyAttemptedSync),
 * so the budget is sized for bootstrap; `refresh` re-resolves the revision on each retry.
 */
export function syncPolicy(env: ResolvedEnv, syncOptions: string[]): Record<string, unknown> {
  const s = env.config.sync;
  const policy: Record<string, unknown> = {};
  if (s.automated) policy.automated = { prune: s.prune, selfHeal: s.selfHeal };
  if (syncOptions.length) policy.syncOptions = syncOptions;
  policy.retry = { limit: s.retry.limit, refresh: s.retry.refresh ?? true, backoff: { ...s.retry.backoff } };
  return policy;
}

function source(plan: Plan, a: PlannedApp, helmValues: Record<string, unknown> | undefined): Record<string, unknown> {
  const src = a.app.source;
  const cfg = plan.env.config;
  if (src.type === 'local') {
    return { repoURL: cfg.repo.url, targetRevision: cfg.argocd.targetRevision, path: `generated/${plan.env.name}/${a.name}` };
  }
  if (src.type === 'git') {
    const out: Record<string, unknown> = { repoURL: src.repoURL, targetRevision: src.targetRevision, path: src.path };
    if (src.include !== undefined || src.recurse !== undefined) {
      const directory: Record<string, unknown> = {};
      if (src.recurse !== undefined) directory.recurse = src.recurse;
      if (src.include !== undefined) directory.include = src.include;
      out.directory = directory;
    }
    return out;
  }
  const helm: Record<string, unknown> = { releaseName: src.releaseName ?? a.name };
  if (src.skipCrds) helm.skipCrds = true;
  if (src.skipTests) helm.skipTests = true;
  if (helmValues && Object.keys(helmValues).length) helm.valuesObject = helmValues;
  if (src.repoURL.startsWith('oci://')) {
    return { repoURL: `${src.repoURL}/${src.chart}`, targetRevision: src.version, path: '.', helm };
  }
  return { repoURL: src.repoURL, chart: src.chart, targetRevision: src.version, helm };
}

/** The repoURL Argo CD fetches a component from (what the AppProject must allow). */
export function sourceRepo(plan: Plan, a: PlannedApp): string {
  const src = a.app.source;
  if (src.type === 'local') return plan.env.config.repo.url;
  if (src.type === 'helm' && src.repoURL.startsWith('oci://')) return `${src.repoURL}/${src.chart}`;
  return src.repoURL;
}

export function childApplication(plan: Plan, a: PlannedApp, helmValues?: Record<string, unknown>): K8sObject {
  const cfg = plan.env.config;
  const options = [...a.app.syncOptions];
  if (a.skipDryRun) options.push('SkipDryRunOnMissingResource=true');
  const info = [{ name: 'description', value: a.app.description }];
  if (a.deps.length) info.push({ name: 'depends on', value: a.deps.join(', ') });
  const spec: Record<string, unknown> = {
    project: cfg.argocd.project,
    source: source(plan, a, helmValues),
    destination: { server: cfg.cluster.server, namespace: a.app.namespace },
    syncPolicy: syncPolicy(plan.env, [...new Set(options)]),
    info,
  };
  if (a.app.ignoreDifferences.length) spec.ignoreDifferences = a.app.ignoreDifferences;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: appName(plan, a.name),
      namespace: cfg.argocd.namespace,
      labels: labels(plan.env, { 'catalyst.dev/component': a.name, 'catalyst.dev/layer': a.app.layer }),
      annotations: { 'argocd.argoproj.io/sync-wave': String(a.wave) },
      finalizers: [APP_FINALIZER],
    },
    spec,
  };
}

/**
 * argocd-cm keys for the Lua health checks in base/argocd-health/, applied server-side. The
 * Application that syncs it carries ClientSideApplyMigration=false (argocd-root.ts): otherwise
 * Argo CD 3.3 moves every key last written by `kubectl apply` to its own field manager and the
 * next server-side apply deletes them (gitops-engine sync_context.go performCSAUpgradeMigration).
 */
export function healthConfigMap(plan: Plan, paths: ProjectPaths): K8sObject {
  const dir = join(paths.root, HEALTH_DIR);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lua')).sort() : [];
  const data: Record<string, string> = {};
  for (const f of files) {
    data[`resource.customizations.health.${f.replace(/\.lua$/, '')}`] = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: plan.env.config.argocd.namespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      annotations: {
        'argocd.argoproj.io/sync-wave': '-1',
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      },
    },
    data,
  };
}
