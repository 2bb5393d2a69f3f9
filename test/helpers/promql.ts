/**
 * PromQL syntax check with the Prometheus project's own grammar (@prometheus-io/lezer-promql,
 * the parser of the Prometheus UI): a query is valid when its parse tree has no error node.
 * Grafana variables are replaced by neutral values first ($__rate_interval -> 5m, $var -> x).
 */
import { parser } from '@prometheus-io/lezer-promql';

const DURATIONS: Record<string, string> = { __rate_interval: '5m', __interval: '1m', __range: '1h' };

/** The query with Grafana's $var, ${var} and ${var:fmt} replaced by values PromQL accepts. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)(?::\w+)?\}?/g, (_m, name: string) => DURATIONS[name] ?? (name.startsWith('__') ? '1' : 'x'));
}

/** Error positions of a PromQL query ([] when it parses). */
export function promqlErrors(expr: string): { from: number; message: string }[] {
  const text = withoutGrafanaVariables(expr);
  const out: { from: number; message: string }[] = [];
  if (!text.trim()) return [{ from: 0, message: 'empty query' }];
  parser.parse(text).iterate({
    enter: (n) => {
      if (n.type.isError) out.push({ from: n.from, message: `syntax error at ${n.from}: ${JSON.stringify(text.slice(Math.max(0, n.from - 10), n.from + 10))}` });
    },
  });
  return out;
}

/** Every `expr` string anywhere in a JSON/YAML value (dashboard targets, PrometheusRule rules). */
export function exprsOf(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'expr' && typeof x === 'string' ? out.push(x) : walk(x));
  };
  walk(value);
  return out;
}
