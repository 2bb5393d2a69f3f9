/**
 * Shared value types. Results are values, never exceptions: every stage returns
 * findings that carry where they come from, so the CLI can print them all at once.
 */

/** One problem found in a config file, a template or a rendered object. */
export interface Finding {
  /** Path relative to the project root, with forward slashes (e.g. `environments/prod.yaml`). */
  file: string;
  /** 1-based line; 0 when unknown. */
  line: number;
  /** 1-based column; 0 when unknown. */
  col: number;
  /** JSON pointer into the document (`/components/postgres/instances`), or '' for the whole document. */
  path: string;
  /** Plain-language message, without the location. */
  message: string;
  /** Kind and name of the Kubernetes object the finding is about, when it is about one. */
  kind?: string;
  name?: string;
  /** Rule id for policy findings (e.g. `SEC001`), absent for schema findings. */
  rule?: string;
  /** `error` (the default when absent) fails the command; a `warning` is printed but does not. */
  severity?: 'error' | 'warning';
}

/** Is this finding a warning (printed, but not failing the exit code)? */
export function isWarning(f: Finding): boolean {
  return f.severity === 'warning';
}

/**
 * A finding before it is placed in a file: where inside one object (a JSON pointer) and what.
 * Validators and rules return these with the object they are about; the caller adds the place.
 */
export type Problem = Pick<Finding, 'path' | 'message'>;

/**
 * A value, or the findings that kept it from being made: what a function returns when it has
 * either a value or findings, never both. Build it with `ok` and `failed`; read the findings of
 * either arm with `findingsOf`. (A value that comes with findings, e.g. warnings, is `WithFindings`.)
 */
export type Result<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function failed(findings: Finding[]): { ok: false; findings: Finding[] } {
  return { ok: false, findings };
}

/** The findings of a result: none when it has a value. */
export function findingsOf(r: Result<unknown>): Finding[] {
  return r.ok ? [] : r.findings;
}

/**
 * A value that always comes, with the findings made along the way (a render's files and its
 * template errors; the catalog and the entries it skipped).
 */
export type WithFindings<T> = T & { findings: Finding[] };

/**
 * What a parser of one string or file answers: the value, or why the input is not one. The
 * reason names no file and no JSON pointer (the parser knows neither): the caller places it in a
 * Finding. Same `ok`/`value` arm as `Result`; `Why` adds what else the caller needs (a position).
 */
export type Parsed<T, Why extends { reason: string } = { reason: string }> = { ok: true; value: T } | ({ ok: false } & Why);

/** A Kubernetes object as plain JSON. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ''); '' for anything that is not a string. */
export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** A Kubernetes object together with the file and line it was read from. */
export interface SourcedObject {
  obj: K8sObject;
  /** Project-relative file the object came from (or the best known source). */
  file: string;
  /** 1-based line of the document start in that file; 0 when unknown. */
  line: number;
}

/** Raised for usage and environment errors (exit code 2): bad flags, no kustomize, unreadable file. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Stable order for findings: file, line, column, path, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    a.path.localeCompare(b.path) ||
    a.message.localeCompare(b.message)
  );
}

/** `file:line:col path message`, the one format every text report uses. */
export function formatFinding(f: Finding): string {
  const loc = f.line > 0 ? `${f.file}:${f.line}:${f.col > 0 ? f.col : 1}` : f.file;
  const what = f.kind ? ` ${f.kind}/${f.name ?? '?'}` : '';
  const rule = f.rule ? ` [${f.rule}]` : '';
  const warn = isWarning(f) ? ' warning:' : '';
  return `${loc}${what}${rule}${warn} ${f.path || '/'} ${f.message}`;
}
