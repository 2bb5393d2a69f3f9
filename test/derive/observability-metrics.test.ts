/**
 * Dashboards and alert rules only name metrics that exist: every PromQL query of every rendered
 * dashboard (panels and variables) and every PrometheusRule expression is reduced to its metric
 * names, and each must come from a source of data/observability/metrics.yaml whose components
 * are in that environment's output. The dashboards are JSON kept as data (apps/grafana-dashboards/base,
 * plus the rendered platform overview), reference datasources by uid, and the SQL of the MLflow
 * traces dashboard reads only MLflow tables it documents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';
import {
  byKind,
  dashboardQueries,
  dashboards,
  datasourceRefs,
  ENVS,
  hydrated,
  knownSeries,
  metricCatalog,
  promqlMetricNames,
  sqlTables,
  type Obj,
} from '../helpers/observability.ts';

const DATASOURCE_TYPES: Record<string, string> = { prometheus: 'prometheus', 'mlflow-postgres': 'grafana-postgresql-datasource', 'benchmarks-postgres': 'grafana-postgresql-datasource' };
const FILES = readdirSync(join(ROOT, 'apps/grafana-dashboards/base')).filter((f) => f.endsWith('.json')).sort();
/** Dashboards with @@NAME@@ tokens are rendered by apps/grafana-dashboards/overlays with the env's values. */
const TEMPLATED = FILES.filter((f) => readFileSync(join(ROOT, 'apps/grafana-dashboards/base', f), 'utf8').includes('@@'));
const STATIC = FILES.filter((f) => !TEMPLATED.includes(f));

describe('PromQL metric extraction', () => {
  it.each([
    ['sum by (model_name) (rate(vllm:prompt_tokens_total{namespace=~"$ns"}[$__rate_interval]))', ['vllm:prompt_tokens_total']],
    ['histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m]))) > 2', ['vllm:time_to_first_token_seconds_bucket']],
    ['a_total / on(pod) group_left(node) b_info offset 5m', ['a_total', 'b_info']],
    ['label_values(vllm:num_requests_running{namespace="x"}, model_name)', ['vllm:num_requests_running']],
    ['label_values(namespace)', []],
    ['absent(up{job=~"ns/.+-vllm"} == 1)', ['up']],
    ['sum(ALERTS{alertstate="firing"}) or vector(0)', ['ALERTS']],
    ['x and y unless z', ['x', 'y', 'z']],
    ['1e9 * foo', ['foo']],
  ])('%s', (expr, names) => {
    expect(promqlMetricNames(expr)).toEqual(names);
  });

  it('SQL tables', () => {
    expect(sqlTables("SELECT trim(both '\"' from s.content) FROM spans s JOIN trace_info t ON t.request_id = s.trace_id")).toEqual(['spans', 'trace_info']);
  });
});

describe('the dashboards are data', () => {
  it('one JSON file per dashboard in apps/grafana-dashboards/base, each in the configMapGenerator', () => {
    expect(STATIC).toEqual(['benchmark-trends.json', 'llama-stack.json', 'llm-d-scheduler.json', 'mcp-tools.json', 'mlflow-traces.json', 'postgresql.json', 'vllm-serving.json']);
    const kustomization = readFileSync(join(ROOT, 'apps/grafana-dashboards/base/kustomization.yaml'), 'utf8');
    for (const f of STATIC) expect(kustomization).toContain(`- ${f}`);
    expect(TEMPLATED).toEqual(['agents-a2a.json', 'platform-overview.json', 'service-graph.json']);
    for (const f of TEMPLATED) expect(kustomization).not.toContain(`- ${f}`);
  });

  it.each(FILES)('%s is a valid Grafana dashboard model with datasources by uid', (file) => {
    const d = JSON.parse(readFileSync(join(ROOT, 'apps/grafana-dashboards/base', file), 'utf8')) as Obj;
    expect(d.uid).toBe(`catalyst-${file.replace(/\.json$/, '')}`);
    expect(d.title).toBeTruthy();
    expect(d.id).toBeUndefined();
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.tags).toContain('catalyst-lab');
    expect(JSON.stringify(d)).not.toContain('${DS_');
    const refs = datasourceRefs(d);
    expect(refs.length).toBeGreaterThan(0);
    for (const { where, ref } of refs) {
      const r = ref as { type?: string; uid?: string };
      expect(typeof r, where).toBe('object');
      expect(Object.keys(DATASOURCE_TYPES), where).toContain(r.uid);
      expect(r.type, where).toBe(DATASOURCE_TYPES[r.uid!]);
    }
    const ids = new Set<number>();
    const walk = (panels: Obj[]): void => {
      for (const p of panels) {
        expect(ids.has(p.id), `duplicate panel id ${p.id}`).toBe(false);
        ids.add(p.id);
        expect(p.gridPos.x + p.gridPos.w, `panel "${p.title}" fits the grid`).toBeLessThanOrEqual(24);
        walk(p.panels ?? []);
      }
    };
    walk(d.panels);
  });
});

