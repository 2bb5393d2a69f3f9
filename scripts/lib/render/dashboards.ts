/**
 * Grafana dashboards are data: JSON models in apps/grafana-dashboards/base/. Most go into
 * ConfigMaps as they are (apps/grafana-dashboards/base/kustomization.yaml); one that links to
 * something of the environment (the platform overview: the MLflow UI) carries @@NAME@@ tokens
 * in its strings, and its overlay template puts the env's values in with the `dashboard` helper:
 *   platform-overview.json: {{json (dashboard "platform-overview.json" MLFLOW_UI_URL=facts.mlflow.uiUrl)}}
 */
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { componentBase, type ProjectPaths } from '../paths.ts';
import { readRepoText } from '../fs/safe-read.ts';

/** The component whose base holds the dashboard models (the `dashboard` helper reads them). */
export const DASHBOARDS_DIR = 'grafana-dashboards';
const TOKEN = /@@([A-Z0-9_]+)@@/g;

/** Every string of a JSON value with its tokens replaced; a token without a value is an error. */
function substitute(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(TOKEN, (_, name: string) => {
      if (values[name] === undefined) throw new Error(`dashboard: no value for @@${name}@@`);
      return String(values[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)]));
  }
  return value;
}

/** The JSON text of apps/grafana-dashboards/base/<file> with `values` put in (two-space indent, ASCII, final newline). */
export function dashboardJson(paths: ProjectPaths, file: string, values: Record<string, unknown>): string {
  const model: unknown = JSON.parse(readRepoText(join(paths.root, componentBase(DASHBOARDS_DIR), file), paths.root));
  const text = JSON.stringify(substitute(model, values), null, 2);
  // Non-ASCII as \u escapes, as in the files: the ConfigMap's text stays ASCII.
  return `${text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Helpers that read project files, given to every template at render time. */
export function projectHelpers(paths: ProjectPaths): Record<string, Handlebars.HelperDelegate> {
  return {
    dashboard: (file: unknown, opts: Handlebars.HelperOptions) => dashboardJson(paths, String(file), opts.hash as Record<string, unknown>),
  };
}
