/**
 * Issue 13 dashboards as data: agents over A2A (with exemplar links from slow requests to the
 * trace in MLflow), MCP tool calls per server and tool (Istio metrics labelled by the router's
 * headers, Kuadrant/mcp-gateway v0.9.0 examples/otel/istio-mcp-metrics.yaml), benchmark trends
 * from the benchmarks database through a read-only datasource.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

describe('issue 13 dashboards', () => {
  it('prod: slow-latency exemplars open their trace in MLflow through the Prometheus datasource, by the exemplar\'s trace_id', () => {
    const out = renderFixture('prod');
    const cm = docs(out, 'grafana-dashboards/agents-a2a.yaml')[0]!;
    const d = JSON.parse(cm.data['agents-a2a.json']) as Obj;
    const latency = (d.panels as Obj[]).find((p) => p.title.startsWith('A2A p95 latency'))!;
    expect(latency.targets[0].exemplar).toBe(true);
    // A panel's field link gets the sample (the latency) for ${__value.raw}, never the trace id (issue 24).
    expect(JSON.stringify(latency.fieldConfig)).not.toContain('__value.raw');
    // The datasource's exemplar destination gets the value of the exemplar label it names: the
    // collector's prometheus exporter writes trace ids as trace_id (spanmetrics exemplars on).
    const app = docs(out, 'apps/kube-prometheus-stack.yaml')[0]!;
    const ds = app.spec.source.helm.valuesObject.grafana.sidecar.datasources;
    expect(ds.uid).toBe('prometheus');
    expect(ds.extraJsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', url: 'https://mlflow.catalyst.example.com/#/experiments?searchFilter=platform-traces&selectedTraceId=${__value.raw}', urlDisplayLabel: 'Open trace in MLflow' },
    ]);
    const collector = docs(out, 'otel-collector/config.yaml')[0]!.data['config.yaml'] as string;
    expect(collector).toMatch(/exemplars:\s+enabled: true/);
  });

  it('the "Agent request rate" panels select the servicegraph edges whose client is one of the env\'s agents, by their service.name', () => {
    for (const env of ['dev', 'prod']) {
      const out = renderFixture(env);
      const services = docs(out, 'agents/agents.yaml')
        .filter((o) => o.kind === 'Deployment' && o.spec.template.spec.containers[0].env)
        .map((o) => (o.spec.template.spec.containers[0].env as Obj[]).find((e) => e.name === 'OTEL_SERVICE_NAME')!.value as string);
      expect(services.length, env).toBeGreaterThan(0);
      const panels = [
        ...(JSON.parse(docs(out, 'grafana-dashboards/platform-overview.yaml')[0]!.data['platform-overview.json']).panels as Obj[]),
        ...(JSON.parse(docs(out, 'grafana-dashboards/service-graph.yaml')[0]!.data['service-graph.json']).panels as Obj[]),
      ].filter((p) => p.title === 'Agent request rate');
      expect(panels, env).toHaveLength(2);
      for (const p of panels) {
        const m = /client=~"([^"]*)"/.exec(p.targets[0].expr as string)!;
        const re = new RegExp(`^(?:${m[1]!.replace(/\\\\/g, '\\')})$`); // PromQL regexes are anchored
        for (const s of services) expect(re.test(s), `${env}: ${s}`).toBe(true);
        for (const other of ['llama-stack', 'webui', 'benchmark-guidellm', 'mcp-gateway']) expect(re.test(other), other).toBe(false);
      }
    }
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
