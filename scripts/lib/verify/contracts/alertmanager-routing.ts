/**
 * The smallest faithful model of how Alertmanager picks receivers for an alert, and of the
 * config kube-prometheus-stack hands it. Routing: prometheus/alertmanager@v0.34.0 (the image of
 * kube-prometheus-stack 88.5.3) dispatch/route.go `Route.Match` (a route matches when its matchers
 * do; its children are tried in order, a match stops the walk unless that child has `continue`;
 * with no child matching, the route itself is the match) and `NewRoute` (a child without a
 * receiver inherits its parent's); matchers: pkg/labels/parse.go (`name op "value"`, ops = != =~ !~,
 * regexes anchored). The chart's values are merged as Helm merges values (maps key by key, any other
 * value replaced), over the chart's default `alertmanager.config`.
 */
import { isPlainObject } from '../../config/merge.ts';

type Json = Record<string, unknown>;

/**
 * kube-prometheus-stack 88.5.3 values.yaml `alertmanager.config` (lines 553-592): every alert to
 * the receiver "null", which has no notifier; Watchdog explicitly so.
 */
export const CHART_DEFAULT_ALERTMANAGER_CONFIG: Json = {
  global: { resolve_timeout: '5m' },
  inhibit_rules: [
    { source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['namespace', 'alertname'] },
    { source_matchers: ['severity = warning'], target_matchers: ['severity = info'], equal: ['namespace', 'alertname'] },
    { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['namespace'] },
    { target_matchers: ['alertname = InfoInhibitor'] },
  ],
  route: {
    group_by: ['namespace'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '12h',
    receiver: 'null',
    routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }],
  },
  receivers: [{ name: 'null' }],
  templates: ['/etc/alertmanager/config/*.tmpl'],
};

/** Helm's coalescing of user values over chart defaults: maps merge key by key, `null` deletes, anything else replaces. */
export function helmMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = helmMerge(base[k], v);
  }
  return out;
}

/** The config Alertmanager runs with, from the Application's Helm values (`alertmanager.config`). */
export function effectiveAlertmanagerConfig(values: unknown): Json {
  const am = isPlainObject(values) && isPlainObject(values.alertmanager) ? values.alertmanager : {};
  return helmMerge(CHART_DEFAULT_ALERTMANAGER_CONFIG, am.config) as Json;
}

type Op = '=' | '!=' | '=~' | '!~';
interface Matcher {
  name: string;
  op: Op;
  value: string;
}

/** One matcher string (`severity =~ "critical|warning"`), or undefined when it is not one. */
export function parseMatcher(text: string): Matcher | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!m) return undefined;
  let value = m[3]!;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = JSON.parse(value) as string;
  return { name: m[1]!, op: m[2] as Op, value };
}

function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~': return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

function routeMatchers(route: Json): Matcher[] {
  const out: Matcher[] = [];
  for (const s of Array.isArray(route.matchers) ? route.matchers : []) {
    const m = typeof s === 'string' ? parseMatcher(s) : undefined;
    if (m) out.push(m);
  }
  // The deprecated forms, still read by v0.34.0 (config/config.go Route.Match, MatchRE).
  for (const [k, v] of Object.entries(isPlainObject(route.match) ? route.match : {})) out.push({ name: k, op: '=', value: String(v) });
  for (const [k, v] of Object.entries(isPlainObject(route.match_re) ? route.match_re : {})) out.push({ name: k, op: '=~', value: String(v) });
  return out;
}

/** The receivers an alert with these labels is sent to (dispatch/route.go Route.Match). */
export function receiversFor(route: Json, labels: Record<string, string>, inherited = ''): string[] {
  const receiver = typeof route.receiver === 'string' && route.receiver ? route.receiver : inherited;
  if (!routeMatchers(route).every((m) => matches(m, labels))) return [];
  const all: string[] = [];
  for (const child of Array.isArray(route.routes) ? route.routes.filter(isPlainObject) : []) {
    const got = receiversFor(child, labels, receiver);
    all.push(...got);
    if (got.length && child.continue !== true) break;
  }
  return all.length ? all : [receiver];
}

/** Does this receiver notify anyone (any `*_configs` entry)? "null" and empty receivers do not. */
export function notifies(config: Json, name: string): boolean {
  const r = (Array.isArray(config.receivers) ? config.receivers.filter(isPlainObject) : []).find((x) => x.name === name);
  return !!r && Object.entries(r).some(([k, v]) => k.endsWith('_configs') && Array.isArray(v) && v.length > 0);
}
