/**
 * Validate the application configs generated into Kubernetes objects (APP_CONFIGS): each is
 * parsed with positions and checked against the JSON Schema of its pinned version, and every
 * problem is reported at the file:line of the bad key in the generated file, plus the env file
 * line the value came from when the caller can locate env pointers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { Finding, K8sObject } from '../../findings.ts';
import { ConfigSchemas } from '../../config/schema.ts';
import type { YamlSource } from '../../config/yaml-source.ts';
import type { Problem } from '../../findings.ts';
import { ajvErrorsToProblems } from '../schemas/index.ts';
import { embeddedConfig, sourceAt } from './locate.ts';
import { APP_CONFIGS, type AppConfigSpec } from './registry.ts';

export { APP_CONFIGS, type AppConfigSpec } from './registry.ts';

export interface AppConfigObject {
  obj: K8sObject;
  file: string;
  line: number;
  /** The parsed source document of the object (verify/hydration/collect.ts gives it); read from disk when absent. */
  src?: YamlSource;
}

export interface AppConfigOptions {
  /** Project root: where schemas/ is and `file` paths are relative to (default: the working directory). */
  root?: string;
  /** Locate a JSON pointer of the environment config (ResolvedEnv.locate), to name the env line of a value. */
  locateEnv?: (pointer: string) => { file: string; line: number; col: number } | undefined;
  /** The specs to apply (default APP_CONFIGS). */
  specs?: AppConfigSpec[];
}

const schemaCache = new Map<string, ConfigSchemas>();
function schemasOf(root: string): ConfigSchemas {
  let s = schemaCache.get(root);
  if (!s) {
    s = new ConfigSchemas(join(root, 'schemas'));
    schemaCache.set(root, s);
  }
  return s;
}

function readSource(root: string, file: string, line: number): YamlSource | undefined {
  try {
    return sourceAt(file, readFileSync(join(root, file), 'utf8'), line);
  } catch {
    return undefined;
  }
}

/**
 * ajv errors worth a finding: not the "must match then schema" echo of an if/then (its inner
 * error is reported), not the `${env.X}` alternative every scalar also accepts, and not the
 * "must be null" of an optional (nullable) block whose own errors are reported.
 */
const informative = (e: ErrorObject): boolean =>
  e.keyword !== 'if' && !e.schemaPath.includes('/envRef/') && !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null');

/** The parent pointer whose key an "unknown field" issue names (to point at the key itself). */
const isUnknownKey = (i: Problem): boolean => i.message === 'unknown field';

export function validateAppConfigs(objects: readonly AppConfigObject[], opts: AppConfigOptions = {}): Finding[] {
  const root = opts.root ?? process.cwd();
  const out: Finding[] = [];
  for (const o of objects) {
    for (const spec of opts.specs ?? APP_CONFIGS) {
      if (!spec.match(o.obj)) continue;
      const data = (o.obj as { data?: Record<string, unknown> }).data;
      const text = data?.[spec.key];
      const base = { kind: o.obj.kind, name: o.obj.metadata.name ?? '?' };
      if (typeof text !== 'string') {
        out.push({ file: o.file, line: o.line, col: 1, path: `/data/${spec.key}`, message: `${spec.title}: key ${spec.key} is missing`, ...base });
        continue;
      }
      const cfg = embeddedConfig(o.src ?? readSource(root, o.file, o.line), spec.key, text, o.line);
      if (cfg.error) {
        out.push({ file: o.file, line: cfg.error.line, col: cfg.error.col, path: `/data/${spec.key}`, message: `${spec.title}: ${cfg.error.message}`, ...base });
        continue;
      }
      const validate = schemasOf(root).validator(spec.schemaId);
      const issues = validate(cfg.data) ? [] : ajvErrorsToProblems((validate.errors ?? []).filter(informative));
      issues.push(...(spec.checks?.(cfg.data) ?? []));
      for (const issue of issues) {
        const at = cfg.position(issue.path, isUnknownKey(issue));
        const envPointer = spec.origin?.(issue.path);
        const env = envPointer !== undefined ? opts.locateEnv?.(envPointer) : undefined;
        const from = env && env.line > 0 ? ` (value from ${env.file}:${env.line})` : '';
        const message = `${spec.title}: ${issue.path || '/'} ${isUnknownKey(issue) ? (spec.unknownKey ?? 'is not a key this version reads') : issue.message}${from}`;
        out.push({ file: o.file, line: at.line, col: at.col, path: `/data/${spec.key}${issue.path}`, message, ...base });
      }
    }
  }
  return out;
}
