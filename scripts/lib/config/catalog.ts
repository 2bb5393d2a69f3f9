/**
 * The component catalog: apps/<component>/app.yaml (one folder per component), validated by schemas/app.schema.json.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_FILE, COMPONENTS_DIR, componentBase, componentDir, componentOverlays, rel, type ProjectPaths } from '../paths.ts';
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

/** A catalog entry (apps/<name>/app.yaml) with the schema's optional lists and flags filled in. */
export interface CatalogApp extends Required<Omit<CatalogAppConfig, 'crds' | 'source' | 'podSecurity' | 'defaults' | 'talksTo' | 'mcpServer'>> {
  crds: Required<NonNullable<CatalogAppConfig['crds']>>;
  /** Network edges; towards an MCP server component the port is its mcpServer.port (mcp-facts.ts). */
  talksTo: { component: string; ports: number[] }[];
  /** The MCP server type this component runs (apps/<name>/app.yaml `mcpServer`). */
  mcpServer?: McpServerSpec;
  source: AppSource;
  podSecurity?: CatalogAppConfig['podSecurity'];
  defaults: Record<string, unknown>;
  /** The YAML it was read from, for error locations. */
  src: YamlSource;
}

export type Catalog = Map<string, CatalogApp>;

/** A catalog entry's exception to Pod Security "restricted" (apps/<name>/app.yaml `podSecurity`). */
export type PodSecurityException = NonNullable<CatalogAppConfig['podSecurity']>;

/** Folder of templates several local components share: overlays/_shared/<templates>/. */
export const SHARED_OVERLAYS = '_shared';

/** The template folder of a local component (apps/<name>/overlays/ or a shared one), relative to the project root. */
export function overlayDir(name: string, sharedTemplates?: string): string {
  return sharedTemplates ? `overlays/${SHARED_OVERLAYS}/${sharedTemplates}` : componentOverlays(name);
}

export function loadCatalog(paths: ProjectPaths, schemas: ConfigSchemas): WithFindings<{ catalog: Catalog }> {
  const catalog: Catalog = new Map();
  const findings: Finding[] = [];
  // Apps present in apps/ but invalid, by folder name, with their first finding: references to them are
  // follow-on errors of that one cause, folded into it.
  const invalid = new Map<string, Finding>();
  const { folders, findings: layout } = componentFolders(paths);
  findings.push(...layout);
  for (const name of folders) {
    const abs = join(paths.apps, name, COMPONENT_FILE);
    const file = rel(paths.root, abs);
    const loaded = loadYamlFile(abs, file);
    if (!loaded.ok) {
      findings.push(...loaded.findings);
      if (loaded.findings[0]) invalid.set(name, loaded.findings[0]);
      continue;
    }
    const src = loaded.value;
    const errs = schemas.validate('app.schema.json', src.data, locateIn(src));
    if (errs.length) {
      findings.push(...errs);
      invalid.set(name, errs[0]!);
      continue;
    }
    // The schema just accepted it: it is a CatalogAppConfig.
    const d = src.data as unknown as CatalogAppConfig;
    if (d.name !== name) {
      const p = positionOf(src, '/name');
      findings.push({ file, line: p.line, col: p.col, path: '/name', message: `name "${d.name}" must equal the folder name "${name}"` });
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
      ports: { ...(d.ports ?? {}) },
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

/**
 * The component folders of apps/ (sorted), with findings for what would silently be left out: a
 * catalog entry still at apps/<name>.yaml (the old layout), an entry named other than app.yaml, a folder with no
 * app.yaml, a linked folder. `_`-entries are the catalog's settings, not components
 * (apps/_hosts.yaml, config/hosts.ts).
 */
export function componentFolders(paths: ProjectPaths): WithFindings<{ folders: string[] }> {
  const folders: string[] = [];
  const findings: Finding[] = [];
  const at = (file: string, message: string): void => void findings.push({ file, line: 0, col: 0, path: '', message });
  const entries = existsSync(paths.apps) ? readdirSync(paths.apps, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : [];
  for (const e of entries) {
    const shown = `${COMPONENTS_DIR}/${printable(e.name)}`;
    if (e.name.startsWith('_')) continue;
    if (e.isSymbolicLink()) at(shown, 'is a symbolic link: only regular folders are read (links are never followed)');
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
      const stem = printable(e.name.replace(/\.ya?ml$/i, ''));
      at(shown, `a component is a folder: move it to ${COMPONENTS_DIR}/${stem}/${COMPONENT_FILE}`);
    } else if (e.isDirectory()) {
      const inside = readdirSync(join(paths.apps, e.name));
      if (inside.includes(COMPONENT_FILE)) folders.push(e.name);
      else {
        const misnamed = inside.find((f) => /^app\.ya?ml$/i.test(f));
        at(misnamed ? `${shown}/${printable(misnamed)}` : `${shown}/`, misnamed ? `component files are read only when named ${COMPONENT_FILE}: rename it to ${COMPONENT_FILE}` : `has no ${COMPONENT_FILE}: every folder of ${COMPONENTS_DIR}/ is a component (name others _<name>)`);
      }
    }
  }
  return { folders, findings };
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
    if (windowsReserved(app.name)) at(app, '/name', `component name "${app.name}" is a reserved device name on Windows: ${componentDir(app.name)}/ and generated/<env>/${app.name}/ could not be checked out there`);
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
      const hasBase = existsSync(join(paths.root, componentBase(app.name)));
      const shared = app.source.templates;
      const hasOverlay = existsSync(join(paths.root, overlayDir(app.name, shared)));
      if (shared && !hasOverlay) at(app, '/source/templates', `${overlayDir(app.name, shared)}/ does not exist`);
      else if (!hasBase && !hasOverlay) at(app, '/source', `local component needs ${componentBase(app.name)}/ or ${componentOverlays(app.name)}/`);
      if (hasBase && !existsSync(join(paths.root, componentBase(app.name), 'kustomization.yaml'))) {
        at(app, '/source', `${componentBase(app.name)}/ has no kustomization.yaml`);
      }
    } else {
      if (app.source.type === 'git' && !app.source.repoURL.startsWith('https://')) at(app, '/source/repoURL', 'git sources must use an https:// URL');
      const problem = sourceHostProblem(app.source.repoURL, allowed.hosts);
      if (problem) at(app, '/source/repoURL', problem);
    }
  }
  return out;
}

/**
 * The scope of every kind the catalog's entries declare (`clusterResources`: cluster-scoped,
 * `namespacedResources`: namespaced), as `<group>/<Kind>` -> cluster-scoped. The entries are checked
 * against the CRDs and the API server's kinds by project admission (PLAT001), so this is where the
 * scope of a custom kind whose CRD is not hydrated comes from.
 */
export function declaredScopes(apps: Iterable<Pick<CatalogApp, 'clusterResources' | 'namespacedResources'>>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const a of apps) {
    for (const r of a.namespacedResources) out.set(`${r.group}/${r.kind}`, false);
    for (const r of a.clusterResources) out.set(`${r.group}/${r.kind}`, true);
  }
  return out;
}
