/**
 * Render an Argo CD template of overlays/_argocd/ (application.hbs, argocd-cm.hbs, root.hbs)
 * with the data argocd.ts and argocd-root.ts compute, to canonical YAML: the same strict
 * Handlebars, helpers, shared partials and precompiled-template cache as every overlay.
 */
import { ok, type Result } from '../findings.ts';
import type { ProjectPaths } from '../paths.ts';
import { renderTemplate } from './component.ts';
import { normalizeRenderedYaml } from './yaml-out.ts';

/** Folder of the Argo CD templates, relative to the project root. */
export const ARGOCD_TEMPLATES = 'overlays/_argocd';

export type ArgoTemplate = 'application' | 'argocd-cm' | 'root';

/** One file's canonical YAML, or the findings of its template. */
export function renderArgo(paths: ProjectPaths, template: ArgoTemplate, context: object): Result<string> {
  const file = `${ARGOCD_TEMPLATES}/${template}.hbs`;
  const r = renderTemplate(paths, file, context);
  if (!r.ok) return r;
  const n = normalizeRenderedYaml(r.value, file);
  return n.ok ? ok(n.value.text) : n;
}
