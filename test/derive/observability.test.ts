/**
 * The observability layer through the real pipeline (render + real kustomize): the
 * OpenTelemetry collector, MLflow, the alert rules, the dashboards and the monitoring stack's
 * values, in every environment. Output validity (core kinds, the project's strict CRD schemas
 * and the upstream CRD schemas), container security, the collector's config and its rollout
 * checksum, the declarative MLflow experiment, and the semantic rules with their locations.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planFacts } from '../../scripts/lib/render/context.ts';
import { collectorConfig, EXPERIMENT_ID_FILE, MLFLOW_EXPORTER, probeSpanConditions } from '../../scripts/lib/derive/observability.ts';
import { ROOT, projectPaths } from '../../scripts/lib/paths.ts';
import { loadProject, planOne, renderOne } from '../../scripts/lib/render/environment.ts';
import { prometheusBytes, quantityBytes } from '../../scripts/lib/config/rules/observability.ts';
import { stableJson } from '../../scripts/lib/render/handlebars.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { byKind, componentOf, ENVS, hydrated, OBS_COMPONENTS, one, render, type Obj } from '../helpers/observability.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

/** The facts of a fixture environment (its plan comes from the file's shared render). */
function factsOf(env: string): Obj {
  const plan = render(env).plan!;
  return planFacts(plan) as Obj;
}

function renderTemp(t: TempProject, env: string) {
  return renderOne(loadProject(t.paths), env);
}

