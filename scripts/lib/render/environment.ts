/**
 * One environment through the whole pipeline, in memory:
 * load -> validate config -> resolve -> plan -> render -> (files keyed by path).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '../config/catalog.ts';
import { derive } from '../derive/index.ts';
import { templateContext } from './context.ts';
import { childApplicationData, healthConfigData } from './argocd.ts';
import { argoRole, rootData } from './argocd-root.ts';
import { renderArgo } from './argocd-render.ts';
import { argoEnvFindings } from '../config/cross-env.ts';
import type { ResolvedEnv } from '../config/environment.ts';
import { architectureMarkdown } from './docs.ts';
import { listEnvironments, loadEnvironment } from '../config/load.ts';
import { isPlainObject } from '../config/merge.ts';
import { toYaml, normalizeRenderedYaml } from './yaml-out.ts';
import { planEnvironment, type Plan } from '../plan/plan.ts';
import type { ProjectPaths } from '../paths.ts';
import { renderLocalComponent, renderTemplate } from './component.ts';
import { loadPartials } from './partials.ts';
import { resolveEnvironment } from '../config/resolve.ts';
import { ConfigSchemas } from '../config/schema.ts';
import { compareFindings, type Finding } from '../findings.ts';

/** Everything loaded once and shared by all environments. */
export interface Project {
  paths: ProjectPaths;
  schemas: ConfigSchemas;
  catalog: Catalog;
  catalogFindings: Finding[];
}

export function loadProject(paths: ProjectPaths): Project {
  const schemas = new ConfigSchemas(paths.schemas);
  const { catalog, findings } = loadCatalog(paths, schemas);
  return { paths, schemas, catalog, catalogFindings: findings };
}

export interface EnvOutput {
  env: string;
  plan?: Plan;
  /** Rendered files keyed by their path under generated/<env>/. */
  files: Map<string, string>;
  findings: Finding[];
}

/** Resolved envs by project, keyed by name, reused while the env file's text is unchanged. */
const resolvedCache = new WeakMap<Project, Map<string, { text: string; env: ResolvedEnv | undefined }>>();

/** Load and resolve one environment; undefined when its config has findings. */
function resolveOne(project: Project, envName: string): ResolvedEnv | undefined {
  let cache = resolvedCache.get(project);
  if (!cache) resolvedCache.set(project, (cache = new Map()));
  const file = join(project.paths.environments, `${envName}.yaml`);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // missing or unreadable: its own render reports it
  }
  const hit = cache.get(envName);
  if (hit && hit.text === text) return hit.env;
  const loaded = loadEnvironment(project.paths, envName);
  const env = loaded.ok ? resolveEnvironment(loaded.env, project.catalog, project.schemas).env : undefined;
  cache.set(envName, { text, env });
  return env;
}

/** Every other environment of the project whose config is valid (what shares an Argo CD with it). */
export function otherEnvs(project: Project, envName: string): ResolvedEnv[] {
  return listEnvironments(project.paths)
    .filter((n) => n !== envName)
    .map((n) => resolveOne(project, n))
    .filter((e): e is ResolvedEnv => e !== undefined);
}

/** Validate and plan one environment (no rendering), including the rules across environments. */
export function planOne(project: Project, envName: string): { plan?: Plan; findings: Finding[] } {
  if (project.catalogFindings.length) return { findings: project.catalogFindings };
  const loaded = loadEnvironment(project.paths, envName);
  if (!loaded.ok) return { findings: loaded.findings };
  const resolved = resolveEnvironment(loaded.env, project.catalog, project.schemas);
  if (!resolved.env) return { findings: resolved.findings.sort(compareFindings) };
  const cross = argoEnvFindings(resolved.env, otherEnvs(project, envName));
  if (cross.length) return { findings: cross.sort(compareFindings) };
  const planned = planEnvironment(resolved.env);
  return { plan: planned.plan, findings: planned.findings.sort(compareFindings) };
}

export function renderOne(project: Project, envName: string): EnvOutput {
  const { plan, findings } = planOne(project, envName);
  const files = new Map<string, string>();
  if (!plan) return { env: envName, files, findings };
  const { paths } = project;
  const facts = derive(plan);
  findings.push(...loadPartials(paths).findings);
  const local: string[] = [];
  for (const a of plan.apps) {
    const ctx = templateContext(plan, a, facts);
    let values: Record<string, unknown> | undefined;
    if (a.app.source.type === 'local') {
      const r = renderLocalComponent(paths, a.name, ctx, a.app.source.templates);
      findings.push(...r.findings);
      for (const f of r.files) files.set(f.path, f.text);
      local.push(a.name);
    } else if (a.app.source.type === 'helm' && existsSync(join(paths.overlays, a.name, 'values.yaml.hbs'))) {
      const file = `overlays/${a.name}/values.yaml.hbs`;
      const r = renderTemplate(paths, file, ctx);
      findings.push(...r.findings);
      if (r.text !== undefined) {
        const n = normalizeRenderedYaml(r.text, file);
        if (!n.ok) findings.push(...n.findings);
        else if (n.objects.length > 1 || (n.objects.length === 1 && !isPlainObject(n.objects[0]))) {
          findings.push({ file, line: 1, col: 1, path: '', message: 'Helm values must render to one mapping' });
        } else values = n.objects[0] as Record<string, unknown> | undefined;
      }
    }
    addFile(files, findings, `apps/${a.name}.yaml`, renderArgo(paths, 'application', childApplicationData(plan, a, values)));
  }
  // generated/<env>/root.yaml: what an admin applies (projects, cluster registration, root or ApplicationSet).
  const role = argoRole(plan.env, otherEnvs(project, envName));
  if (role.ownsConfigMap) addFile(files, findings, 'apps/argocd-cm.yaml', renderArgo(paths, 'argocd-cm', healthConfigData(plan, paths)));
  addFile(files, findings, 'root.yaml', renderArgo(paths, 'root', rootData(plan, role)));
  files.set(
    'kustomization.yaml',
    toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: local.sort() }]),
  );
  files.set('ARCHITECTURE.md', architectureMarkdown(plan));
  return { env: envName, plan, files: sortFiles(files), findings: findings.sort(compareFindings) };
}

function addFile(files: Map<string, string>, findings: Finding[], path: string, r: { text?: string; findings: Finding[] }): void {
  findings.push(...r.findings);
  if (r.text !== undefined) files.set(path, r.text);
}

function sortFiles(files: Map<string, string>): Map<string, string> {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
