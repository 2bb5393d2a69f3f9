/**
 * One environment's rendered files, kept by content (result-store.ts): the key is the code, the
 * tool's inputs (apps/, base/, overlays/, schemas/), the env's resolved config and those of the
 * envs sharing its Argo CD (the manager's root lists them all). Rendering is a pure function of
 * these, so an env whose config and peers did not change is read back instead of rendered: after
 * a change to one env, the others cost only their config resolution. Only clean renders are kept.
 */
import { createHash } from 'node:crypto';
import type { ResolvedEnv } from '../config/environment.ts';
import { loadResult, resultsCached, saveResult, stampOf } from '../result-store.ts';
import type { ProjectPaths } from '../paths.ts';

export interface StoredEnv {
  files: [string, string][];
  objects: [string, unknown[]][];
}

/** The stamp of the tool's inputs, once per loaded project (a project is reloaded when they change). */
const shared = new WeakMap<object, string>();

function sharedStamp(project: object, paths: ProjectPaths): string {
  let s = shared.get(project);
  if (s === undefined) {
    s = stampOf('env', paths, ['apps', 'base', 'overlays', 'schemas'], '').digest('hex');
    shared.set(project, s);
  }
  return s;
}

/** The key of an env's render, or undefined when results are not reused. */
export function envRenderKey(project: object, paths: ProjectPaths, env: ResolvedEnv, peers: readonly ResolvedEnv[]): string | undefined {
  if (!resultsCached()) return undefined;
  const h = createHash('sha256').update(sharedStamp(project, paths)).update('\0');
  h.update(JSON.stringify([env.name, env.file, env.config]));
  for (const p of [...peers].sort((a, b) => (a.name < b.name ? -1 : 1))) h.update('\0').update(JSON.stringify([p.name, p.file, p.config]));
  return h.digest('hex');
}

export function loadEnvRender(key: string): { files: Map<string, string>; objects: Map<string, unknown[]> } | undefined {
  const hit = loadResult<StoredEnv>('env', key);
  return hit ? { files: new Map(hit.files), objects: new Map(hit.objects) } : undefined;
}

export function saveEnvRender(key: string, files: Map<string, string>, objects: Map<string, unknown[]>): void {
  saveResult('env', key, { files: [...files], objects: [...objects] } satisfies StoredEnv);
}