function fileObj(files: Map<string, string>, path: string): Obj {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no ${path}`);
  return parse(text) as Obj;
}

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
    const traces = config.service.pipelines.traces;
    expect(traces.processors).toEqual(['memory_limiter', 'filter/drop-probes', 'transform/genai', 'batch']);
    expect(traces.exporters).toEqual([MLFLOW_EXPORTER, 'spanmetrics', 'servicegraph']);
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
    const nameRe = new RegExp(/IsMatch\(name, "(.*)"\)/.exec(conds[0]!)![1]!);
    for (const n of ['GET /health', 'GET /health http send', 'HEAD /health', 'GET /.well-known/agent.json']) expect(nameRe.test(n), n).toBe(true);
    for (const n of ['GET /healthy', 'POST /health', 'GET /v1/chat/completions', 'GET /xwell-known/agent.json']) expect(nameRe.test(n), n).toBe(false);
    const pathRe = new RegExp(/IsMatch\(attributes\["url.path"\], "(.*)"\)/.exec(conds[1]!)![1]!);
    expect(pathRe.test('/health')).toBe(true);
    expect(pathRe.test('/health/deep')).toBe(false);
    expect(conds.join('')).not.toContain('\\');
    expect(probeSpanConditions([])).toEqual([]);
    const config = collectorConfig({ settings: { dropSpanPaths: [] }, mlflowTracesEndpoint: 'http://x/v1/traces' }) as Obj;
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter', 'transform/genai', 'batch']);
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

  it('more than one collector replica gets a PodDisruptionBudget over the same pods', () => {
    expect(render('prod').files.has('otel-collector/pdb.yaml')).toBe(false);
    tp = tempProject();
    tp.edit('environments/prod.yaml', '  otel-collector:\n', '  otel-collector:\n    replicas: 2\n');
    const out = renderTemp(tp, 'prod');
    expect(out.findings.map(formatFinding)).toEqual([]);
    const pdb = fileObj(out.files, 'otel-collector/pdb.yaml');
    const dep = fileObj(out.files, 'otel-collector/deployment.yaml');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: dep.spec.selector });
    expect(dep.spec.replicas).toBe(2);
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

describe('MLflow', () => {
  it.each(ENVS)('%s: backend store on the CNPG mlflow database with a CNPG-managed role secret, never a password in a URI', async (env) => {
    const { objects } = await hydrated(env);
    const facts = factsOf(env);
    const role = facts.postgres.roles.mlflow;
    const dep = one(objects, 'Deployment', 'mlflow', 'catalyst-observability');
    const c = dep.spec.template.spec.containers[0];
    const envOf = (cont: Obj) => Object.fromEntries(cont.env.map((e: Obj) => [e.name, e]));
    const e = envOf(c);
    expect(e.MLFLOW_BACKEND_STORE_URI.value).toBe('postgresql://mlflow@catalyst-pg-rw.catalyst-data.svc.cluster.local:5432/mlflow?sslmode=require');
    expect(c.args).toContain('--backend-store-uri=$(MLFLOW_BACKEND_STORE_URI)');
    expect(e.PGPASSWORD.valueFrom.secretKeyRef).toEqual({ name: role.secretName, key: 'password' });
    expect(envOf(dep.spec.template.spec.initContainers[0]).PGPASSWORD.valueFrom.secretKeyRef.name).toBe(role.secretName);
    const es = one(objects, 'ExternalSecret', role.secretName, 'catalyst-observability');
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: role.remoteKey, property: 'password' } }]);
    expect(es.spec.target.template).toMatchObject({ type: 'kubernetes.io/basic-auth', data: { username: 'mlflow' } });
    // The same role is managed by CNPG with the same remote key.
    const cluster = one(objects, 'Cluster', 'catalyst-pg', 'catalyst-data');
    expect(cluster.spec.managed.roles.map((r: Obj) => r.name)).toEqual(expect.arrayContaining(['mlflow', 'grafana_reader']));
    const db = byKind(objects, 'Database').find((d) => d.spec.name === 'mlflow');
    expect(db?.spec.owner).toBe('mlflow');
  });

  it.each(ENVS)('%s: allowed hosts are its in-cluster names and its ingress host; TLS ingress from the env issuer', async (env) => {
    const { out, objects } = await hydrated(env);
    const cfg = out.plan!.env.config;
    const dep = one(objects, 'Deployment', 'mlflow', 'catalyst-observability');
    const e = Object.fromEntries(dep.spec.template.spec.containers[0].env.map((x: Obj) => [x.name, x.value]));
    const hosts = (e.MLFLOW_SERVER_ALLOWED_HOSTS as string).split(',');
    expect(hosts).not.toContain('*');
    const ns = 'catalyst-observability';
    for (const h of ['mlflow', `mlflow.${ns}`, `mlflow.${ns}.svc`, `mlflow.${ns}.svc.cluster.local`]) {
      expect(hosts).toContain(h);
      expect(hosts).toContain(`${h}:5000`);
    }
    expect(hosts).toContain(`mlflow.${cfg.cluster.domain}`);
    expect(hosts).toContain('$(POD_IP):5000');
    // POD_IP is defined before the variable that expands it.
    const names = dep.spec.template.spec.containers[0].env.map((x: Obj) => x.name);
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('MLFLOW_SERVER_ALLOWED_HOSTS'));
    const ing = one(objects, 'Ingress', 'mlflow', ns);
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(cfg.tls.issuer.name);
    expect(ing.spec.ingressClassName).toBe(cfg.cluster.ingressClassName);
    expect(ing.spec.rules[0].host).toBe(`mlflow.${cfg.cluster.domain}`);
    expect(ing.spec.tls).toEqual([{ hosts: [`mlflow.${cfg.cluster.domain}`], secretName: 'mlflow-tls' }]);
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'mlflow', port: { name: 'http' } });
  });

  it.each(ENVS)('%s: the trace experiment is created by name (PostSync hook) and resolved by name by the collector', async (env) => {
    const { objects } = await hydrated(env);
    const facts = factsOf(env);
    const job = one(objects, 'Job', 'mlflow-ensure-experiment', 'catalyst-observability');
    expect(job.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    const jobEnv = Object.fromEntries(job.spec.template.spec.containers[0].env.map((x: Obj) => [x.name, x.value]));
    expect(jobEnv.EXPERIMENT_NAME).toBe(facts.mlflow.experiment.name);
    expect(jobEnv.MLFLOW_URL).toBe(facts.mlflow.url);
    const init = one(objects, 'Deployment', 'otel-collector').spec.template.spec.initContainers[0];
    const initEnv = Object.fromEntries(init.env.map((x: Obj) => [x.name, x.value]));
    expect(initEnv).toMatchObject({ EXPERIMENT_NAME: facts.mlflow.experiment.name, OUTPUT_FILE: EXPERIMENT_ID_FILE, MLFLOW_URL: facts.mlflow.url });
    // Both run the script of the mlflow-experiment-scripts ConfigMap, which the collector mounts by name.
    const scripts = one(objects, 'ConfigMap', 'mlflow-experiment-scripts', 'catalyst-observability');
    expect(Object.keys(scripts.data)).toEqual(['ensure_experiment.py']);
    expect(scripts.data['ensure_experiment.py']).toContain('/api/2.0/mlflow/experiments/get-by-name');
    for (const pod of [job.spec.template.spec, one(objects, 'Deployment', 'otel-collector').spec.template.spec]) {
      expect(pod.volumes.find((v: Obj) => v.name === 'scripts').configMap.name).toBe('mlflow-experiment-scripts');
    }
    // No experiment id anywhere in the output.
    const { out } = await hydrated(env);
    for (const [path, text] of out.files) expect(text, path).not.toMatch(/x-mlflow-experiment-id:\s*["']?[0-9]+/);
  });

  it('sizes per env: artifact volume, storage class from the cluster', async () => {
    const size = async (env: string) => one((await hydrated(env)).objects, 'PersistentVolumeClaim', 'mlflow-artifacts');
    expect((await size('dev')).spec.resources.requests.storage).toBe('5Gi');
    expect((await size('dev')).spec.storageClassName).toBe('local-path');
    expect((await size('staging')).spec.resources.requests.storage).toBe('20Gi');
    expect((await size('prod')).spec.resources.requests.storage).toBe('100Gi');
    expect((await size('prod')).spec.storageClassName).toBe('fast-ssd');
  });

  it('artifacts on S3 when the env says so: no volume, credentials from the secret store', () => {
    tp = tempProject();
    tp.edit(
      'environments/prod.yaml',
      '    artifacts: { store: pvc, pvc: { size: 100Gi } }\n',
      '    artifacts: { store: s3, s3: { bucket: catalyst-mlflow, path: prod, region: eu-west-1 } }\n',
    );
    const out = renderTemp(tp, 'prod');
    expect(out.findings.map(formatFinding)).toEqual([]);
    expect(out.files.has('mlflow/artifacts-pvc.yaml')).toBe(false);
    const dep = fileObj(out.files, 'mlflow/deployment.yaml');
    const c = dep.spec.template.spec.containers[0];
    expect(c.args).toContain('--artifacts-destination=s3://catalyst-mlflow/prod');
    expect(dep.spec.strategy).toBeUndefined();
    expect(c.volumeMounts.map((m: Obj) => m.name)).not.toContain('artifacts');
    const names = c.env.map((e: Obj) => e.name);
    expect(names).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION']));
    expect(out.files.get('mlflow/external-secrets.yaml')).toContain('catalyst/prod/mlflow/s3');
  });
});

describe('the monitoring stack values and the rules', () => {
  const values = (env: string) => fileObj(render(env).files, 'apps/kube-prometheus-stack.yaml').spec.source.helm.valuesObject as Obj;

  it.each(ENVS)('%s: monitors and rules are selected in every namespace; scrape class and datasource uid are pinned', (env) => {
    const v = values(env);
    for (const k of ['podMonitor', 'serviceMonitor', 'rule', 'probe', 'scrapeConfig']) {
      expect(v.prometheus.prometheusSpec[`${k}SelectorNilUsesHelmValues`], k).toBe(false);
    }
    expect(v.prometheus.prometheusSpec.scrapeClasses).toEqual([
      { name: 'kube-sa-token', authorization: { type: 'Bearer', credentialsFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' } },
    ]);
    expect(v.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
    expect(v.grafana.sidecar.datasources).toMatchObject({ enabled: true, uid: 'prometheus', label: 'grafana_datasource', labelValue: '1', resource: 'both' });
    const cfg = render(env).plan!.env.config;
    expect(v.grafana.ingress.hosts).toEqual([`grafana.${cfg.cluster.domain}`]);
    expect(v.grafana.ingress.annotations['cert-manager.io/cluster-issuer']).toBe(cfg.tls.issuer.name);
  });

  it('retention and sizes per env', () => {
    const p = (env: string) => values(env).prometheus.prometheusSpec;
    expect([p('dev').retention, p('staging').retention, p('prod').retention]).toEqual(['3d', '7d', '30d']);
    expect([p('dev').retentionSize, p('staging').retentionSize, p('prod').retentionSize]).toEqual(['8GB', '45GB', '180GB']);
    const storage = (env: string) => p(env).storageSpec.volumeClaimTemplate.spec;
    expect(storage('dev')).toMatchObject({ storageClassName: 'local-path', resources: { requests: { storage: '10Gi' } } });
    expect(storage('prod')).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '200Gi' } } });
    expect(p('prod').replicas).toBe(2);
    expect(values('prod').alertmanager.alertmanagerSpec.replicas).toBe(3);
  });

  it.each([
    ['dev', 5],
    ['staging', 3],
    ['prod', 2],
  ] as const)('%s: the alerts that matter, with the TTFT p95 target of the env (%ss)', async (env, target) => {
    const { objects } = await hydrated(env);
    const rule = one(objects, 'PrometheusRule', 'catalyst-platform', 'catalyst-observability');
    const rules = (rule.spec.groups as Obj[]).flatMap((g) => g.rules as Obj[]);
    const alerts: Record<string, Obj> = Object.fromEntries(rules.filter((r) => r.alert).map((r) => [r.alert, r]));
    expect(Object.keys(alerts)).toEqual(
      expect.arrayContaining([
        'ModelServerDown',
        'NoModelServerUp',
        'KVCacheSaturated',
        'RequestQueueGrowing',
        'TimeToFirstTokenP95High',
        'InferencePoolNoReadyEndpoints',
        'PostgresNotReady',
        'PostgresLowOnDisk',
        'TraceExportFailing',
        'CollectorDown',
        'MLflowDown',
      ]),
    );
    expect(alerts.TimeToFirstTokenP95High!.expr).toMatch(new RegExp(`vllm:time_to_first_token_seconds_bucket.*\\) > ${target}$`));
    expect(rules.find((r) => r.record === 'catalyst:slo_ttft_p95_seconds')?.expr).toBe(`vector(${target})`);
    expect(alerts.TraceExportFailing!.expr).toContain('otelcol_exporter_send_failed_spans_total{job="otel-collector"}');
    for (const r of Object.values(alerts)) {
      expect(r.labels.severity, r.alert).toMatch(/^(warning|critical)$/);
      expect(r.annotations.summary, r.alert).toBeTruthy();
      expect(r.for, r.alert).toMatch(/^[0-9]+m$/);
    }
  });
});

describe('the MLflow-traces datasource', () => {
  it.each(ENVS)('%s: read-only role, password only from the secret store, picked up by the datasource sidecar', async (env) => {
    const { objects } = await hydrated(env);
    const facts = factsOf(env);
    const es = one(objects, 'ExternalSecret', 'grafana-datasource-mlflow-traces', 'monitoring');
    expect(es.spec.target.template.metadata.labels).toEqual({ grafana_datasource: '1' });
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: facts.postgres.roles.grafana_reader.remoteKey, property: 'password' } }]);
    const text = es.spec.target.template.data['mlflow-traces.yaml'] as string;
    // external-secrets fills in the password as a JSON string (any character is safe).
    expect(text).toContain('password: {{ .password | toJson }}');
    expect(text.match(/\{\{/g)).toHaveLength(1);
    const ds = parse(text.replace('{{ .password | toJson }}', JSON.stringify('p"a:s s\\'))) as Obj;
    const d = ds.datasources[0];
    expect(d).toMatchObject({ uid: 'mlflow-postgres', type: 'grafana-postgresql-datasource', user: 'grafana_reader', jsonData: { database: 'mlflow', sslmode: 'require' } });
    expect(d.secureJsonData).toEqual({ password: 'p"a:s s\\' });
    const pg = (await hydrated(env)).out.plan!.env.components.get('postgres')!.settings as Obj;
    expect(d.url).toBe(pg.instances > 1 ? 'catalyst-pg-ro.catalyst-data.svc.cluster.local:5432' : 'catalyst-pg-rw.catalyst-data.svc.cluster.local:5432');
    const cluster = one(objects, 'Cluster', 'catalyst-pg', 'catalyst-data');
    const reader = cluster.spec.managed.roles.find((r: Obj) => r.name === 'grafana_reader');
    expect(reader).toMatchObject({ login: true, inRoles: ['pg_read_all_data'], connectionLimit: 10 });
  });
});

describe('semantic rules of the observability layer', () => {
  const findings = (t: TempProject, env: string) => renderTemp(t, env).findings.map(formatFinding);

  it('two MLflow replicas need S3 artifacts', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', '  mlflow:\n    workers: 4\n', '  mlflow:\n    replicas: 2\n    workers: 4\n');
    expect(findings(tp, 'prod')).toEqual([
      expect.stringMatching(/^environments\/prod\.yaml:\d+:\d+ \/components\/mlflow\/replicas 2 MLflow replicas cannot share the ReadWriteOnce artifact volume/),
    ]);
  });

  it('Grafana must log in with a role that exists and reads only', () => {
    tp = tempProject();
    tp.edit('apps/grafana-dashboards.yaml', 'role: grafana_reader', 'role: mlflow');
    expect(findings(tp, 'dev')).toEqual([
      expect.stringMatching(/^apps\/grafana-dashboards\.yaml:\d+:\d+ .*role "mlflow" owns a database: Grafana must log in with a read-only role/),
      expect.stringMatching(/^apps\/postgres\.yaml:\d+:\d+ .*role "mlflow" \(Grafana's MLflow-traces datasource\) must be a member of pg_read_all_data/),
    ]);
    tp.edit('apps/grafana-dashboards.yaml', 'role: mlflow', 'role: nobody');
    expect(findings(tp, 'dev')).toEqual([expect.stringMatching(/^apps\/grafana-dashboards\.yaml:\d+:\d+ .*role "nobody" is not in components\.postgres\.roles/)]);
  });

  it('Prometheus retentionSize must leave headroom on its volume', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', 'retentionSize: 8GB', 'retentionSize: 10GB');
    expect(findings(tp, 'dev')).toEqual([expect.stringMatching(/^environments\/dev\.yaml:\d+:\d+ \/components\/kube-prometheus-stack\/prometheus\/retentionSize retentionSize 10GB leaves no headroom on a 10Gi volume/)]);
    expect(prometheusBytes('8GB')).toBe(8 * 2 ** 30);
    expect(quantityBytes('10Gi')).toBe(10 * 2 ** 30);
    expect(quantityBytes('500M')).toBe(5e8);
  });

  it('the collector cannot run without MLflow, and a strict schema refuses unknown settings', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', '  mlflow:\n', '  mlflow:\n    enabled: false\n');
    expect(findings(tp, 'dev')).toEqual(expect.arrayContaining([expect.stringContaining('"mlflow" is disabled, but the enabled component "otel-collector" depends on it')]));
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/dev.yaml', 'components:\n', 'components:\n  otel-collector: { image: "docker.io/otel/opentelemetry-collector-contrib:latest", sampling: 1 }\n');
    const f = findings(tp, 'dev');
    expect(f).toEqual(expect.arrayContaining([expect.stringContaining('/components/otel-collector/sampling'), expect.stringContaining('/components/otel-collector/image')]));
  });
});
