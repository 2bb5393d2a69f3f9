/**
 * What every template sees. Cross-component facts (a service's DNS name, the OTLP
 * endpoint, the database secret) are computed here once, so templates never copy strings.
 */
import type { Plan, PlannedApp } from '../plan/plan.ts';
import { COMMON_LABELS } from './component.ts';
import type { EnvConfig } from '../config/resolve.ts';

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
  /** Facts computed by the layer contributors (service URLs and the like). */
  facts: Record<string, unknown>;
}

/** A layer adds facts that several components' templates share. */
export type FactContributor = (plan: Plan) => Record<string, unknown>;

const contributors: FactContributor[] = [];

export function addFactContributor(c: FactContributor): void {
  contributors.push(c);
}

/** The facts for one plan (computed once per environment). */
export function planFacts(plan: Plan): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const c of contributors) Object.assign(facts, c(plan));
  return facts;
}

export function templateContext(plan: Plan, app: PlannedApp, facts: Record<string, unknown>): TemplateContext {
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
