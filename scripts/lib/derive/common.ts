/**
 * What every derivation reads from the plan: a catalog component (enabled or not), its
 * namespace and its resolved settings, and the in-cluster DNS name of a Service. The catalog
 * is the only source of namespaces: no derivation repeats one as a fallback.
 */
import type { ComponentName, ComponentSettingsMap, ResolvedComponent } from '../config/environment.ts';
import type { Plan } from '../plan/plan.ts';

/** A component of the catalog as resolved for this environment (enabled or not). */
export function component(plan: Plan, name: string): ResolvedComponent {
  const c = plan.env.components.get(name);
  if (!c) throw new Error(`the component catalog (apps/) has no component "${name}", which the tool needs`);
  return c;
}

export function namespaceOf(plan: Plan, name: string): string {
  return component(plan, name).app.namespace;
}

/** A component's resolved settings (catalog defaults < _base.yaml < env file), typed by its schema. */
export function settingsOf<K extends ComponentName>(plan: Plan, name: K): NonNullable<ComponentSettingsMap[K]> {
  return component(plan, name).settings as NonNullable<ComponentSettingsMap[K]>;
}

/** `<service>.<namespace>.svc.cluster.local`. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** Namespaces of the enabled components (other than `target`'s own) that declare `talksTo: target`. */
export function callerNamespaces(plan: Plan, target: string): string[] {
  const own = namespaceOf(plan, target);
  const callers = plan.apps.filter((a) => a.name !== target && a.app.talksTo.some((t) => t.component === target)).map((a) => a.app.namespace);
  return [...new Set(callers)].filter((n) => n !== own).sort();
}
