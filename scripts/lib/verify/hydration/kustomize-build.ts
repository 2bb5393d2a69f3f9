/**
 * Hydrate an environment with the real kustomize: the rendered tree is laid out in a temp
 * dir (never in the working tree) next to a link to apps/ (where each component's base/ is), and
 * built once over the aggregate kustomization.
 *
 * The output is content-addressed: the key is sha256 over the rendered files of the env, every
 * file under apps/<component>/base/ and the kustomize version, and the build output is kept in
 * `<cache>/kustomize/<key>.json` (cache-dir.ts) as the parsed objects,
 * so an unchanged env costs no kustomize run on a warm `check`. An entry is used only once it passed
 * its check (cache-entry.ts) and holds a list of objects; anything else builds again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheDir } from '../../cache-dir.ts';
import { readJsonEntry, writeEntry } from '../../cache-entry.ts';
import { hashTree } from '../../fs/tree-hash.ts';
import { exactJson } from '../../json-exact.ts';
import { parseAllDocuments } from 'yaml';
import { findKustomize, kustomizeBuild } from '../../tools/kustomize.ts';
import { isPlainObject } from '../../config/merge.ts';
import { COMPONENTS_DIR, componentBase, type ProjectPaths } from '../../paths.ts';
import { UsageError, type K8sObject } from '../../findings.ts';
import { KustomizeBuildError, kustomizeErrorFinding } from './kustomize-errors.ts';
import { renderedRemoteFindings, scanSourceTree } from './source-inputs/index.ts';
import { rel } from '../../paths.ts';


/** The cache key of one env's build. */
export async function kustomizeCacheKey(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<string> {
  const h = createHash('sha256');
  h.update(`env ${env}\0`);
  h.update(`kustomize ${(await findKustomize()).version}\0`);
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`generated/${path}\0${text}\0`);
  for (const c of componentBases(paths)) hashTree(h, join(paths.root, componentBase(c)), `${componentBase(c)}/`);
  return h.digest('hex');
}

/** The components that have a kustomize base (apps/<name>/base/), sorted. */
function componentBases(paths: ProjectPaths): string[] {
  if (!existsSync(paths.apps)) return [];
  return readdirSync(paths.apps, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(paths.root, componentBase(e.name))))
    .map((e) => e.name)
    .sort();
}

async function build(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<string> {
  const temp = mkdtempSync(join(tmpdir(), 'catalyst-check-'));
  try {
    symlinkSync(paths.apps, join(temp, COMPONENTS_DIR), 'dir');
    const envDir = join(temp, 'generated', env);
    for (const [path, text] of files) {
      const abs = join(envDir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    try {
      return await kustomizeBuild(envDir);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new KustomizeBuildError(kustomizeErrorFinding(paths.root, temp, env, err instanceof Error ? err.message : String(err)));
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

export async function hydrate(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<K8sObject[]> {
  const key = await kustomizeCacheKey(paths, env, files);
  const file = join(cacheDir('kustomize'), `${key}.json`);
  const hit = readJsonEntry<K8sObject[]>(file, key, (v) => Array.isArray(v) && v.every(isPlainObject));
  if (hit) return hit;
  // Before kustomize runs: no remote resource, no link, no oversized file in what it would read.
  const refused = [...renderedRemoteFindings(env, files), ...componentBases(paths).flatMap((c) => scanSourceTree(join(paths.root, componentBase(c)), paths.apps, (abs) => rel(paths.root, abs)))];
  if (refused.length) throw new KustomizeBuildError(refused[0]!, refused.slice(1));
  const objects = parseAllDocuments(await build(paths, env, files))
    .map((d) => d.toJS() as unknown)
    .filter((o): o is K8sObject => isPlainObject(o));
  // Kept as JSON (parsing it is ten times faster than YAML), unless a value would not survive
  // JSON (an infinite or NaN float): then the next run builds again.
  const json = exactJson(objects);
  if (json === undefined) return objects;
  writeEntry(file, key, json);
  return objects;
}
