/**
 * The observability layer through the real pipeline (render + real kustomize), in every fixture
 * environment: output validity (core kinds, the project's strict CRD schemas and the upstream
 * CRD schemas), container security, the OpenTelemetry collector's config and its rollout
 * checksum. MLflow, the monitoring stack and the layer's rules: observability-mlflow.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectorConfig, EXPERIMENT_ID_FILE, MLFLOW_EXPORTER, probeSpanConditions } from '../../scripts/lib/derive/collector-config.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { stableJson } from '../../scripts/lib/render/handlebars.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { byKind, componentOf, ENVS, factsOf, fileObj, hydrated, OBS_COMPONENTS, one, render, type Obj } from '../helpers/observability.ts';
import { renderTemp } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});


const obsObjects = <T extends { obj: unknown }>(objects: T[]): (T & { obj: Obj })[] =>
  (objects as (T & { obj: Obj })[]).filter(
    (o) => (OBS_COMPONENTS as readonly string[]).includes(componentOf(o.obj) ?? '') || o.obj.metadata?.name?.endsWith('-kube-prometheus-stack'),
  );

describe('the observability layer renders for every environment', () => {
  it.each(ENVS)('%s: collector, MLflow, rules and dashboards are rendered and hydrate', async (env) => {
    const { out, objects } = await hydrated(env);
    for (const c of OBS_COMPONENTS) {
      expect(out.files.has(`${c}/kustomization.yaml`), `${c} overlay`).toBe(true);
      expect(out.files.has(`apps/${c}.yaml`), `${c} Application`).toBe(true);
    }
    const mine = obsObjects(objects).map((o) => `${o.obj.kind}/${o.obj.metadata.name}`);
    expect(mine).toEqual(
      expect.arrayContaining([
        'Deployment/otel-collector',
        'Service/otel-collector',
        'ConfigMap/otel-collector-config',
        'ServiceMonitor/otel-collector',
        'Deployment/mlflow',
        'Service/mlflow',
        'Ingress/mlflow',
        'ServiceMonitor/mlflow',
        'Job/mlflow-ensure-experiment',
        'ExternalSecret/postgres-mlflow',
        'ConfigMap/mlflow-experiment-scripts',
        'PrometheusRule/catalyst-platform',
        'PodMonitor/llm-d-scheduler',
        'ExternalSecret/grafana-datasource-mlflow-traces',
        'ConfigMap/grafana-dashboard-platform-overview',
        'ConfigMap/grafana-dashboard-vllm-serving',
        'ConfigMap/grafana-dashboard-llm-d-scheduler',
        'ConfigMap/grafana-dashboard-llama-stack',
        'ConfigMap/grafana-dashboard-service-graph',
        'ConfigMap/grafana-dashboard-postgresql',
        'ConfigMap/grafana-dashboard-mlflow-traces',
        'Application/' + env + '-kube-prometheus-stack',
      ]),
    );
  });

  it.each(ENVS)('%s: every object is valid: core kinds, the strict CRD schemas and the upstream CRD schemas', async (env) => {
    const { objects } = await hydrated(env);
    const mine = obsObjects(objects);
    expect(mine.length).toBeGreaterThan(20);
    const strict = await validateObjects(mine, { crdSchemaDir: join(ROOT, 'schemas/crds') });
    expect(strict.map(formatFinding)).toEqual([]);
    const upstreamDir = join(ROOT, '..', 'shared', 'crds');
    if (existsSync(upstreamDir)) {
      const custom = mine.filter((o) => !['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'policy/v1'].includes(o.obj.apiVersion));
      const upstream = await validateObjects(custom, { crdSchemaDir: upstreamDir, upstream: true });
      expect(upstream.map(formatFinding)).toEqual([]);
    }
  });

  it.each(ENVS)('%s: no Secret, images pinned, the collector is the pinned contrib image', async (env) => {
    const { objects } = await hydrated(env);
    expect(objects.filter((o) => o.obj.kind === 'Secret')).toEqual([]);
    for (const o of obsObjects(objects)) {
      const spec = o.obj.spec?.template?.spec;
      for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
        expect(c.image, `${o.obj.metadata.name}/${c.name}`).toMatch(/^[a-z0-9.-]+\/[a-z0-9./_-]+:[A-Za-z0-9._-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
    const collector = one(objects, 'Deployment', 'otel-collector', 'catalyst-observability');
    expect(collector.spec.template.spec.containers[0].image).toBe('docker.io/otel/opentelemetry-collector-contrib:0.153.0');
  });
});

describe('container security of every workload the layer creates', () => {
  it.each(ENVS)('%s: non-root, no escalation, no capabilities, seccomp, read-only root, resources, probes, own ServiceAccount', async (env) => {
    const { objects } = await hydrated(env);
    const serviceAccounts = new Map(byKind(objects, 'ServiceAccount').map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa]));
    const workloads = obsObjects(objects)
      .map((o) => o.obj)
      .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind));
    expect(workloads.map((w) => w.metadata.name).sort()).toEqual(['mlflow', 'mlflow-ensure-experiment', 'otel-collector']);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      const where = `${w.kind}/${w.metadata.name}`;
      expect(pod.automountServiceAccountToken, where).toBe(false);
      const sa = serviceAccounts.get(`${w.metadata.namespace}/${pod.serviceAccountName}`);
      expect(sa, `${where}: ServiceAccount ${pod.serviceAccountName}`).toBeDefined();
      expect(sa!.automountServiceAccountToken, `${where}: ServiceAccount`).toBe(false);
      expect(pod.securityContext.runAsNonRoot, where).toBe(true);
      expect(pod.securityContext.seccompProfile.type, where).toBe('RuntimeDefault');
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const at = `${where}/${c.name}`;
        const sc = c.securityContext;
        expect(sc.runAsNonRoot, at).toBe(true);
        expect(sc.allowPrivilegeEscalation, at).toBe(false);
        expect(sc.capabilities.drop, at).toEqual(['ALL']);
        expect(sc.seccompProfile.type, at).toBe('RuntimeDefault');
        expect(sc.readOnlyRootFilesystem, at).toBe(true);
        for (const r of ['cpu', 'memory']) {
          expect(c.resources?.requests?.[r], `${at} requests.${r}`).toBeDefined();
          expect(c.resources?.limits?.[r], `${at} limits.${r}`).toBeDefined();
        }
      }
      if (w.kind !== 'Job') {
        for (const c of pod.containers) {
          expect(c.readinessProbe, `${where}/${c.name} readiness`).toBeDefined();
          expect(c.livenessProbe, `${where}/${c.name} liveness`).toBeDefined();
        }
      }
    }
  });
});

describe('the OpenTelemetry collector', () => {
  it.each(ENVS)('%s: the ConfigMap is facts.otelCollector.config and the pod carries its checksum', async (env) => {
    const { objects } = await hydrated(env);
    const facts = factsOf(env);
    const cm = one(objects, 'ConfigMap', 'otel-collector-config', 'catalyst-observability');
    const config = parse(cm.data['config.yaml']) as Obj;
    expect(config).toEqual(facts.otelCollector.config);
    const dep = one(objects, 'Deployment', 'otel-collector', 'catalyst-observability');
    const sum = createHash('sha256').update(stableJson([facts.otelCollector.config])).digest('hex');
    expect(dep.spec.template.metadata.annotations['checksum/config']).toBe(sum);
  });

  it.each(ENVS)('%s: OTLP in on 4317/4318, probes dropped before batching, MLflow over OTLP/HTTP, metrics for Prometheus', async (env) => {
    const { objects } = await hydrated(env);
    const facts = factsOf(env);
    const config = parse(one(objects, 'ConfigMap', 'otel-collector-config').data['config.yaml']) as Obj;
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const traces = config.service.pipelines['traces/mlflow'];
    expect(traces.processors).toEqual(['memory_limiter', 'filter/drop-probes', 'tail_sampling/mlflow', 'filter/mlflow-drop-db', 'transform/genai', 'batch']);
    expect(traces.exporters).toEqual([MLFLOW_EXPORTER]);
    expect(config.service.pipelines['traces/metrics'].exporters).toEqual(['spanmetrics', 'servicegraph']);
    expect(config.service.pipelines.metrics.receivers).toEqual(['otlp', 'spanmetrics', 'servicegraph']);
    expect(config.service.pipelines.metrics.exporters).toEqual(['prometheus']);
    // 0.153.0 names: otlp_http (otlphttp is deprecated since 0.144.0).
    const mlflow = config.exporters[MLFLOW_EXPORTER];
    expect(MLFLOW_EXPORTER).toBe('otlp_http/mlflow');
    expect(mlflow.traces_endpoint).toBe(`http://mlflow.catalyst-observability.svc.cluster.local:5000/v1/traces`);
    expect(mlflow.traces_endpoint).toBe(facts.mlflow.otlpTracesEndpoint);
    // The experiment id is never a literal: the file provider reads what the init container wrote.
    expect(mlflow.headers).toEqual({ 'x-mlflow-experiment-id': `\${file:${EXPERIMENT_ID_FILE}}` });
    // Every component a pipeline names is defined.
    for (const [name, p] of Object.entries(config.service.pipelines as Record<string, Obj>)) {
      for (const r of p.receivers) expect(config.receivers[r] ?? config.connectors[r], `${name} receiver ${r}`).toBeDefined();
      for (const r of p.processors) expect(config.processors[r], `${name} processor ${r}`).toBeDefined();
      for (const e of p.exporters) expect(config.exporters[e] ?? config.connectors[e], `${name} exporter ${e}`).toBeDefined();
    }
    // Ports the config listens on are the container ports and the Service ports the ServiceMonitor scrapes.
    const dep = one(objects, 'Deployment', 'otel-collector');
    const ports = Object.fromEntries(dep.spec.template.spec.containers[0].ports.map((p: Obj) => [p.name, p.containerPort]));
    expect(config.exporters.prometheus.endpoint).toBe(`0.0.0.0:${ports.metrics}`);
    expect(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port).toBe(ports.telemetry);
    expect(config.extensions.health_check.endpoint).toBe(`0.0.0.0:${ports.health}`);
    expect(ports['otlp-grpc']).toBe(4317);
    expect(ports['otlp-http']).toBe(4318);
  });

  it('the probe filter drops health, metrics and discovery spans, and nothing else', () => {
    const conds = probeSpanConditions(['/health', '/.well-known/agent.json']);
    const nameRe = new RegExp(/IsMatch\(span\.name, "(.*)"\)/.exec(conds[0]!)![1]!);
    for (const n of ['GET /health', 'GET /health http send', 'HEAD /health', 'GET /.well-known/agent.json']) expect(nameRe.test(n), n).toBe(true);
    for (const n of ['GET /healthy', 'POST /health', 'GET /v1/chat/completions', 'GET /xwell-known/agent.json']) expect(nameRe.test(n), n).toBe(false);
    const pathRe = new RegExp(/IsMatch\(span\.attributes\["url.path"\], "(.*)"\)/.exec(conds[1]!)![1]!);
    expect(pathRe.test('/health')).toBe(true);
    expect(pathRe.test('/health/deep')).toBe(false);
    expect(conds.join('')).not.toContain('\\');
    expect(probeSpanConditions([])).toEqual([]);
    const config = collectorConfig({ settings: { dropSpanPaths: [] }, ports: { otlpGrpc: 4317, otlpHttp: 4318, metrics: 8889, telemetry: 8888, health: 13133 }, mlflowTracesEndpoint: 'http://x/v1/traces' }) as Obj;
    expect(config.service.pipelines['traces/mlflow'].processors).toEqual(['memory_limiter', 'tail_sampling/mlflow', 'filter/mlflow-drop-db', 'transform/genai', 'batch']);
  });

  it('a config change rolls the collector: the checksum annotation follows the config', () => {
    tp = tempProject();
    const before = fileObj(renderTemp(tp, 'dev').files, 'otel-collector/deployment.yaml');
    tp.edit('environments/dev.yaml', 'components:\n', 'components:\n  otel-collector:\n    batch: { timeout: 1s, sendBatchSize: 512, sendBatchMaxSize: 1024 }\n');
    const out = renderTemp(tp, 'dev');
    expect(out.findings.map(formatFinding)).toEqual([]);
    const after = fileObj(out.files, 'otel-collector/deployment.yaml');
    const key = 'checksum/config';
    expect(after.spec.template.metadata.annotations[key]).not.toBe(before.spec.template.metadata.annotations[key]);
    expect(parse(fileObj(out.files, 'otel-collector/config.yaml').data['config.yaml']).processors.batch.timeout).toBe('1s');
  });

  it("the collector's ports are its catalog entry's (apps/otel-collector/app.yaml ports), not code's", () => {
    tp = tempProject();
    tp.edit('apps/otel-collector/app.yaml', '  otlpHttp: 4318\n', '  otlpHttp: 14318\n');
    const out = renderTemp(tp, 'dev');
    expect(out.findings.map(formatFinding)).toEqual([]);
    const dep = fileObj(out.files, 'otel-collector/deployment.yaml');
    expect(dep.spec.template.spec.containers[0].ports).toContainEqual(expect.objectContaining({ containerPort: 14318 }));
    expect(parse(fileObj(out.files, 'otel-collector/config.yaml').data['config.yaml']).receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:14318');
    tp.edit('apps/otel-collector/app.yaml', '  health: 13133\n', '');
    expect(() => renderTemp(tp!, 'dev')).toThrow(/apps\/otel-collector\/app.yaml: ports.health is missing/);
  });

  it('keeps one collector replica: tail sampling needs every span of a trace on one pod', () => {
    expect(render('prod').files.has('otel-collector/pdb.yaml')).toBe(false);
    tp = tempProject();
    tp.edit('environments/prod.yaml', '  otel-collector:\n', '  otel-collector:\n    replicas: 2\n');
    const out = renderTemp(tp, 'prod');
    expect(out.findings.map(formatFinding)).toEqual([expect.stringMatching(/\/components\/otel-collector\/replicas 2 collector replicas would split traces across pods/)]);
  });

  it.each(ENVS)('%s: every producer gets its OTLP endpoint from facts.otel (no copied collector address)', (env) => {
    const out = render(env);
    const facts = factsOf(env);
    expect(Object.keys(facts.otel).sort()).toEqual(['enabled', 'grpc', 'host', 'http', 'namespace']);
    expect(facts.otel).toMatchObject({
      enabled: true,
      namespace: 'catalyst-observability',
      host: 'otel-collector.catalyst-observability.svc.cluster.local',
      grpc: 'http://otel-collector.catalyst-observability.svc.cluster.local:4317',
      http: 'http://otel-collector.catalyst-observability.svc.cluster.local:4318',
    });
    const allowed = new Set<string>([facts.otel.grpc, facts.otel.http]);
    // The collector's address in any form: <svc>.<namespace>[.svc[.cluster.local]][:port], with or without a scheme.
    const hostRe = new RegExp(`(?:[a-z]+://)?otel-collector\\.(?:${out.plan!.namespaces.join('|')})(?:\\.svc(?:\\.cluster\\.local)?)?(?::[0-9]+)?`, 'g');
    let uses = 0;
    for (const [path, text] of out.files) {
      if (path.startsWith('otel-collector/') || path.endsWith('ARCHITECTURE.md')) continue;
      for (const m of text.matchAll(hostRe)) {
        expect(allowed.has(m[0]), `${path}: ${m[0]}`).toBe(true);
        uses++;
      }
    }
    expect(uses, 'producers (Llama Stack, KServe tracing) use facts.otel').toBeGreaterThan(0);
  });
});
