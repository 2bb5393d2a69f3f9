/**
 * The component catalog: apps/<component>.yaml, validated by schemas/app.schema.json.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rel, type ProjectPaths } from '../paths.ts';
import { locateIn, type ConfigSchemas } from './schema.ts';
import type { Finding, WithFindings } from '../findings.ts';
import type { CatalogAppConfig } from './schema-types/index.ts';
import { positionOf, printable, type YamlSource } from './yaml-source.ts';
import { loadYamlFile } from './yaml-file.ts';
import { didYouMean } from '../suggest.ts';
import { loadAllowedHosts, sourceHostProblem } from './hosts.ts';
import { windowsReserved } from './reserved-names.ts';
import { resolveFamilyVersions } from './family-versions.ts';
import { mcpEdgeFindings, type McpServerSpec } from './mcp-facts.ts';

/** The platform layers in dependency order (waves break ties in this order). */
export const LAYERS = ['platform', 'storage', 'observability', 'inference', 'mcp', 'agents', 'benchmarks'] as const satisfies readonly CatalogAppConfig['layer'][];
export type Layer = (typeof LAYERS)[number];
// Every layer app.schema.json allows is in LAYERS: a new one fails to compile here.
true satisfies [Exclude<CatalogAppConfig['layer'], Layer>] extends [never] ? true : never;

type SourceFields = CatalogAppConfig['source'];
/**
 * `source` by type: app.schema.json states which fields each type requires and allows with
 * if/then, which the generated (flat) type cannot express.
 */
export type AppSource =
  /** templates: take the overlay templates from overlays/_shared/<templates>/ (shared by several components). */
  | ({ type: 'local' } & Pick<SourceFields, 'templates'>)
  | ({ type: 'helm' } & Required<Pick<SourceFields, 'repoURL' | 'chart' | 'version'>> & Pick<SourceFields, 'releaseName' | 'skipCrds' | 'skipTests' | 'versionOf'>)
  | ({ type: 'git' } & Required<Pick<SourceFields, 'repoURL' | 'path' | 'targetRevision'>> & Pick<SourceFields, 'include' | 'recurse' | 'versionOf'>);

/** A catalog entry (apps/<name>.yaml) with the schema's optional lists and flags filled in. */
export interface CatalogApp extends Required<Omit<CatalogAppConfig, 'crds' | 'source' | 'podSecurity' | 'defaults' | 'talksTo' | 'mcpServer'>> {
  crds: Required<NonNullable<CatalogAppConfig['crds']>>;
  /** Network edges; towards an MCP server component the port is its mcpServer.port (mcp-facts.ts). */
  talksTo: { component: string; ports: number[] }[];
  /** The MCP server type this component runs (apps/<name>.yaml `mcpServer`). */
  mcpServer?: McpServerSpec;
  source: AppSource;
  podSecurity?: CatalogAppConfig['podSecurity'];
  defaults: Record<string, unknown>;
  /** The YAML it was read from, for error locations. */
  src: YamlSource;
}

export type Catalog = Map<string, CatalogApp>;

/** A catalog entry's exception to Pod Security "restricted" (apps/<name>.yaml `podSecurity`). */
export type PodSecurityException = NonNullable<CatalogAppConfig['podSecurity']>;

/** Folder of templates several local components share: overlays/_shared/<templates>/. */
export const SHARED_OVERLAYS = '_shared';

/** The overlay folder of a local component, relative to the project root. */
export function overlayDir(name: string, sharedTemplates?: string): string {
  return sharedTemplates ? `overlays/${SHARED_OVERLAYS}/${sharedTemplates}` : `overlays/${name}`;
}

