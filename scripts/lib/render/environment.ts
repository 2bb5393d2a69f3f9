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
import { argoEnvFindings, type UnresolvedPeer } from '../config/cross-env.ts';
import { envRenderKey, loadEnvRender, saveEnvRender } from './env-cache.ts';
import type { ResolvedEnv } from '../config/environment.ts';
import { architectureMarkdown } from './docs.ts';
import { collectPrerequisites, peerRoles } from './prerequisites/collect.ts';
import { prerequisitesMarkdown } from './prerequisites/markdown.ts';
import { listEnvironments, loadEnvironment } from '../config/load.ts';
import { isPlainObject } from '../config/merge.ts';
import { disabledSettingsWarnings } from '../config/disabled-settings.ts';
import { toYaml, normalizeRenderedYaml } from './yaml-out.ts';
import { planEnvironment, type Plan } from '../plan/plan.ts';
import { componentOverlays, type ProjectPaths } from '../paths.ts';
import { renderLocalComponent, renderTemplate } from './component.ts';
import { loadPartials } from './partials.ts';
import { resolveEnvironment } from '../config/resolve.ts';
import { ConfigSchemas } from '../config/schema.ts';
import { MCP_SERVER_SETTINGS } from '../config/mcp-facts.ts';
import { compareFindings, failed, type Finding, type Result, type WithFindings } from '../findings.ts';

/** Everything loaded once and shared by all environments. */
export interface Project {
  paths: ProjectPaths;
  schemas: ConfigSchemas;
  catalog: Catalog;
  catalogFindings: Finding[];
}

export function loadProject(paths: ProjectPaths): Project {
  let schemas = new ConfigSchemas(paths.schemas);
  const { catalog, findings } = loadCatalog(paths, schemas);
  // An MCP server component declared only as data takes the MCP server settings (mcp-facts.ts).
  // (A folder the schema only knows through its on/off toggle counts as not listed.)
  const listed = new Set(schemas.componentNames().filter((n) => !schemas.toggleOnly.has(n)));
  const extra = Object.fromEntries([...catalog.values()].filter((a) => a.mcpServer && !listed.has(a.name)).map((a) => [a.name, MCP_SERVER_SETTINGS]));
  if (Object.keys(extra).length) schemas = new ConfigSchemas(paths.schemas, extra);
  return { paths, schemas, catalog, catalogFindings: findings };
}

/** One environment rendered: its files, with the findings of the config and the templates (no plan when the config has errors). */
export type EnvOutput = WithFindings<{
  env: string;
  plan?: Plan;
  /** Rendered files keyed by their path under generated/<env>/. */
  files: Map<string, string>;
  /** The objects of each rendered overlay file, as parsed while rendering (by the same path). */
  objects?: Map<string, unknown[]>;
}>;

type Resolved = Result<ResolvedEnv>;
/** A resolved env and the text of every file of its `extends` chain when it was loaded. */
type Entry = { chain: [string, string][]; resolved: Resolved };

/** Resolved envs by project and name, reused while no file of their `extends` chain changes. */
const resolvedCache = new WeakMap<Project, Map<string, Entry>>();

