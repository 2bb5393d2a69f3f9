/**
 * Local chart cache, keyed by (repoURL, chart, version):
 *   <cacheDir>/<repo-slug>-<hash8>/<chart>-<version>.tgz
 * and rendered output keyed by sha256(chart .tgz) + sha256(template inputs) + kube version:
 *   <cacheDir>/rendered/<tgz sha>-<inputs sha>-<kube>.yaml
 * so a warm run spawns no helm. Charts are fetched (`helm pull`) only when asked to. Rendered and
 * parsed entries are used only once they passed their check (cache-entry.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from '../../../cache-dir.ts';
import { readEntry, readJsonEntry, writeEntry } from '../../../cache-entry.ts';
import { runHelm } from '../../../tools/helm.ts';
import { guardConnection } from './network-guard.ts';
import { isFile, isLink, mirrorChartPath } from './chart-mirror.ts';
import { helmTemplate, normalizeKubeVersion, type TemplateInput } from './template.ts';

/** `<repo>/node_modules/.cache/catalyst/charts`. */
export function defaultChartCacheDir(): string {
  return cacheDir('charts');
}

export interface ChartRef {
  repoURL: string;
  /** OCI: `repoURL` is `oci://host/path` (with `chart`) or `oci://host/path/<chart>` (the OCI source form). */
  oci: boolean;
  chart: string;
  version: string;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function chartCachePath(cacheDir: string, ref: ChartRef): string {
  const slug = ref.repoURL.replace(/^[a-z]+:\/\//, '').replace(/[^\w.-]+/g, '_').slice(0, 80);
  const key = sha256(`${ref.repoURL}\0${ref.chart}\0${ref.version}`).slice(0, 8);
  // The name is one file name whatever the chart and version say (no `/`, no `..` path).
  return path.join(cacheDir, `${slug}-${key}`, `${ref.chart}-${ref.version}.tgz`.replace(/[/\\]/g, '_').replace(/^\.+/, '_'));
}

/** The `helm pull` arguments Argo CD uses (util/helm/cmd.go Fetch / PullOCI), minus credentials. */
export function pullArgs(ref: ChartRef, destination: string): string[] {
  if (!ref.oci) return ['pull', '--destination', destination, '--version', ref.version, '--repo', ref.repoURL, ref.chart];
  const base = ref.repoURL.replace(/\/+$/, '');
  const url = base.endsWith(`/${ref.chart}`) ? base : `${base}/${ref.chart}`;
  return ['pull', url, '--version', ref.version, '--destination', destination];
}

/** `helm pull` into the cache; returns the cached .tgz. */
export async function fetchChart(ref: ChartRef, cacheDir: string, opts: { timeoutMs?: number; allowedHosts?: ReadonlyMap<string, number>; connectGuard?: ConnectGuard } = {}): Promise<string> {
  await (opts.connectGuard ?? ((url: string) => guardConnection(url, opts.allowedHosts)))(ref.repoURL);
  const target = chartCachePath(cacheDir, ref);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = await mkdtemp(path.join(path.dirname(target), '.pull-'));
  try {
    await runHelm(pullArgs(ref, tmp), opts);
    const tgz = (await readdir(tmp)).filter((f) => f.endsWith('.tgz'));
    if (tgz.length !== 1 || !tgz[0]) throw new Error(`helm pull of ${ref.chart} ${ref.version} left ${tgz.length} .tgz files`);
    await rename(path.join(tmp, tgz[0]), target);
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface LocateOptions {
  mirror?: string;
  cacheDir?: string;
  fetch?: boolean;
  timeoutMs?: number;
  /** The hosts a fetch may connect to (apps/_hosts.yaml); without it nothing is fetched. */
  allowedHosts?: ReadonlyMap<string, number>;
  /** Replaces the check before a connection (network-guard.ts); only code passes it (a test serving charts on 127.0.0.1), never a flag or variable. */
  connectGuard?: ConnectGuard;
}

export type ConnectGuard = (url: string) => Promise<void>;

/** The chart's .tgz from the mirror (only), else the cache, else `helm pull` when `fetch`. */
export async function locateChart(ref: ChartRef, opts: LocateOptions): Promise<{ path: string } | { missing: string }> {
  const name = `${ref.chart}-${ref.version}.tgz`;
  if (opts.mirror) {
    let p: string;
    try {
      p = mirrorChartPath(opts.mirror, ref.chart, ref.version);
    } catch (err) {
      return { missing: (err as Error).message };
    }
    if (await isLink(p)) return { missing: `${name} in the chart mirror ${opts.mirror} is a symbolic link: links are never followed` };
    return (await isFile(p)) ? { path: p } : { missing: `${name} is not in the chart mirror ${opts.mirror}` };
  }
  const cacheDir = opts.cacheDir ?? defaultChartCacheDir();
  const cached = chartCachePath(cacheDir, ref);
  if (await isLink(cached)) return { missing: `${name} in the chart cache ${cacheDir} is a symbolic link: links are never followed` };
  if (await isFile(cached)) return { path: cached };
  if (!opts.fetch) return { missing: `${name} from ${ref.repoURL} is not in the chart cache ${cacheDir} (fetching was not asked for)` };
  return { path: await fetchChart(ref, cacheDir, opts) };
}

/** Render a packaged chart, reusing a previous rendering of the same bytes, inputs and kube version. */
export async function renderChartCached(
  tgz: string,
  input: TemplateInput,
  opts: { cacheDir?: string; timeoutMs?: number },
): Promise<{ text: string; cached: boolean; file: string }> {
  const kube = normalizeKubeVersion(input.helm.kubeVersion ?? input.kubeVersion);
  const inputs = JSON.stringify({ helm: { ...input.helm, kubeVersion: undefined }, apiVersions: input.helm.apiVersions ?? input.apiVersions });
  const name = `${sha256(await readFile(tgz))}-${sha256(inputs)}-${kube}`;
  const file = path.join(opts.cacheDir ?? defaultChartCacheDir(), 'rendered', `${name}.yaml`);
  const hit = readEntry(file, name);
  if (hit !== undefined) return { text: hit, cached: true, file };
  const text = await helmTemplate(tgz, input, opts);
  writeEntry(file, name, text);
  return { text, cached: false, file };
}

/**
 * The objects of a cached rendering, parsed once: kept as JSON next to it
 * (`<rendered>.<sha8 of source and file>.json`), since parsing YAML dominates a warm run.
 */
export async function parsedCached<T>(renderedFile: string, tag: string, parse: () => T): Promise<T> {
  const file = `${renderedFile}.${sha256(tag).slice(0, 8)}.json`;
  const inputs = `${path.basename(renderedFile)}\0${tag}`;
  const hit = readJsonEntry<T>(file, inputs);
  if (hit !== undefined) return hit;
  const value = parse();
  writeEntry(file, inputs, JSON.stringify(value));
  return value;
}