export function loadCatalog(paths: ProjectPaths, schemas: ConfigSchemas): WithFindings<{ catalog: Catalog }> {
  const catalog: Catalog = new Map();
  const findings: Finding[] = [];
  // Apps present in apps/ but invalid, by file name, with their first finding: references to them are
  // follow-on errors of that one cause, folded into it.
  const invalid = new Map<string, Finding>();
  const entries = existsSync(paths.apps) ? readdirSync(paths.apps).sort() : [];
  // A component file elsewhere named (.yml, .YAML) would be silently left out of the catalog.
  for (const f of entries.filter((e) => /\.ya?ml$/i.test(e) && !e.endsWith('.yaml'))) {
    findings.push({ file: `apps/${printable(f)}`, line: 0, col: 0, path: '', message: `component files are read only when named <component>.yaml: rename it to ${printable(f.replace(/\.ya?ml$/i, '.yaml'))}` });
  }
  // `_`-files are the catalog's settings, not components (apps/_hosts.yaml, config/hosts.ts).
  const files = entries.filter((f) => f.endsWith('.yaml') && !f.startsWith('_'));
  for (const f of files) {
    const abs = join(paths.apps, f);
    const file = rel(paths.root, abs);
    const loaded = loadYamlFile(abs, file);
    if (!loaded.ok) {
      findings.push(...loaded.findings);
      if (loaded.findings[0]) invalid.set(f.replace(/\.yaml$/, ''), loaded.findings[0]);
      continue;
    }
    const src = loaded.value;
    const errs = schemas.validate('app.schema.json', src.data, locateIn(src));
    if (errs.length) {
      findings.push(...errs);
      invalid.set(f.replace(/\.yaml$/, ''), errs[0]!);
      continue;
    }
    // The schema just accepted it: it is a CatalogAppConfig.
    const d = src.data as unknown as CatalogAppConfig;
    if (`${d.name}.yaml` !== f) {
      const p = positionOf(src, '/name');
      findings.push({ file, line: p.line, col: p.col, path: '/name', message: `name "${d.name}" must equal the file name "${f.replace(/\.yaml$/, '')}"` });
      continue;
    }
    catalog.set(d.name, {
      name: d.name,
      description: d.description,
      layer: d.layer,
      namespace: d.namespace,
      dependsOn: d.dependsOn ?? [],
      crds: { installs: d.crds?.installs ?? [], uses: d.crds?.uses ?? [] },
      clusterResources: d.clusterResources ?? [],
      namespacedResources: d.namespacedResources ?? [],
      optional: d.optional === true,
      syncLast: d.syncLast === true,
      // The schema's if/then on source.type guarantees the fields AppSource requires (a version
      // taken from another entry, versionOf, is filled in by resolveFamilyVersions).
      source: { ...d.source } as AppSource,
      images: { ...(d.images ?? {}) },
      syncOptions: d.syncOptions ?? [],
      ignoreDifferences: d.ignoreDifferences ?? [],
      podSecurity: d.podSecurity,
      // Ports of edges towards MCP servers are filled in by mcpEdgeFindings (their mcpServer.port).
      talksTo: (d.talksTo ?? []).map((t) => ({ component: t.component, ports: t.ports ?? [] })),
      ...(d.mcpServer ? { mcpServer: d.mcpServer } : {}),
      podFlows: d.podFlows ?? [],
      egress: d.egress ?? [],
      metricsPorts: d.metricsPorts ?? [],
      exposedPorts: d.exposedPorts ?? [],
      callsApiServer: d.callsApiServer === true,
      publicCidrExceptions: d.publicCidrExceptions ?? [],
      defaults: d.defaults ?? {},
      src,
    });
  }
  findings.push(...resolveFamilyVersions(catalog, (app, pointer) => positionOf(app.src, pointer)));
  findings.push(...checkCatalog(paths, catalog, invalid));
  findings.push(...mcpEdgeFindings(catalog, (app, pointer) => positionOf(app.src, pointer)));
  return { catalog, findings };
}

/** `depends on "x", which is not in apps/`, or folded into x's own finding when x is there but invalid. */
function missingRef(catalog: Catalog, invalid: Map<string, Finding>, referrer: string, name: string, what: string): string | undefined {
  const cause = invalid.get(name);
  if (!cause) return `${what} "${name}", which is not in apps/${didYouMean(name, catalog.keys())}`;
  const m = /; (\d+) other component\(s\) depend on it and are checked once it is valid: (.*)$/.exec(cause.message);
  const names = [...new Set([...(m ? m[2]!.split(', ') : []), referrer])].sort();
  const base = m ? cause.message.slice(0, m.index) : cause.message;
  cause.message = `${base}; ${names.length} other component(s) depend on it and are checked once it is valid: ${names.join(', ')}`;
  return undefined;
}

/** Cross-file rules: references exist, local bases exist, sources are usable. */
function checkCatalog(paths: ProjectPaths, catalog: Catalog, invalid: Map<string, Finding>): Finding[] {
  const out: Finding[] = [];
  const at = (app: CatalogApp, pointer: string, message: string): void => {
    const p = positionOf(app.src, pointer);
    out.push({ file: app.src.file, line: p.line, col: p.col, path: pointer, message });
  };
  const allowed = loadAllowedHosts(paths);
  out.push(...allowed.findings);
  for (const app of catalog.values()) {
    // generated/<env>/<component>/ sits next to generated/<env>/apps/ (the child Applications) and
    // root.yaml; `root` is also the component label of the app of apps.
    if (app.name === 'apps' || app.name === 'root') at(app, '/name', `component name "${app.name}" collides with generated/<env>/${app.name === 'apps' ? 'apps/ (the child Applications of every env)' : 'root.yaml and the app of apps (component label root)'}; choose another name`);
    if (windowsReserved(app.name)) at(app, '/name', `component name "${app.name}" is a reserved device name on Windows: apps/${app.name}.yaml and generated/<env>/${app.name}/ could not be checked out there`);
    app.dependsOn.forEach((dep, i) => {
      const missing = catalog.has(dep) ? undefined : missingRef(catalog, invalid, app.name, dep, 'depends on');
      if (missing) at(app, `/dependsOn/${i}`, missing);
      if (dep === app.name) at(app, `/dependsOn/${i}`, 'a component cannot depend on itself');
    });
    app.talksTo.forEach((t, i) => {
      const missing = catalog.has(t.component) ? undefined : missingRef(catalog, invalid, app.name, t.component, 'talks to');
      if (missing) at(app, `/talksTo/${i}/component`, missing);
    });
    if (app.source.type === 'local') {
      const hasBase = existsSync(join(paths.base, app.name));
      const shared = app.source.templates;
      const hasOverlay = existsSync(join(paths.root, overlayDir(app.name, shared)));
      if (shared && !hasOverlay) at(app, '/source/templates', `${overlayDir(app.name, shared)}/ does not exist`);
      else if (!hasBase && !hasOverlay) at(app, '/source', `local component needs base/${app.name}/ or overlays/${app.name}/`);
      if (hasBase && !existsSync(join(paths.base, app.name, 'kustomization.yaml'))) {
        at(app, '/source', `base/${app.name}/ has no kustomization.yaml`);
      }
    } else {
      if (app.source.type === 'git' && !app.source.repoURL.startsWith('https://')) at(app, '/source/repoURL', 'git sources must use an https:// URL');
      const problem = sourceHostProblem(app.source.repoURL, allowed.hosts);
      if (problem) at(app, '/source/repoURL', problem);
    }
  }
  return out;
}
