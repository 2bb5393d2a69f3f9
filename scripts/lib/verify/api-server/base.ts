/**
 * The objects at the base revision (`--base REF`): what the cluster runs now, as the project at
 * REF renders and kustomize builds it (snapshot/index.ts, the same as `diff` uses), per env and
 * keyed by group/kind/namespace/name. Chart objects are not in it: the update rules and
 * transition rules apply to what the project renders itself.
 */
import type { K8sObject } from '../../findings.ts';
import { extractRef } from '../../tools/git-tree.ts';
import { objectKey, snapshotProject, type EnvSnapshot } from '../snapshot/index.ts';

export type BaseObjects = Map<string, EnvSnapshot>;

export async function baseObjects(projectRoot: string, ref: string): Promise<BaseObjects> {
  const tree = await extractRef(projectRoot, ref);
  try {
    return await snapshotProject(tree.root);
  } finally {
    tree.cleanup();
  }
}

/** The env's object at the base revision, by key (undefined: new in this change). */
export const oldObjectOf =
  (base: BaseObjects | undefined, env: string) =>
  (o: K8sObject): K8sObject | undefined =>
    base?.get(env)?.objects.get(objectKey(o))?.obj;
