/**
 * Read an argoproj.io/v1alpha1 Application's `spec.source` into what hydration needs, with Argo CD
 * 3.3's defaults (argo-cd v3.3.14 reposerver/repository/repository.go `helmTemplate`,
 * pkg/apis/application/v1alpha1/types.go and values.go):
 * - release name: `helm.releaseName`, else the Application's name;
 * - namespace: `helm.namespace`, else `spec.destination.namespace`;
 * - values: `helm.valuesObject` when set (then `helm.values` is ignored), else the `helm.values` string;
 * - kube version / API versions: `helm.kubeVersion` / `helm.apiVersions` override the caller's.
 */
import { stringify } from 'yaml';
import type { K8sObject } from '../../../findings.ts';

export interface HelmParameter {
  name: string;
  value: string;
  forceString: boolean;
}

export interface HelmSettings {
  releaseName: string;
  namespace: string;
  /** YAML text for the one extra `--values` file, '' when there are no inline values. */
  valuesYaml: string;
  parameters: HelmParameter[];
  skipCrds: boolean;
  skipTests: boolean;
  skipSchemaValidation: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface DirectorySettings {
  recurse: boolean;
  include: string;
  exclude: string;
}

export type ApplicationSource =
  | { kind: 'helm'; repoURL: string; oci: boolean; chart: string; version: string; helm: HelmSettings }
  | { kind: 'git'; repoURL: string; revision: string; path: string; directory: DirectorySettings; helm: HelmSettings }
  | { kind: 'local'; repoURL: string; path: string }
  | { kind: 'unsupported'; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `https://github.com/a/b.git/` and `https://GitHub.com/a/b` compare equal. */
export function normalizeRepoURL(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

function helmSettings(app: K8sObject, spec: Obj, helm: Obj): HelmSettings | string {
  for (const unsupported of ['valueFiles', 'fileParameters'] as const) {
    const v = helm[unsupported];
    if (Array.isArray(v) && v.length > 0) return `spec.source.helm.${unsupported} is not supported yet`;
  }
  const params: HelmParameter[] = [];
  for (const p of Array.isArray(helm.parameters) ? helm.parameters : []) {
    if (!isObj(p) || !str(p.name)) return 'spec.source.helm.parameters has an entry without a name';
    params.push({ name: str(p.name), value: str(p.value), forceString: p.forceString === true });
  }
  // Argo CD ranges over a Go map (random order); sort so the command line is stable.
  params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let valuesYaml = '';
  if (helm.valuesObject !== undefined && helm.valuesObject !== null) {
    if (!isObj(helm.valuesObject)) return 'spec.source.helm.valuesObject is not a mapping';
    valuesYaml = stringify(helm.valuesObject);
  } else if (typeof helm.values === 'string') {
    valuesYaml = helm.values;
  }
  const dest = isObj(spec.destination) ? spec.destination : {};
  const apiVersions = Array.isArray(helm.apiVersions) ? helm.apiVersions.map(str).filter(Boolean) : [];
  return {
    releaseName: str(helm.releaseName) || app.metadata.name || '',
    namespace: str(helm.namespace) || str(dest.namespace),
    valuesYaml,
    parameters: params,
    skipCrds: helm.skipCrds === true,
    skipTests: helm.skipTests === true,
    skipSchemaValidation: helm.skipSchemaValidation === true,
    ...(str(helm.kubeVersion) ? { kubeVersion: str(helm.kubeVersion) } : {}),
    ...(apiVersions.length > 0 ? { apiVersions } : {}),
  };
}

export interface ReadSourceOptions {
  /** This project's own repository: its sources are `local` (rendered by the caller, not here). */
  projectRepoURL?: string;
}

/** Classify `spec.source`. Without `projectRepoURL`, a git path under `generated/` counts as local. */
export function readAppSource(app: K8sObject, opts: ReadSourceOptions = {}): ApplicationSource {
  const spec = isObj(app.spec) ? app.spec : {};
  if (spec.sources !== undefined) return { kind: 'unsupported', reason: 'spec.sources (multiple sources) is not supported yet' };
  const src = spec.source;
  if (!isObj(src)) return { kind: 'unsupported', reason: 'the Application has no spec.source' };
  if (src.plugin !== undefined) return { kind: 'unsupported', reason: 'config management plugins are not supported' };
  const repoURL = str(src.repoURL);
  const revision = str(src.targetRevision);
  const chart = str(src.chart);
  const path = str(src.path);
  if (!repoURL) return { kind: 'unsupported', reason: 'spec.source.repoURL is empty' };
  const helm = helmSettings(app, spec, isObj(src.helm) ? src.helm : {});
  if (typeof helm === 'string') return { kind: 'unsupported', reason: helm };
  const oci = repoURL.startsWith('oci://');
  if (chart || oci) {
    if (!revision) return { kind: 'unsupported', reason: 'a chart source needs spec.source.targetRevision (the chart version)' };
    if (chart) return { kind: 'helm', repoURL, oci, chart, version: revision, helm };
    // Argo CD 3.x OCI source: the artifact is the chart; `path: .` selects its root.
    if (path !== '.' && path !== '') return { kind: 'unsupported', reason: `OCI source with path ${path} (only "." is supported)` };
    const name = repoURL.replace(/\/+$/, '').split('/').pop() ?? '';
    return { kind: 'helm', repoURL, oci, chart: name, version: revision, helm };
  }
  const local = opts.projectRepoURL
    ? normalizeRepoURL(opts.projectRepoURL) === normalizeRepoURL(repoURL)
    : path === 'generated' || path.startsWith('generated/');
  if (local) return { kind: 'local', repoURL, path };
  if (isObj(src.kustomize)) return { kind: 'unsupported', reason: 'spec.source.kustomize options are not supported yet' };
  if (isObj(src.directory) && src.directory.jsonnet !== undefined && isObj(src.directory.jsonnet) && Object.keys(src.directory.jsonnet).length > 0) {
    return { kind: 'unsupported', reason: 'spec.source.directory.jsonnet is not supported' };
  }
  const dir = isObj(src.directory) ? src.directory : {};
  return {
    kind: 'git',
    repoURL,
    revision: revision || 'HEAD',
    path,
    directory: { recurse: dir.recurse === true, include: str(dir.include), exclude: str(dir.exclude) },
    helm,
  };
}
