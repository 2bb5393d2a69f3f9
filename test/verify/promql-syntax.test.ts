/**
 * Every PromQL query the platform ships parses with Prometheus' own grammar
 * (@prometheus-io/lezer-promql 0.315.0): the alert and recording rules of every fixture env and
 * every dashboard target in apps/grafana-dashboards/base.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import { exprsOf, promqlErrors, withoutGrafanaVariables } from '../helpers/promql.ts';
import { docs, renderFixture } from '../helpers/render.ts';

describe('the PromQL checker', () => {
  it('accepts valid queries and Grafana variables, rejects broken ones', () => {
    expect(promqlErrors('sum by (job) (rate(http_requests_total{job=~"$job"}[$__rate_interval])) > 0')).toEqual([]);
    expect(promqlErrors('histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))')).toEqual([]);
    expect(withoutGrafanaVariables('rate(x[$__rate_interval]) and y{a="${agent}"}')).toBe('rate(x[5m]) and y{a="x"}');
    for (const bad of ['sum by (job) (rate(x[5m])', 'rate(x{a="b"[5m])', 'x > > 1', 'up{job=}', '']) expect(promqlErrors(bad), bad).not.toEqual([]);
  });
});

describe('rules and dashboards parse', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    it(`${env}: every PrometheusRule expr`, () => {
      const exprs = docs(renderFixture(env), 'monitoring-rules/rules.yaml').flatMap(exprsOf);
      expect(exprs.length).toBeGreaterThan(10);
      for (const e of exprs) expect(promqlErrors(e), e).toEqual([]);
    });
  }

  it('every dashboard target in apps/grafana-dashboards/base', () => {
    const dir = join(ROOT, 'apps/grafana-dashboards/base');
    let n = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      type Panel = { datasource?: { type?: string }; targets?: unknown[]; panels?: Panel[] };
      const model = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { panels?: Panel[] };
      const flat = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...flat(p.panels ?? [])]);
      // Only Prometheus targets speak PromQL (the PostgreSQL panels carry rawSql).
      for (const p of flat(model.panels ?? [])) {
        if (p.datasource?.type && p.datasource.type !== 'prometheus') continue;
        for (const e of exprsOf(p.targets ?? [])) {
          n++;
          expect(promqlErrors(e), `${f}: ${e}`).toEqual([]);
        }
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});
