/**
 * Shared partials: overlays/_partials/<name>.hbs, loaded once per project and handed to every
 * template when it renders. They own the shapes several components share (restricted security
 * contexts, ExternalSecrets, the MCP server objects, the benchmark Job).
 *
 * - A partial sees only the named parameters it is called with (`{{> external-secret name=…}}`),
 *   never the caller's context, so nothing of the caller leaks in under the same name; the
 *   environment's facts stay reachable as `@root.facts`.
 * - A block call (`{{#> external-secret …}}…{{/external-secret}}`) renders its content in the
 *   caller's scope first; the partial gets that text as `@block`.
 * - A partial called alone on its line is indented like that line.
 * - An error inside a partial names the partial's file and line (PartialError).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { WithFindings } from '../findings.ts';
import type { ProjectPaths } from '../paths.ts';
import { compileTemplate, templateErrorPos } from './handlebars.ts';
import { readRepoText } from '../fs/safe-read.ts';

export const PARTIALS_DIR = '_partials';

/** An error raised while a partial rendered, at the partial's own file and line. */
export class PartialError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

type PartialFn = (context: unknown, options?: Handlebars.RuntimeOptions & PartialCall) => string;
interface PartialCall {
  hash?: Record<string, unknown>;
  fn?: unknown;
  data?: Record<string, unknown>;
}

/** The partials, with the findings of those that did not compile. */
export type Partials = WithFindings<{ partials: Record<string, PartialFn> }>;

const loaded = new Map<string, Partials>();

function wrap(file: string, template: Handlebars.TemplateDelegate): PartialFn {
  return (context, options = {}) => {
    try {
      const data = Handlebars.createFrame(options.data ?? {});
      const block = options.data?.['partial-block'];
      if (typeof options.fn === 'function' && typeof block === 'function') {
        data.block = (block as (c: unknown, o: object) => string)(context, { data: options.data });
      }
      return template({ ...(options.hash ?? {}) }, { ...options, data });
    } catch (err) {
      if (err instanceof PartialError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const pos = templateErrorPos(message);
      throw new PartialError(file, pos.line, pos.col, (message.split('\n')[0] ?? '').replace(/ - \d+:\d+$/, ''));
    }
  };
}

/** The partials of overlays/_partials/ (read and compiled once per project root). */
export function loadPartials(paths: ProjectPaths): Partials {
  const dir = join(paths.overlays, PARTIALS_DIR);
  const cached = loaded.get(dir);
  if (cached) return cached;
  const out: Partials = { partials: {}, findings: [] };
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.hbs')).sort() : [];
  for (const f of files) {
    const file = `overlays/${PARTIALS_DIR}/${f}`;
    const text = readRepoText(join(dir, f), paths.root);
    try {
      // Precompiled code cached across runs, like every template (a parse error throws here).
      out.partials[f.replace(/\.hbs$/, '')] = wrap(file, compileTemplate(text));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const pos = templateErrorPos(message);
      out.findings.push({ file, line: pos.line, col: pos.col, path: '', message: `template error: ${message.split('\n')[0] ?? ''}` });
    }
  }
  loaded.set(dir, out);
  return out;
}
