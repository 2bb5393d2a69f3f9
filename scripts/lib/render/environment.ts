/**
 * One environment through the whole pipeline, in memory:
 * load -> validate config -> resolve -> plan -> render -> (files keyed by path).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '../config/catalog.ts';
import { derive } from '../derive/index.ts';
import { templateContext } from './context.ts';
import { applicationData, ARGOCD_TEMPLATES, healthConfigData, rootData } from './argocd.ts';
import { architectureMarkdown } from './docs.ts';
import { loadEnvironment } from '../config/load.ts';
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

/** Validate and plan one environment (no rendering). */
export function planOne(project: Project, envName: string): { plan?: Plan; findings: Finding[] } {
  if (project.catalogFindings.length) return { findings: project.catalogFindings };
  const loaded = loadEnvironment(project.paths, envName);
  if (!loaded.ok) return { findings: loaded.findings };
  const resolved = resolveEnvironment(loaded.env, project.catalog, project.schemas);
  if (!resolved.env) return { findings: resolved.findings.sort(compareFindings) };
  const planned = planEnvironment(resolved.env);
  return { plan: planned.plan, findings: planned.findings.sort(compareFindings) };
}

export function renderOne(project: Project, envName: string): EnvOutput {
  const { plan, findings } = planOne(project, envName);
  const files = new Map<string, string>();
  if (!plan) return { env: envName, files, findings };
  const { paths } = project;
  const facts = derive(plan);
  /** An Argo CD object from its template in overlays/_argocd/. */
  const argo = (out: string, template: string, data: object): void => {
    const file = `${ARGOCD_TEMPLATES}/${template}`;
    const r = renderTemplate(paths, file, data);
    findings.push(...r.findings);
    if (r.text === undefined) return;
    const n = normalizeRenderedYaml(r.text, file);
    if (n.ok) files.set(out, n.text);
    else findings.push(...n.findings);
  };
  findings.push(...loadPartials(paths).findings);
  const children: string[] = [];
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
    argo(`apps/${a.name}.yaml`, 'application.yaml.hbs', applicationData(plan, a, values));
    children.push(a.name);
  }
  argo('apps/argocd-cm.yaml', 'argocd-cm.yaml.hbs', healthConfigData(plan, paths));
  argo('root.yaml', 'root.yaml.hbs', rootData(plan));
  files.set(
    'kustomization.yaml',
    toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: local.sort() }]),
  );
  files.set('ARCHITECTURE.md', architectureMarkdown(plan));
  return { env: envName, plan, files: sortFiles(files), findings: findings.sort(compareFindings) };
}

function sortFiles(files: Map<string, string>): Map<string, string> {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
