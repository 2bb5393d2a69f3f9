/**
 * Generic checks on a set of rendered objects, whatever their kind: apiVersion, kind and
 * metadata.name present; a namespace exactly where the kind is namespaced; no two objects with
 * the same identity (group, kind, namespace, name).
 */
import { groupOf, type Problem, type SourcedObject } from '../../findings.ts';
import { builtinClusterScoped } from '../../config/kube/builtin-scopes.ts';

export interface ObjectCheckOptions {
  /** Cluster-scoped custom kinds, `<group>/<Kind>`: from the CRDs among the objects and the catalog (whole-platform/). */
  clusterScopedCustomKinds?: readonly string[];
}

/** A problem of the object at `index` in the input array. */
export type ObjectProblem = Problem & { index: number };

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function place(o: SourcedObject): string {
  return o.line > 0 ? `${o.file}:${o.line}` : o.file;
}

/** Run the generic checks over a set of objects (one rendered environment, say). */
export function checkObjects(objects: readonly SourcedObject[], opts: ObjectCheckOptions = {}): ObjectProblem[] {
  const clusterScoped = new Set([
    ...builtinClusterScoped(),
    ...(opts.clusterScopedCustomKinds ?? []),
  ]);
  const issues: ObjectProblem[] = [];
  const seen = new Map<string, SourcedObject>();
  objects.forEach((o, index) => {
    const obj = o.obj as unknown as Record<string, unknown>;
    const meta = obj.metadata;
    const add = (path: string, message: string): void => void issues.push({ index, path, message });
    if (!nonEmpty(obj.apiVersion)) add('/apiVersion', 'apiVersion is missing');
    if (!nonEmpty(obj.kind)) add('/kind', 'kind is missing');
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      add('/metadata', 'metadata is missing');
      return;
    }
    const { name, namespace } = meta as Record<string, unknown>;
    if (!nonEmpty(name)) add('/metadata/name', 'metadata.name is missing');
    if (!nonEmpty(obj.apiVersion) || !nonEmpty(obj.kind)) return;
    const group = groupOf(obj.apiVersion);
    const isClusterScoped = clusterScoped.has(`${group}/${obj.kind}`);
    if (isClusterScoped && namespace !== undefined) {
      add('/metadata/namespace', `${obj.kind} is cluster-scoped and must not have metadata.namespace`);
    } else if (!isClusterScoped && !nonEmpty(namespace)) {
      add('/metadata/namespace', `metadata.namespace is missing (${obj.kind} is namespaced)`);
    }
    if (!nonEmpty(name)) return;
    const ns = isClusterScoped ? '' : nonEmpty(namespace) ? namespace : '';
    const id = `${group}\u0000${obj.kind}\u0000${ns}\u0000${name}`;
    const first = seen.get(id);
    // root.yaml repeats the argocd-cm health keys the root syncs from apps/ (the admin applies
    // them before any root syncs): the same object twice, by design.
    const adminCopy = first && [first.file, o.file].some((f) => f.endsWith('/root.yaml')) && JSON.stringify(first.obj) === JSON.stringify(o.obj);
    if (first && !adminCopy) {
      const what = `${group ? `${group}/` : ''}${obj.kind} ${ns ? `${ns}/` : ''}${name}`;
      add('', `duplicate object ${what}: defined at ${place(first)} and at ${place(o)}`);
    } else {
      seen.set(id, o);
    }
  });
  return issues;
}
