/**
 * Issue 13 dashboards as data: agents over A2A (with exemplar links from slow requests to the
 * trace in MLflow), MCP tool calls per server and tool (Istio metrics labelled by the router's
 * headers, Kuadrant/mcp-gateway v0.9.0 examples/otel/istio-mcp-metrics.yaml), benchmark trends
 * from the benchmarks database through a read-only datasource.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

describe('issue 13 dashboards', () => {
  it('prod: the agents dashboard links slow latency exemplars to MLflow at this env\'s UI', () => {
    const cm = docs(renderFixture('prod'), 'grafana-dashboards/agents-a2a.yaml')[0]!;
    const d = JSON.parse(cm.data['agents-a2a.json']) as Obj;
    const latency = (d.panels as Obj[]).find((p) => p.title.startsWith('A2A p95 latency'))!;
    expect(latency.targets[0].exemplar).toBe(true);
    expect(latency.fieldConfig.defaults.links[0].url).toMatch(/^https:\/\/mlflow\.catalyst\.example\.com\/#\/experiments\?searchFilter=platform-traces&selectedTraceId=\$\{__value\.raw\}$/);
  });

  it('prod: the MCP gateway labels its metrics by server and tool and Prometheus scrapes the proxy', () => {
    const objs = docs(renderFixture('prod'), 'mcp-gateway/telemetry.yaml');
    const tel = objs.find((o) => o.kind === 'Telemetry')!;
    for (const o of tel.spec.metrics[0].overrides as Obj[]) expect(Object.keys(o.tagOverrides).sort()).toEqual(['mcp_method', 'mcp_server_name', 'mcp_tool_name']);
    const pm = objs.find((o) => o.kind === 'PodMonitor')!;
    expect(pm.spec.podMetricsEndpoints[0]).toMatchObject({ targetPort: 15020, path: '/stats/prometheus' });
  });

  it('prod: benchmark trends read benchmark_runs through a read-only datasource of the benchmarks database', () => {
    const es = docs(renderFixture('prod'), 'grafana-dashboards/benchmarks-datasource.yaml')[0]!;
    const ds = es.spec.target.template.data['benchmarks.yaml'] as string;
    expect(ds).toContain('uid: benchmarks-postgres');
    expect(ds).toContain('database: "benchmarks"');
  });
});
