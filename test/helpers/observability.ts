/**
 * Helpers of the observability tests: render and hydrate environments through the real
 * pipeline (loadProject/renderOne, real kustomize), read the repo's data files, pull metric
 * names out of PromQL, and match label selectors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LocatedObject } from '../../scripts/lib/verify/hydration/collect.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { derive } from '../../scripts/lib/derive/index.ts';
import type { EnvOutput } from '../../scripts/lib/render/environment.ts';
import { hydrateFixture, renderFixture } from './render.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

export const ENVS = ['dev', 'staging', 'prod'] as const;
/** Components of the observability layer (plus the monitoring stack whose values it owns). */
export const OBS_COMPONENTS = ['otel-collector', 'mlflow', 'monitoring-rules', 'grafana-dashboards'] as const;

/** A fixture environment, rendered once per test file (any finding fails the test). */
export function render(env: string): EnvOutput {
  return renderFixture(env);
}

/** The fixture env rendered and hydrated with the real kustomize (cached per test file). */
export async function hydrated(env: string): Promise<{ out: EnvOutput; objects: LocatedObject[] }> {
  return { out: renderFixture(env), objects: await hydrateFixture(env) };
}

/** The facts of a fixture environment (its plan comes from the file's shared render). */
export function factsOf(env: string): Obj {
  const plan = render(env).plan!;
  return derive(plan) as unknown as Obj;
}

/** The one object of a rendered file. */
export function fileObj(files: Map<string, string>, path: string): Obj {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no ${path}`);
  return parse(text) as Obj;
}

export function componentOf(o: Obj): string | undefined {
  return o.metadata?.labels?.['catalyst.dev/component'];
}

export function byKind(objects: { obj: Obj }[], kind: string): Obj[] {
  return objects.map((o) => o.obj).filter((o) => o.kind === kind);
}

export function one(objects: { obj: Obj }[], kind: string, name: string, namespace?: string): Obj {
  const found = objects.map((o) => o.obj).filter((o) => o.kind === kind && o.metadata?.name === name && (!namespace || o.metadata?.namespace === namespace));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${found.length}`);
  return found[0]!;
}

export interface MetricSource {
  description: string;
  components: string[];
  metrics: Record<string, 'counter' | 'gauge' | 'histogram'>;
}

export interface MetricCatalog {
  sources: Record<string, MetricSource>;
  mlflowTables: Record<string, string[]>;
}

export function metricCatalog(): MetricCatalog {
  return parse(readFileSync(join(ROOT, 'data/observability/metrics.yaml'), 'utf8')) as MetricCatalog;
}

export interface ExternalWorkload {
  name: string;
  operator: string;
  createdBy: { kind: string; apiVersion: string; component: string };
  namespaceOf: string;
  labels: Record<string, string>;
  containers: { name: string; ports: { name: string; containerPort: number }[] }[];
  sources: string[];
}

export function externalWorkloads(): ExternalWorkload[] {
  return (parse(readFileSync(join(ROOT, 'data/observability/external-workloads.yaml'), 'utf8')) as { workloads: ExternalWorkload[] }).workloads;
}

/** Series names a metric catalog provides in an env where `enabled(component)` says what runs. */
export function knownSeries(catalog: MetricCatalog, enabled: (component: string) => boolean): Map<string, string> {
  const known = new Map<string, string>();
  for (const [source, s] of Object.entries(catalog.sources)) {
    if (!s.components.every(enabled)) continue;
    for (const [name, type] of Object.entries(s.metrics)) {
      const names = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      for (const n of names) known.set(n, source);
    }
  }
  return known;
}

const PROMQL_WORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan',
]);

/**
 * Metric names a PromQL expression selects (also Grafana's `label_values(<expr>, label)`).
 * Strings, label matchers, ranges and grouping clauses are removed first; a name followed by
 * `(` is a function.
 */
export function promqlMetricNames(expr: string): string[] {
  let s = expr.trim();
  const lv = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/s.exec(s);
  if (lv) s = lv[1]!;
  else if (/^label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.test(s)) return [];
  s = s
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ');
  const names = new Set<string>();
  const re = /[A-Za-z_:][A-Za-z0-9_:]*/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const before = s[m.index - 1] ?? ' ';
    if (/[0-9.$]/.test(before)) continue;
    const after = s.slice(m.index + m[0].length).match(/^\s*(.)/)?.[1];
    if (after === '(') continue;
    if (PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names].sort();
}

