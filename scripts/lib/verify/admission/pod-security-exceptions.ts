/**
 * PLAT005 Pod Security exceptions stay true. A catalog entry may lower its namespace below
 * "restricted" because of pods its own chart or git source renders (`podSecurity.templates`: the
 * source files whose pods cannot meet restricted). This rule holds that claim to the hydrated
 * objects, so an exception is dropped as soon as a chart upgrade no longer needs it and cannot
 * quietly cover a new pod:
 * - each named file renders at least one pod template in the namespace that fails "restricted"
 *   (evaluated with the same Pod Security checks as PLAT003);
 * - every pod template in the namespace that fails "restricted" comes from a named file.
 * An exception without `templates` (pods that controllers create at run time) is not checked here.
 */
import type { PodSecurityException } from '../../config/catalog.ts';
import { evaluatePod, podTemplateOf } from './pod-security.ts';
import { appObjectFinding, makeFinding, objectId, type AppObject, type AppObjects, type Finding } from './types.ts';

export const PLAT005 = 'PLAT005';

/** One catalog exception: the component, its namespace, the exception and where the catalog entry is. */
export interface DeclaredException {
  component: string;
  namespace: string;
  exception: PodSecurityException;
  /** The catalog file (apps/<component>/app.yaml) and the line of `podSecurity`. */
  at: { file: string; line: number };
}

/** Does a hydrated object's file (`helm:<chart>@<version>/<path>`, `git:<url>@<rev>/<path>`) come from the named source file? */
export function fromSourceFile(objectFile: string, named: string): boolean {
  return objectFile === named || objectFile.endsWith(`/${named}`);
}

export function checkPodSecurityExceptions(declared: DeclaredException[], apps: AppObjects[]): Finding[] {
  const out: Finding[] = [];
  for (const d of declared) {
    const named = d.exception.templates ?? [];
    if (!named.length) continue;
    const failing: { app: string; o: AppObject }[] = [];
    for (const app of apps) {
      for (const o of app.objects) {
        const pod = podTemplateOf(o.obj);
        if (!pod) continue;
        const ns = objectId(o.obj).namespace || app.destination.namespace;
        if (ns !== d.namespace) continue;
        if (evaluatePod('restricted', pod.meta, pod.spec).length) failing.push({ app: app.app, o });
      }
    }
    for (const t of named) {
      if (failing.some((f) => fromSourceFile(f.o.file, t.file))) continue;
      out.push(
        makeFinding(PLAT005, d.at, { kind: 'Namespace', name: d.namespace }, '/podSecurity/templates',
          `${d.component}: the Pod Security exception names ${t.file}:${t.line}, but no pod it renders in namespace "${d.namespace}" fails "restricted" any more: drop it from podSecurity.templates (and podSecurity itself when none is left)`),
      );
    }
    for (const f of failing) {
      if (named.some((t) => fromSourceFile(f.o.file, t.file))) continue;
      const id = objectId(f.o.obj);
      out.push(appObjectFinding(PLAT005, f.app, f.o, { ...id, namespace: id.namespace || d.namespace }, '',
        `fails Pod Security "restricted" in namespace "${d.namespace}", whose exception (${d.at.file}) does not name this file: fix the pod or add the file to podSecurity.templates with the reason`));
    }
  }
  return out;
}
