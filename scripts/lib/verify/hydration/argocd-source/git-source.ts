/**
 * Hydrate a git source from a plain tree (the chart mirror's `git/<host>/<owner>/<repo>/<rev>/`,
 * or the same layout under the cache dir). The app type follows Argo CD's discovery
 * (argo-cd v3.3.14 util/app/discovery/discovery.go, util/kustomize/kustomize.go): a file in the app
 * path named `kustomization.yaml`, `kustomization.yml` or `Kustomization` makes it kustomize, a name
 * ending in `Chart.yaml` makes it helm (the later one in lexical order wins), else a directory.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { findKustomize } from '../../../tools/kustomize.ts';
import { noNetworkEnv } from '../../../tools/no-network.ts';
import { scanSourceTree } from '../source-inputs/index.ts';
import type { ApplicationSource } from './app-source.ts';
import { isDir, isLink, mirrorGitPath } from './chart-mirror.ts';
import { directoryManifests } from './directory.ts';
import type { HydrateResult, HydratedObject } from './hydrated.ts';
import { findHelm } from '../../../tools/helm.ts';
import { runTool } from '../../../tools/run-tool.ts';
import { helmTemplate, parseManifests } from './template.ts';

type GitSource = Extract<ApplicationSource, { kind: 'git' }>;

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export type GitAppType = 'Kustomize' | 'Helm' | 'Directory';

export async function gitAppType(appPath: string): Promise<GitAppType> {
  let type: GitAppType = 'Directory';
  for (const name of (await readdir(appPath, { withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => e.name).sort()) {
    if (name.endsWith('Chart.yaml')) type = 'Helm';
    if (KUSTOMIZATION_NAMES.has(name)) type = 'Kustomize';
  }
  return type;
}

export interface GitOptions {
  mirror?: string;
  cacheDir?: string;
  kubeVersion: string;
  apiVersions: string[];
  timeoutMs?: number;
}

/** Where the tree is: only the mirror when one is given, else `<cacheDir>/git/...`. */
export async function locateGitTree(src: GitSource, opts: GitOptions): Promise<{ root: string } | { missing: string }> {
  const base = opts.mirror ?? opts.cacheDir;
  const where = opts.mirror ? `the chart mirror ${opts.mirror}` : `the cache ${opts.cacheDir ?? '(none)'}`;
  if (!base) return { missing: `${src.repoURL}@${src.revision} needs a mirror or cache (fetching git sources is not implemented)` };
  let root: string;
  try {
    root = mirrorGitPath(base, src.repoURL, src.revision);
  } catch (err) {
    // An unparsable URL or a ".." revision: the source cannot be located, never a crash.
    return { missing: `${src.repoURL}@${src.revision}: ${(err as Error).message}` };
  }
  if (await isLink(root)) return { missing: `${src.repoURL}@${src.revision} in ${where} is a symbolic link (${root}): links are never followed` };
  return (await isDir(root)) ? { root } : { missing: `${src.repoURL}@${src.revision} is not in ${where} (expected ${root})` };
}

export async function hydrateGitSource(src: GitSource, opts: GitOptions): Promise<HydrateResult> {
  const located = await locateGitTree(src, opts);
  if ('missing' in located) return { status: 'not-hydrated', reason: located.missing };
  const appPath = path.resolve(located.root, src.path || '.');
  const rel = path.relative(located.root, appPath);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { status: 'not-hydrated', reason: `path ${src.path} leaves the repository` };
  if (!(await isDir(appPath))) return { status: 'not-hydrated', reason: `path ${src.path} is not a directory in ${located.root}` };
  const source = `git:${src.repoURL}@${src.revision}/${src.path || '.'}`;
  // Every file the build would read, read as the repository's own are: no link, size cap, bounded
  // YAML, no remote resource in a kustomization (nothing is fetched); each problem at its path.
  const top = `git:${src.repoURL}@${src.revision}`;
  const refused = scanSourceTree(appPath, located.root, (abs) => `${top}/${path.relative(located.root, abs).split(path.sep).join('/')}`);
  if (refused.length) return { status: 'refused', reason: `${refused.length} input(s) of the source refused`, findings: refused };
  const type = await gitAppType(appPath);
  if (type === 'Kustomize') {
    const k = await findKustomize();
    const args = k.args.length > 0 ? [...k.args, appPath] : ['build', appPath];
    const { stdout } = await runTool(k.cmd, args, { timeoutMs: opts.timeoutMs, env: noNetworkEnv() });
    return { status: 'hydrated', objects: parseManifests(stdout, source, src.path || '.'), tool: k.source };
  }
  if (type === 'Helm') {
    const text = await helmTemplate(appPath, { helm: src.helm, kubeVersion: opts.kubeVersion, apiVersions: opts.apiVersions }, opts);
    return { status: 'hydrated', objects: parseManifests(text, source, src.path || '.'), tool: (await findHelm(opts)).source };
  }
  const objects: HydratedObject[] = [];
  for (const f of await directoryManifests(appPath, located.root, src.directory)) {
    objects.push(...parseManifests(f.text, source, f.rel));
  }
  return { status: 'hydrated', objects, tool: 'directory (Argo CD rules)' };
}