/** Label matchers on `job` in a PromQL expression: [op, value] pairs. */
export function jobMatchers(expr: string): { op: '=' | '=~'; value: string }[] {
  const out: { op: '=' | '=~'; value: string }[] = [];
  const re = /\bjob\s*(=~|=)\s*"((?:\\.|[^"\\])*)"/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.push({ op: m[1] as '=' | '=~', value: JSON.parse(`"${m[2]}"`) as string });
  return out;
}

/** Does a label selector (matchLabels + matchExpressions) select these labels? "*" = any value is set. */
export function selects(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const has = (k: string, v?: string): boolean => k in labels && (v === undefined || labels[k] === v || labels[k] === '*');
  for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) if (!has(k, v)) return false;
  for (const e of (selector.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const present = e.key in labels;
    const val = labels[e.key];
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
    if (e.operator === 'In' && !(present && (val === '*' || (e.values ?? []).includes(val!)))) return false;
    if (e.operator === 'NotIn' && present && val !== '*' && (e.values ?? []).includes(val!)) return false;
  }
  return true;
}

/** The Grafana dashboards of a set of hydrated objects: ConfigMaps labelled for the sidecar. */
export function dashboards(objects: { obj: Obj }[]): { configMap: string; file: string; json: Obj }[] {
  const out: { configMap: string; file: string; json: Obj }[] = [];
  for (const cm of byKind(objects, 'ConfigMap')) {
    if (cm.metadata?.labels?.grafana_dashboard !== '1') continue;
    for (const [file, text] of Object.entries((cm.data ?? {}) as Record<string, string>)) {
      out.push({ configMap: cm.metadata.name, file, json: JSON.parse(text) as Obj });
    }
  }
  return out;
}

/** Every query of a dashboard: PromQL of Prometheus targets and variables, SQL of the others. */
export function dashboardQueries(d: Obj): { kind: 'promql' | 'sql'; text: string; where: string }[] {
  const out: { kind: 'promql' | 'sql'; text: string; where: string }[] = [];
  const visit = (panels: Obj[]): void => {
    for (const p of panels ?? []) {
      if (p.type === 'row') visit(p.panels ?? []);
      for (const t of p.targets ?? []) {
        const uid = t.datasource?.uid ?? p.datasource?.uid;
        if (typeof t.expr === 'string') out.push({ kind: 'promql', text: t.expr, where: `panel "${p.title}" (${uid})` });
        if (typeof t.rawSql === 'string') out.push({ kind: 'sql', text: t.rawSql, where: `panel "${p.title}" (${uid})` });
      }
    }
  };
  visit(d.panels ?? []);
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (typeof q !== 'string') continue;
    out.push({ kind: v.datasource?.type === 'prometheus' ? 'promql' : 'sql', text: q, where: `variable $${v.name}` });
  }
  return out;
}

/** Datasource references of a dashboard (panels, targets, variables), `-- Grafana --` built-ins excluded. */
export function datasourceRefs(d: Obj): { where: string; ref: unknown }[] {
  const out: { where: string; ref: unknown }[] = [];
  const visit = (panels: Obj[]): void => {
    for (const p of panels ?? []) {
      if (p.type === 'row') {
        visit(p.panels ?? []);
        continue;
      }
      if (p.datasource !== undefined) out.push({ where: `panel "${p.title}"`, ref: p.datasource });
      for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}" target ${t.refId}`, ref: t.datasource });
    }
  };
  visit(d.panels ?? []);
  for (const v of d.templating?.list ?? []) if (v.datasource !== undefined) out.push({ where: `variable $${v.name}`, ref: v.datasource });
  return out;
}

/** SQL table names after FROM / JOIN. */
export function sqlTables(sql: string): string[] {
  const names = new Set<string>();
  // trim(both '"' from x) and EXTRACT(epoch FROM x) use FROM without a table.
  const s = sql.replace(/'(?:''|[^'])*'/g, "''").replace(/\b(?:trim|extract|substring)\s*\([^()]*\)/gi, ' ');
  const re = /\b(?:from|join)\s+([a-z_][a-z0-9_]*)/gi;
  for (let m = re.exec(s); m; m = re.exec(s)) names.add(m[1]!.toLowerCase());
  return [...names].sort();
}
