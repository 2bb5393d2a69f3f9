/**
 * Hydrate an environment with the real kustomize: the rendered tree is laid out in a temp
 * dir (never in the working tree) next to a link to base/, and built once over the
 * aggregate kustomization.
 *
 * The output is content-addressed: the key is sha256 over the rendered files of the env, every
 * file under base/ and the kustomize version, and the build output is kept in
 * `node_modules/.cache/catalyst/kustomize/<key>.yaml` of this tool (or `$CATALYST_CACHE_DIR/kustomize`),
 * so an unchanged env costs no kustomize run on a warm `check`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultChartCacheDir } from './platform/index.ts';
import { parseAllDocuments } from 'yaml';
import { findKustomize, kustomizeBuild } from '../tools/kustomize.ts';
import { isPlainObject } from '../config/merge.ts';
import type { ProjectPaths } from '../paths.ts';
import { UsageError, type K8sObject } from '../findings.ts';
import { KustomizeBuildError, kustomizeErrorFinding } from './kustomize-errors.ts';

/** `$CATALYST_CACHE_DIR/<what>`, else `node_modules/.cache/catalyst/<what>` next to this tool. */
export function cacheDir(what: 'charts' | 'kustomize'): string {
  const base = process.env.CATALYST_CACHE_DIR;
  return base ? resolve(base, what) : join(dirname(defaultChartCacheDir()), what);
}

/** Every file under `dir` (sorted, relative), hashed with its content into `h`. */
function hashTree(h: ReturnType<typeof createHash>, dir: string, prefix: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) hashTree(h, abs, `${prefix}${e.name}/`);
    else if (e.isFile()) h.update(`${prefix}${e.name}\0`).update(readFileSync(abs)).update('\0');
  }
}

/** The cache key of one env's build. */
export async function kustomizeCacheKey(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<string> {
  const h = createHash('sha256');
  h.update(`env ${env}\0`);
  h.update(`kustomize ${(await findKustomize()).version}\0`);
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`generated/${path}\0${text}\0`);
  hashTree(h, paths.base, 'base/');
  return h.digest('hex');
}

async function build(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<string> {
  const temp = mkdtempSync(join(tmpdir(), 'catalyst-check-'));
  try {
    symlinkSync(paths.base, join(temp, 'base'), 'dir');
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
  const file = join(cacheDir('kustomize'), `${key}.yaml`);
  let out: string;
  try {
    out = readFileSync(file, 'utf8');
  } catch {
    out = await build(paths, env, files);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, out);
      renameSync(tmp, file);
    } catch {
      // A read-only cache only costs speed.
    }
  }
  return parseAllDocuments(out)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is K8sObject => isPlainObject(o));
}
