/**
 * What every template sees: the environment, this component and its settings, and the facts
 * derived once per environment (derive/index.ts), so templates never copy strings.
 */
import type { Facts } from '../derive/index.ts';
import type { Plan, PlannedApp } from '../plan/plan.ts';
import { COMMON_LABELS } from './component.ts';
import type { EnvConfig } from '../config/environment.ts';

export interface TemplateContext {
  /** The environment's name (dev, staging, prod). */
  envName: string;
  /** The whole resolved environment config. */
  env: EnvConfig;
  /** This component: name, namespace, wave. */
  component: { name: string; namespace: string; wave: number; layer: string };
  /** This component's resolved settings (catalog defaults merged with the env). */
  settings: Record<string, unknown>;
  /** Namespace of every component, by component name. */
  ns: Record<string, string>;
  /** Whether each component is enabled, by name. */
  enabled: Record<string, boolean>;
  /** Every component's resolved settings, by name (enabled or not). */
  components: Record<string, Record<string, unknown>>;
  /** Labels every object carries. */
  labels: Record<string, string>;
  /** All namespaces this environment deploys to. */
  namespaces: string[];
  /** The environment's derived facts (service URLs and the like, derive/index.ts). */
  facts: Facts;
}

export function templateContext(plan: Plan, app: PlannedApp, facts: Facts): TemplateContext {
  const ns: Record<string, string> = {};
  const enabled: Record<string, boolean> = {};
  const components: Record<string, Record<string, unknown>> = {};
  for (const [name, c] of plan.env.components) {
    ns[name] = c.app.namespace;
    enabled[name] = c.enabled;
    components[name] = c.settings;
  }
  return {
    envName: plan.env.name,
    env: plan.env.config,
    component: { name: app.name, namespace: app.app.namespace, wave: app.wave, layer: app.app.layer },
    settings: app.settings,
    ns,
    enabled,
    components,
    labels: { ...COMMON_LABELS },
    namespaces: plan.namespaces,
    facts,
  };
}