describe.each(ENVS)('%s: every query names metrics the output provides', (env) => {
  it('the rendered dashboards: all of apps/grafana-dashboards/base plus the platform overview, with the MLflow UI link', async () => {
    const { out, objects } = await hydrated(env);
    const list = dashboards(objects);
    expect(list.map((d) => d.file).sort()).toEqual([...STATIC, ...TEMPLATED].sort());
    for (const d of list) expect(d.configMap).toBe(`grafana-dashboard-${d.file.replace(/\.json$/, '')}`);
    const overview = list.find((d) => d.file === 'platform-overview.json')!.json;
    const ui = `https://mlflow.${out.plan!.env.config.cluster.domain}`;
    expect(overview.links).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'MLflow UI', url: ui, targetBlank: true })]));
    expect(JSON.stringify(overview.panels)).toContain(`(${ui})`);
    for (const { where, ref } of datasourceRefs(overview)) expect(Object.keys(DATASOURCE_TYPES), where).toContain((ref as Obj).uid);
  });

  it('dashboards: metric names per dashboard, each from a source in this env', async () => {
    const { out, objects } = await hydrated(env);
    const enabled = (c: string): boolean => out.plan!.byName.has(c);
    const known = knownSeries(metricCatalog(), enabled);
    const perDashboard: Record<string, string[]> = {};
    for (const d of dashboards(objects)) {
      const names = new Set<string>();
      for (const q of dashboardQueries(d.json)) {
        if (q.kind !== 'promql') continue;
        for (const n of promqlMetricNames(q.text)) {
          expect(known.has(n), `${d.file} ${q.where}: metric ${n} is not provided in ${env} (data/observability/metrics.yaml)`).toBe(true);
          names.add(n);
        }
      }
      perDashboard[d.file] = [...names].sort();
    }
    // The list, per dashboard (mlflow-traces reads SQL only).
    for (const [file, names] of Object.entries(perDashboard)) {
      if (file === 'mlflow-traces.json' || file === 'benchmark-trends.json') expect(names).toEqual([]);
      else expect(names.length, file).toBeGreaterThan(2);
    }
    expect(perDashboard['vllm-serving.json']).toEqual(
      expect.arrayContaining(['vllm:time_to_first_token_seconds_bucket', 'vllm:inter_token_latency_seconds_bucket', 'vllm:kv_cache_usage_perc', 'vllm:num_requests_waiting', 'vllm:generation_tokens_total']),
    );
    expect(perDashboard['service-graph.json']).toEqual(expect.arrayContaining(['traces_service_graph_request_total', 'traces_service_graph_request_server_seconds_bucket']));
    expect(perDashboard['llm-d-scheduler.json']).toEqual(expect.arrayContaining(['inference_pool_average_kv_cache_utilization', 'inference_pool_ready_pods']));
    expect(perDashboard['llama-stack.json']).toEqual(expect.arrayContaining(['traces_spanmetrics_calls_total', 'gen_ai_client_token_usage_sum']));
    expect(perDashboard['postgresql.json']).toEqual(expect.arrayContaining(['cnpg_collector_up', 'kubelet_volume_stats_available_bytes']));
  });

  it('alert and recording rules: every expression names metrics from a source in this env', async () => {
    const { out, objects } = await hydrated(env);
    const known = knownSeries(metricCatalog(), (c) => out.plan!.byName.has(c));
    let n = 0;
    for (const r of byKind(objects, 'PrometheusRule')) {
      if (r.metadata.namespace !== 'catalyst-observability') continue;
      for (const g of r.spec.groups as Obj[]) {
        for (const rule of g.rules as Obj[]) {
          for (const name of promqlMetricNames(String(rule.expr))) {
            expect(known.has(name), `${r.metadata.name} ${rule.alert ?? rule.record}: ${name}`).toBe(true);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(15);
  });

  it('the MLflow traces dashboard reads documented MLflow tables and columns through the read-only datasource', async () => {
    const { objects } = await hydrated(env);
    const { mlflowTables } = metricCatalog();
    const d = dashboards(objects).find((x) => x.file === 'mlflow-traces.json')!.json;
    const sql = dashboardQueries(d).filter((q) => q.kind === 'sql');
    expect(sql.length).toBeGreaterThan(5);
    for (const q of sql) {
      expect(q.text, q.where).not.toMatch(/\b(insert|update|delete|drop|alter|create|truncate|grant)\b/i);
      const tables = sqlTables(q.text);
      expect(tables.length, q.where).toBeGreaterThan(0);
      for (const t of tables) expect(Object.keys(mlflowTables), `${q.where}: table ${t}`).toContain(t);
      // Qualified columns (alias.column) are documented columns of the aliased table.
      const aliases = new Map<string, string>();
      for (const m of q.text.matchAll(/\b(?:from|join)\s+([a-z_]+)\s+([a-z])\b/gi)) aliases.set(m[2]!, m[1]!);
      for (const m of q.text.matchAll(/\b([a-z])\.([a-z_]+)\b/g)) {
        const table = aliases.get(m[1]!);
        if (table) expect(mlflowTables[table], `${q.where}: ${table}.${m[2]}`).toContain(m[2]);
      }
    }
    // What the dashboard shows: traces per service, latency, errors, token usage.
    const titles = JSON.stringify(d.panels.map((p: Obj) => p.title));
    for (const t of ['Traces per service', 'Trace latency', 'Errors per service', 'Token usage']) expect(titles).toContain(t);
  });
});

describe('the metric catalog', () => {
  it('names its sources by components that exist in apps/', () => {
    const apps = readdirSync(join(ROOT, 'apps')).map((f) => f.replace(/\.yaml$/, ''));
    for (const [name, s] of Object.entries(metricCatalog().sources)) {
      expect(s.description, name).toBeTruthy();
      for (const c of s.components) expect(apps, `${name}: component ${c}`).toContain(c);
      for (const [m, type] of Object.entries(s.metrics)) {
        expect(m, name).toMatch(/^[A-Za-z_:][A-Za-z0-9_:]*$/);
        expect(['counter', 'gauge', 'histogram'], `${name}: ${m}`).toContain(type);
        if (type === 'counter' && !m.startsWith('cnpg_')) expect(m, `${name}: counters end in _total`).toMatch(/_total$/);
      }
    }
  });
});
