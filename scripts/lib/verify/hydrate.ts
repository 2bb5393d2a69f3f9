/**
 * Hydrate an environment with the real kustomize: the rendered tree is laid out in a temp
 * dir (never in the working tree) next to a link to base/, and built once over the
 * aggregate kustomization.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomizeBuild } from '../tools/kustomize.ts';
import { isPlainObject } from '../config/merge.ts';
import type { ProjectPaths } from '../paths.ts';
import { UsageError, type K8sObject } from '../findings.ts';
import { KustomizeBuildError, kustomizeErrorFinding } from './kustomize-errors.ts';

export async function hydrate(paths: ProjectPaths, env: string, files: Map<string, string>): Promise<K8sObject[]> {
  const temp = mkdtempSync(join(tmpdir(), 'catalyst-check-'));
  try {
    symlinkSync(paths.base, join(temp, 'base'), 'dir');
    const envDir = join(temp, 'generated', env);
    for (const [path, text] of files) {
      const abs = join(envDir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    let out: string;
    try {
      out = await kustomizeBuild(envDir);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new KustomizeBuildError(kustomizeErrorFinding(paths.root, temp, env, err instanceof Error ? err.message : String(err)));
    }
    return parseAllDocuments(out)
      .map((d) => d.toJS() as unknown)
      .filter((o): o is K8sObject => isPlainObject(o));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
