/**
 * The component catalog: apps/<component>.yaml, validated by schemas/app.schema.json.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rel, type ProjectPaths } from '../paths.ts';
import { locateIn, type ConfigSchemas } from './schema.ts';
import type { Finding } from '../findings.ts';
import { loadYamlFile, positionOf, type YamlSource } from './yaml-source.ts';

export const LAYERS = ['platform', 'storage', 'observability', 'inference', 'mcp', 'agents', 'benchmarks'] as const;
export type Layer = (typeof LAYERS)[number];

export type AppSource =
  | { type: 'local' }
  | { type: 'helm'; repoURL: string; chart: string; version: string; releaseName?: string; skipCrds?: boolean }
  | { type: 'git'; repoURL: string; path: string; targetRevision: string; include?: string; recurse?: boolean };

export interface CatalogApp {
  name: string;
  description: string;
  layer: Layer;
  namespace: string;
  dependsOn: string[];
  crds: { installs: string[]; uses: string[] };
  clusterResources: { group: string; kind: string }[];
  optional: boolean;
  syncLast: boolean;
  source: AppSource;
  syncOptions: string[];
  ignoreDifferences: Record<string, unknown>[];
  podSecurity?: { level: 'baseline' | 'privileged'; reason: string };
  talksTo: { component: string; ports: number[] }[];
  egress: string[];
  metricsPorts: number[];
  exposedPorts: number[];
  callsApiServer: boolean;
  defaults: Record<string, unknown>;
  /** The YAML it was read from, for error locations. */
  src: YamlSource;
}

export type Catalog = Map<string, CatalogApp>;

export function loadCatalog(paths: ProjectPaths, schemas: ConfigSchemas): { catalog: Catalog; findings: Finding[] } {
  const catalog: Catalog = new Map();
  const findings: Finding[] = [];
  const files = existsSync(paths.apps) ? readdirSync(paths.apps).filter((f) => f.endsWith('.yaml')).sort() : [];
  for (const f of files) {
    const abs = join(paths.apps, f);
    const file = rel(paths.root, abs);
    const loaded = loadYamlFile(abs, file);
    if (!loaded.ok) {
      findings.push(...loaded.findings);
      continue;
    }
    const src = loaded.source;
    const errs = schemas.validate('app.schema.json', src.data, locateIn(src));
    if (errs.length) {
      findings.push(...errs);
      continue;
    }
    const d = src.data as Record<string, unknown> & { name: string };
    if (`${d.name}.yaml` !== f) {
      const p = positionOf(src, '/name');
      findings.push({ file, line: p.line, col: p.col, path: '/name', message: `name "${d.name}" must equal the file name "${f.replace(/\.yaml$/, '')}"` });
      continue;
    }
    const crds = (d.crds ?? {}) as { installs?: string[]; uses?: string[] };
    catalog.set(d.name, {
      name: d.name,
      description: d.description as string,
      layer: d.layer as Layer,
      namespace: d.namespace as string,
      dependsOn: (d.dependsOn as string[] | undefined) ?? [],
      crds: { installs: crds.installs ?? [], uses: crds.uses ?? [] },
      clusterResources: (d.clusterResources as CatalogApp['clusterResources'] | undefined) ?? [],
      optional: d.optional === true,
      syncLast: d.syncLast === true,
      source: d.source as AppSource,
      syncOptions: (d.syncOptions as string[] | undefined) ?? [],
      ignoreDifferences: (d.ignoreDifferences as Record<string, unknown>[] | undefined) ?? [],
      podSecurity: d.podSecurity as CatalogApp['podSecurity'],
      talksTo: (d.talksTo as CatalogApp['talksTo'] | undefined) ?? [],
      egress: (d.egress as string[] | undefined) ?? [],
      metricsPorts: (d.metricsPorts as number[] | undefined) ?? [],
      exposedPorts: (d.exposedPorts as number[] | undefined) ?? [],
      callsApiServer: d.callsApiServer === true,
      defaults: (d.defaults as Record<string, unknown> | undefined) ?? {},
      src,
    });
  }
  findings.push(...checkCatalog(paths, catalog));
  return { catalog, findings };
}

/** Cross-file rules: references exist, local bases exist, sources are usable. */
function checkCatalog(paths: ProjectPaths, catalog: Catalog): Finding[] {
  const out: Finding[] = [];
  const at = (app: CatalogApp, pointer: string, message: string): void => {
    const p = positionOf(app.src, pointer);
    out.push({ file: app.src.file, line: p.line, col: p.col, path: pointer, message });
  };
  for (const app of catalog.values()) {
    app.dependsOn.forEach((dep, i) => {
      if (!catalog.has(dep)) at(app, `/dependsOn/${i}`, `depends on "${dep}", which is not in apps/`);
      if (dep === app.name) at(app, `/dependsOn/${i}`, 'a component cannot depend on itself');
    });
    app.talksTo.forEach((t, i) => {
      if (!catalog.has(t.component)) at(app, `/talksTo/${i}/component`, `talks to "${t.component}", which is not in apps/`);
    });
    if (app.source.type === 'local') {
      const hasBase = existsSync(join(paths.base, app.name));
      const hasOverlay = existsSync(join(paths.overlays, app.name));
      if (!hasBase && !hasOverlay) at(app, '/source', `local component needs base/${app.name}/ or overlays/${app.name}/`);
      if (hasBase && !existsSync(join(paths.base, app.name, 'kustomization.yaml'))) {
        at(app, '/source', `base/${app.name}/ has no kustomization.yaml`);
      }
    } else if (app.source.type === 'git' && !app.source.repoURL.startsWith('https://')) {
      at(app, '/source/repoURL', 'git sources must use an https:// URL');
    }
  }
  return out;
}
