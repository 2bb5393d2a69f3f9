/**
 * `helm template` the way Argo CD 3.3 runs it (argo-cd v3.3.14 util/helm/cmd.go `template`):
 *   helm template <chart> --name-template <release> [--namespace <ns>] [--kube-version <v>]
 *     [--set k=v]… [--set-string k=v]… [--values <inline values file>] [--api-versions <gv>]…
 *     [--include-crds unless skipCrds] [--skip-schema-validation] [--skip-tests]
 * Argo CD runs it in the unpacked chart with `.`; a packaged .tgz renders the same.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../../findings.ts';
import type { HelmSettings } from './app-source.ts';
import { runHelm } from '../../../tools/helm.ts';
import { noNetworkEnv } from '../../../tools/no-network.ts';
import { SourceInputError, type HydratedObject } from './hydrated.ts';

/** Argo CD's parseKubeVersion: k8s ParseGeneric(...).String(), e.g. `v1.35.2+k3s1` -> `1.35.2`. */
export function normalizeKubeVersion(v: string): string {
  const m = /^\s*v?(\d+(?:\.\d+)+)/.exec(v);
  if (!m?.[1]) throw new Error(`could not parse kubernetes version ${JSON.stringify(v)}`);
  return m[1];
}

/** Argo CD's cleanSetParameters: escape unescaped commas unless the value is a `{…}` list. */
export function cleanSetValue(val: string): string {
  if (val.startsWith('{') && val.endsWith('}')) return val;
  let out = '';
  let prev = '';
  for (const ch of val) {
    out += ch === ',' && prev !== '\\' ? '\\,' : ch;
    prev = ch;
  }
  return out;
}

export interface TemplateInput {
  helm: HelmSettings;
  /** Caller's defaults; `helm.kubeVersion` / `helm.apiVersions` win when set. */
  kubeVersion: string;
  apiVersions: string[];
}

/** The arguments after `helm`, with `valuesFile` as the inline-values file (when there are values). */
export function templateArgs(chartPath: string, input: TemplateInput, valuesFile?: string): string[] {
  const h = input.helm;
  const args = ['template', chartPath, '--name-template', h.releaseName];
  if (h.namespace) args.push('--namespace', h.namespace);
  const kube = h.kubeVersion ?? input.kubeVersion;
  if (kube) args.push('--kube-version', normalizeKubeVersion(kube));
  for (const p of h.parameters) if (!p.forceString) args.push('--set', `${p.name}=${cleanSetValue(p.value)}`);
  for (const p of h.parameters) if (p.forceString) args.push('--set-string', `${p.name}=${cleanSetValue(p.value)}`);
  if (valuesFile) args.push('--values', valuesFile);
  for (const v of h.apiVersions ?? input.apiVersions) args.push('--api-versions', v);
  if (!h.skipCrds) args.push('--include-crds');
  if (h.skipSchemaValidation) args.push('--skip-schema-validation');
  if (h.skipTests) args.push('--skip-tests');
  return args;
}

/** Run `helm template` on a chart (.tgz or directory); returns helm's stdout. */
export async function helmTemplate(chartPath: string, input: TemplateInput, opts: { timeoutMs?: number } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-helm-values-'));
  try {
    let valuesFile: string | undefined;
    if (input.helm.valuesYaml.length > 0) {
      valuesFile = path.join(dir, 'values.yaml');
      await writeFile(valuesFile, input.helm.valuesYaml);
    }
    // helm template of an archive or a folder never needs the network: none is given.
    return (await runHelm(templateArgs(chartPath, input, valuesFile), { ...opts, env: noNetworkEnv() })).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Split a YAML stream into objects, skipping empty documents. Each object's file is the last
 * `# Source:` comment above its document (helm output), else `defaultFile`.
 */
export function parseManifests(text: string, source: string, defaultFile: string): HydratedObject[] {
  const out: HydratedObject[] = [];
  let from = 0;
  // Lines counted incrementally: counting from 0 for each document is quadratic on big charts.
  let counted = 0;
  let lines = 1;
  for (const doc of parseAllDocuments(text)) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const head = text.slice(from, start);
    from = doc.range[2];
    const sources = [...head.matchAll(/^# Source: (.+)$/gm)];
    const file = sources.length > 0 ? (sources[sources.length - 1]?.[1] ?? defaultFile).trim() : defaultFile;
    if (doc.errors.length > 0) throw new SourceInputError(`${source}/${file}: ${(doc.errors[0]?.message ?? 'YAML error').split('\n')[0]}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // an alias bomb (yaml: "Excessive alias count indicates a resource exhaustion attack")
      throw new SourceInputError(`${source}/${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    if (value === null || value === undefined) continue;
    if (!isObj(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isObj(value.metadata)) {
      throw new SourceInputError(`${source}/${file}: a document is not a Kubernetes object (needs apiVersion, kind, metadata)`);
    }
    for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) lines++;
    counted = Math.max(counted, start);
    const line = lines;
    out.push({ object: value as unknown as K8sObject, source, file, line });
  }
  return out;
}
