/**
 * A resolved environment: the validated config (catalog defaults < extends chain < env file)
 * and each catalog component's merged settings. Every stage after config reads these types.
 */
import type { CatalogApp } from './catalog.ts';
import type { Locate } from './schema.ts';
import type { EnvironmentConfig } from './schema-types/index.ts';

/** A validated environment (catalog defaults and the extends chain merged in). */
export type EnvConfig = EnvironmentConfig;

/** The components an environment can configure, by name, each with its schema's settings type. */
export type ComponentSettingsMap = EnvironmentConfig['components'];
export type ComponentName = keyof ComponentSettingsMap;

export interface ResolvedComponent {
  app: CatalogApp;
  enabled: boolean;
  settings: Record<string, unknown>;
}

/**
 * The merged settings of a component in the catalog, typed by its schema; undefined when
 * apps/ has no such component. (They are `ResolvedComponent.settings`, validated.)
 */
export function componentSettings<K extends ComponentName>(env: ResolvedEnv, name: K): ComponentSettingsMap[K] | undefined {
  return env.components.get(name)?.settings as ComponentSettingsMap[K] | undefined;
}

export interface ResolvedEnv {
  name: string;
  config: EnvConfig;
  components: Map<string, ResolvedComponent>;
  /** File, line and column of any pointer into the merged config. */
  locate: Locate;
  /** The env file itself (project-relative). */
  file: string;
}