const readOr = (abs: string): string | undefined => {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Load and resolve one environment (its findings when its config has any). Each env is resolved
 * once per project and run, whether as the env being rendered or as another env sharing its
 * Argo CD; an env that does not load is never kept (its findings are computed each time).
 */
function resolveOne(project: Project, envName: string): Resolved {
  let cache = resolvedCache.get(project);
  if (!cache) resolvedCache.set(project, (cache = new Map()));
  const hit = cache.get(envName);
  if (hit && hit.chain.every(([abs, text]) => readOr(abs) === text)) return hit.resolved;
  const loaded = loadEnvironment(project.paths, envName);
  if (!loaded.ok) return loaded;
  const resolved = resolveEnvironment(loaded.value, project.catalog, project.schemas);
  const chain = loaded.value.sources.map((src): [string, string] => {
    const abs = join(project.paths.root, src.file);
    return [abs, readOr(abs) ?? ''];
  });
  // Both name.yaml and name.yml would be an error: only a single env file is kept.
  if (!existsSync(join(project.paths.environments, `${envName}.yml`))) cache.set(envName, { chain, resolved });
  return resolved;
}

/** Every other environment of the project whose config is valid (what shares an Argo CD with it). */
export function otherEnvs(project: Project, envName: string): ResolvedEnv[] {
  return listEnvironments(project.paths)
    .filter((n) => n !== envName)
    .map((n) => resolveOne(project, n))
    .flatMap((r) => (r.ok ? [r.value] : []));
}

/** The other environments whose config does not resolve, with argocd.instance when their files load. */
export function unresolvedEnvs(project: Project, envName: string): UnresolvedPeer[] {
  return listEnvironments(project.paths)
    .filter((n) => n !== envName && !resolveOne(project, n).ok)
    .map((n) => {
      const loaded = loadEnvironment(project.paths, n);
      const argocd = loaded.ok ? loaded.value.data.argocd : undefined;
      const instance = isPlainObject(argocd) ? (typeof argocd.instance === 'string' ? argocd.instance : argocd.instance === undefined ? n : undefined) : undefined;
      return { name: n, instance };
    });
}

/**
 * The warnings of one env's config: what does not stop it rendering but does nothing (settings of
 * a disabled component). Every command that loads the config reports them (deduplicated, so a
 * setting in a shared file shows once); none when the env does not resolve (its errors say why).
 */
export function configWarnings(project: Project, envName: string): Finding[] {
  const resolved = resolveOne(project, envName);
  if (!resolved.ok) return [];
  const loaded = loadEnvironment(project.paths, envName);
  return loaded.ok ? disabledSettingsWarnings(resolved.value, loaded.value.data) : [];
}

/** Validate and plan one environment (no rendering), including the rules across environments. */
export function planOne(project: Project, envName: string): Result<Plan> {
  if (project.catalogFindings.length) return failed(project.catalogFindings);
  const resolved = resolveOne(project, envName);
  if (!resolved.ok) return failed([...resolved.findings].sort(compareFindings));
  const cross = argoEnvFindings(resolved.value, otherEnvs(project, envName), unresolvedEnvs(project, envName));
  if (cross.length) return failed(cross.sort(compareFindings));
  const planned = planEnvironment(resolved.value);
  return planned.ok ? planned : failed(planned.findings.sort(compareFindings));
}

export function renderOne(project: Project, envName: string): EnvOutput {
  const planned = planOne(project, envName);
  const files = new Map<string, string>();
  const objects = new Map<string, unknown[]>();
  if (!planned.ok) return { env: envName, files, findings: planned.findings };
  const plan = planned.value;
  const { paths } = project;
  const role = argoRole(plan.env, otherEnvs(project, envName));
  const key = envRenderKey(project, paths, plan.env, role.peers);
  const hit = key ? loadEnvRender(key) : undefined;
  if (hit) return { env: envName, plan, files: hit.files, objects: hit.objects, findings: [] };
  const findings: Finding[] = [];
  const facts = derive(plan);
  findings.push(...loadPartials(paths).findings);
  const local: string[] = [];
  for (const a of plan.apps) {
    const ctx = templateContext(plan, a, facts);
    let values: Record<string, unknown> | undefined;
    if (a.app.source.type === 'local') {
      const r = renderLocalComponent(paths, a.name, ctx, a.app.source.templates);
      findings.push(...r.findings);
      for (const f of r.files) {
        files.set(f.path, f.text);
        if (f.objects) objects.set(f.path, f.objects);
      }
      local.push(a.name);
    } else if (a.app.source.type === 'helm' && existsSync(join(paths.root, componentOverlays(a.name), 'values.yaml.hbs'))) {
      const file = `${componentOverlays(a.name)}/values.yaml.hbs`;
      const r = renderTemplate(paths, file, ctx);
      const n = r.ok ? normalizeRenderedYaml(r.value, file) : r;
      if (!n.ok) findings.push(...n.findings);
      else if (n.value.objects.length > 1 || (n.value.objects.length === 1 && !isPlainObject(n.value.objects[0]))) {
        findings.push({ file, line: 1, col: 1, path: '', message: 'Helm values must render to one mapping' });
      } else values = n.value.objects[0] as Record<string, unknown> | undefined;
    }
    addFile(files, findings, `apps/${a.name}.yaml`, renderArgo(paths, 'application', childApplicationData(plan, a, values)));
  }
  // generated/<env>/root.yaml: what an admin applies (projects, cluster registration, root or ApplicationSet).
  // Every root.yaml also carries the argocd-cm health keys, so the admin's apply makes them
  // available before any root syncs: without them a root's waves do not wait for its children
  // (docs/SIMULATION.md, SIM004). No root syncs them (its project permits no ConfigMap,
  // argocd-root.ts): a change of base/argocd-health/ takes effect when an admin re-applies root.yaml.
  const healthCm = renderArgo(paths, 'argocd-cm', healthConfigData(plan, paths));
  const root = renderArgo(paths, 'root', rootData(plan, role));
  addFile(files, findings, 'root.yaml', root.ok && healthCm.ok ? { ok: true, value: `${root.value}---\n${healthCm.value}` } : root.ok ? healthCm : root);
  files.set(
    'kustomization.yaml',
    toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: local.sort() }]),
  );
  files.set('ARCHITECTURE.md', architectureMarkdown(plan));
  files.set('PREREQUISITES.md', prerequisitesMarkdown(collectPrerequisites(plan, files, objects, peerRoles(role.peers))));
  const sorted = sortFiles(files);
  if (key && !findings.length) saveEnvRender(key, sorted, objects);
  return { env: envName, plan, files: sorted, objects, findings: findings.sort(compareFindings) };
}

function addFile(files: Map<string, string>, findings: Finding[], path: string, r: Result<string>): void {
  if (r.ok) files.set(path, r.value);
  else findings.push(...r.findings);
}

function sortFiles(files: Map<string, string>): Map<string, string> {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
