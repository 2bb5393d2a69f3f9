/**
 * PLAT002 single owner: no object (group, kind, namespace, name) is rendered by two Applications.
 * Two owners fight over it (SharedResourceWarning; with selfHeal it flips back and forth) and
 * deleting either app with the resources finalizer deletes it. Namespaces are defaulted the way
 * Argo CD does (controller/state.go DeduplicateTargetObjects): cleared for cluster-scoped kinds,
 * the destination namespace for namespaced or unknown kinds without one.
 */
import { makeFinding, objectId, objectLabel, type AppObject, type Finding, type PlatformInput } from './types.ts';

export const PLAT002 = 'PLAT002';

interface Owner {
  app: string;
  at: AppObject;
}

export function checkSingleOwner(input: PlatformInput): Finding[] {
  const owners = new Map<string, { label: string; kind: string; name: string; list: Owner[] }>();
  for (const app of input.apps) {
    for (const o of app.objects) {
      const { group, kind, name, namespace: own } = objectId(o.obj);
      const clusterScoped = input.clusterScopedKinds(group, kind) === true;
      const namespace = clusterScoped ? '' : own || app.destination.namespace;
      const key = JSON.stringify([group, kind, namespace, name]);
      let entry = owners.get(key);
      if (!entry) {
        entry = { label: objectLabel(group, kind, namespace, name), kind, name, list: [] };
        owners.set(key, entry);
      }
      if (!entry.list.some((w) => w.app === app.app)) entry.list.push({ app: app.app, at: o });
    }
  }
  const out: Finding[] = [];
  for (const e of owners.values()) {
    if (e.list.length < 2) continue;
    const sorted = [...e.list].sort((a, b) => a.app.localeCompare(b.app));
    const apps = sorted.map((w) => `"${w.app}"`);
    const where = sorted.map((w) => `${w.app}: ${w.at.file || '?'}${w.at.line > 0 ? `:${w.at.line}` : ''}`).join('; ');
    const last = sorted[sorted.length - 1]!;
    out.push(
      makeFinding(PLAT002, last.at, { kind: e.kind, name: e.name }, '', `${e.label} is rendered by ${apps.length} apps, ${apps.slice(0, -1).join(', ')} and ${apps[apps.length - 1]} (${where}); Argo CD lets only one app own an object`),
    );
  }
  return out;
}
