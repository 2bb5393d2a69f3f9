/**
 * Issue 13 item 11 and the second trace pipeline: the collector's config (otelcol-contrib
 * 0.153.0) uses the filter processor's trace_conditions (not the legacy traces.span form),
 * bounds span metrics (metrics_expiration, aggregation_cardinality_limit default 0 = never /
 * unlimited), sets GOMEMLIMIT to 80% of the memory limit (opentelemetry-collector v0.153.0
 * processor/memorylimiterprocessor/README.md:74-80), tail-samples what goes to MLflow, and adds a
 * general trace store when configured.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

function config(env: string): Obj {
  const cm = docs(renderFixture(env), 'otel-collector/config.yaml').find((o) => o.kind === 'ConfigMap')!;
  return parse(cm.data['config.yaml']) as Obj;
}

describe('collector config', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    it(`${env}: no legacy filter form, bounded span metrics, sampled MLflow export`, () => {
      const c = config(env);
      for (const [id, p] of Object.entries(c.processors as Obj)) if (id.startsWith('filter/')) {
        expect((p as Obj).traces, id).toBeUndefined();
        for (const cond of (p as Obj).trace_conditions as string[]) expect(cond).toMatch(/span\./);
      }
      const sm = c.connectors.spanmetrics;
      expect(sm.metrics_expiration).toMatch(/^[1-9]/);
      expect(sm.aggregation_cardinality_limit).toBeGreaterThan(0);
      expect(sm.dimensions_cache_size).toBeUndefined();
      // Every pipeline that exports to MLflow samples by trace first; DB spans stay out.
      for (const [name, pl] of Object.entries(c.service.pipelines as Obj)) {
        if (!(pl.exporters as string[]).includes('otlp_http/mlflow')) continue;
        const procs = pl.processors as string[];
        expect(procs.indexOf('tail_sampling/mlflow'), name).toBeGreaterThan(0);
        expect(procs.indexOf('filter/mlflow-drop-db')).toBeGreaterThan(procs.indexOf('tail_sampling/mlflow'));
      }
      expect(c.processors['tail_sampling/mlflow'].policies[0].string_attribute.key).toBe('gen_ai.operation.name');
      // Span metrics see every span.
      const metrics = Object.values(c.service.pipelines as Obj).find((p) => (p.exporters as string[]).includes('spanmetrics'))!;
      expect((metrics.processors as string[]).some((p) => p.startsWith('tail_sampling'))).toBe(false);
    });
  }

  it('a slow LLM trace is decided whole: the wait outlasts a long generation, later spans follow the decision', () => {
    const c = config('staging');
    for (const id of ['tail_sampling/mlflow', 'tail_sampling/store']) {
      const ts = c.processors[id];
      // A GenAI span arrives when the call ends; a 10 s wait decided a 30 s generation's trace without it.
      expect(Number(String(ts.decision_wait).replace(/s$/, '')), id).toBeGreaterThanOrEqual(60);
      expect(ts.decision_cache, id).toEqual({ sampled_cache_size: ts.num_traces, non_sampled_cache_size: ts.num_traces });
    }
  });

  it('GOMEMLIMIT is 80% of the container memory limit', () => {
    const d = docs(renderFixture('prod'), 'otel-collector/deployment.yaml').find((o) => o.kind === 'Deployment')!;
    const c = d.spec.template.spec.containers[0];
    expect(c.resources.limits.memory).toBe('1Gi');
    expect(c.env).toContainEqual({ name: 'GOMEMLIMIT', value: '819MiB' });
  });

  it('a second pipeline to the trace store exists exactly where one is configured', () => {
    expect(config('prod').service.pipelines['traces/store']).toBeUndefined();
    const c = config('staging');
    expect(c.service.pipelines['traces/store']).toEqual({
      receivers: ['otlp'],
      processors: ['memory_limiter', 'filter/drop-probes', 'tail_sampling/store', 'batch'],
      exporters: ['otlp_grpc/store'],
    });
    expect(c.exporters['otlp_grpc/store'].endpoint).toBe('tempo-distributor.tempo.svc.cluster.local:4317');
    const pols = c.processors['tail_sampling/store'].policies.map((p: Obj) => p.type);
    expect(pols).toEqual(['status_code', 'latency', 'probabilistic']);
    const np = docs(renderFixture('staging'), 'namespaces/network-policies.yaml').find((p) => p.metadata.namespace === 'catalyst-observability' && p.metadata.name === 'allow-to-tempo');
    expect(JSON.stringify(np?.spec.egress)).toContain('4317');
  });

  it('picks up a new experiment id without a restart: a watch sidecar rewrites the file and SIGHUPs the collector', () => {
    const d = docs(renderFixture('prod'), 'otel-collector/deployment.yaml').find((o) => o.kind === 'Deployment')!;
    const spec = d.spec.template.spec;
    expect(spec.shareProcessNamespace).toBe(true);
    const [collector, watch] = spec.containers as Obj[];
    const env = Object.fromEntries((watch!.env as Obj[]).map((e) => [e.name, e.value]));
    expect(collector!.args).toContain(env.RELOAD_PROCESS);
    expect(Number(env.WATCH_SECONDS)).toBeGreaterThan(0);
    expect(watch!.securityContext.runAsUser).toBe(collector!.securityContext.runAsUser);
    expect(spec.initContainers[0].securityContext.runAsUser).toBe(collector!.securityContext.runAsUser);
  });
});
