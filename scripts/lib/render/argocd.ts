/**
 * The Argo CD objects of one environment, as data for their templates in overlays/_argocd/:
 * one child Application per component (application.yaml.hbs), the AppProject and the root
 * Application, app of apps (root.yaml.hbs), and the argocd-cm health checks that make waves
 * wait for child health (argocd-cm.yaml.hbs). Names, sources, repositories and destinations
 * are computed here; the templates own the objects' shape.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan, PlannedApp } from '../plan/plan.ts';
import type { ProjectPaths } from '../paths.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const APP_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Directory of Lua health checks, one file per `<group>_<Kind>.lua`. */
export const HEALTH_DIR = 'base/argocd-health';
/** The templates of the Argo CD objects. */
export const ARGOCD_TEMPLATES = 'overlays/_argocd';

function labels(plan: Plan, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'catalyst-lab', 'catalyst.dev/environment': plan.env.name, ...extra };
}

export function appName(plan: Plan, component: string): string {
  return `${plan.env.name}-${component}`;
}

/** What every Argo CD template sees. */
export function argoContext(plan: Plan) {
  const cfg = plan.env.config;
  return {
    envName: plan.env.name,
    project: cfg.argocd.project,
    namespace: cfg.argocd.namespace,
    finalizer: APP_FINALIZER,
    inCluster: IN_CLUSTER,
    repo: cfg.repo,
    /** automated (prune, selfHeal) and retry, as the env sets them. */
    sync: cfg.sync,
  };
}

/** Where Argo CD fetches a component from: the fields of `spec.source` that apply. */
interface SourceData {
  repoURL: string;
  chart?: string;
  targetRevision: string;
  path?: string;
  directory?: { recurse?: boolean; include?: string };
  helm?: { releaseName: string; skipCrds?: boolean; valuesObject?: Record<string, unknown> };
}

function source(plan: Plan, a: PlannedApp, helmValues: Record<string, unknown> | undefined): SourceData {
  const src = a.app.source;
  const cfg = plan.env.config;
  if (src.type === 'local') {
    return { repoURL: cfg.repo.url, targetRevision: cfg.repo.revision, path: `generated/${plan.env.name}/${a.name}` };
  }
  if (src.type === 'git') {
    const out: SourceData = { repoURL: src.repoURL, targetRevision: src.targetRevision, path: src.path };
    if (src.include !== undefined || src.recurse !== undefined) out.directory = { recurse: src.recurse, include: src.include };
    return out;
  }
  const helm: NonNullable<SourceData['helm']> = { releaseName: src.releaseName ?? a.name, skipCrds: src.skipCrds === true };
  if (helmValues && Object.keys(helmValues).length) helm.valuesObject = helmValues;
  // An OCI chart is a repository of its own: its path is the chart's root.
  if (src.repoURL.startsWith('oci://')) return { repoURL: `${src.repoURL}/${src.chart}`, targetRevision: src.version, path: '.', helm };
  return { repoURL: src.repoURL, chart: src.chart, targetRevision: src.version, helm };
}

/** The repoURL Argo CD fetches a component from (what the AppProject must allow). */
export function sourceRepo(plan: Plan, a: PlannedApp): string {
  const src = a.app.source;
  if (src.type === 'local') return plan.env.config.repo.url;
  if (src.type === 'helm' && src.repoURL.startsWith('oci://')) return `${src.repoURL}/${src.chart}`;
  return src.repoURL;
}

/** The data of one component's child Application (overlays/_argocd/application.yaml.hbs). */
export function applicationData(plan: Plan, a: PlannedApp, helmValues?: Record<string, unknown>) {
  const options = [...a.app.syncOptions];
  if (a.skipDryRun) options.push('SkipDryRunOnMissingResource=true');
  const info = [{ name: 'description', value: a.app.description }];
  if (a.deps.length) info.push({ name: 'depends on', value: a.deps.join(', ') });
  return {
    ...argoContext(plan),
    app: {
      name: appName(plan, a.name),
      labels: labels(plan, { 'catalyst.dev/component': a.name, 'catalyst.dev/layer': a.app.layer }),
      wave: String(a.wave),
      source: source(plan, a, helmValues),
      destination: { server: plan.env.config.cluster.server, namespace: a.app.namespace },
      syncOptions: [...new Set(options)],
      info,
      ignoreDifferences: a.app.ignoreDifferences,
    },
  };
}

/** The data of the AppProject and the root Application (overlays/_argocd/root.yaml.hbs). */
export function rootData(plan: Plan) {
  const cfg = plan.env.config;
  const destNs = [...new Set(plan.apps.map((a) => a.app.namespace))].sort();
  const kinds = new Map<string, { group: string; kind: string }>();
  for (const a of plan.apps) for (const r of a.app.clusterResources) kinds.set(`${r.group}/${r.kind}`, r);
  return {
    ...argoContext(plan),
    labels: labels(plan),
    rootName: appName(plan, 'root'),
    rootLabels: labels(plan, { 'catalyst.dev/component': 'root' }),
    sourceRepos: [...new Set([cfg.repo.url, ...plan.apps.map((a) => sourceRepo(plan, a))])].sort(),
    // Argo CD's own namespace in the cluster it runs in, then every component namespace.
    destinations: [
      { server: IN_CLUSTER, namespace: cfg.argocd.namespace },
      ...destNs.filter((n) => !(cfg.cluster.server === IN_CLUSTER && n === cfg.argocd.namespace)).map((namespace) => ({ server: cfg.cluster.server, namespace })),
    ],
    clusterResourceWhitelist: [...kinds.values()].sort((x, y) => x.group.localeCompare(y.group) || x.kind.localeCompare(y.kind)),
  };
}

/** The data of argocd-cm: one key per Lua health check in base/argocd-health/ (overlays/_argocd/argocd-cm.yaml.hbs). */
export function healthConfigData(plan: Plan, paths: ProjectPaths) {
  const dir = join(paths.root, HEALTH_DIR);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lua')).sort() : [];
  const data: Record<string, string> = {};
  for (const f of files) {
    data[`resource.customizations.health.${f.replace(/\.lua$/, '')}`] = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
  }
  return { ...argoContext(plan), data };
}
