/**
 * The observability layer's data through the real pipeline, in every fixture environment:
 * MLflow (the declarative experiment), the monitoring stack's values and alert rules, the
 * MLflow-traces datasource, and the layer's rules on tool files. Env-file errors of the layer
 * are case folders (test/cases/mlflow-replicas-need-s3, prometheus-retention-headroom, ...).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXPERIMENT_ID_FILE } from '../../scripts/lib/derive/collector-config.ts';
import { prometheusBytes, quantityBytes } from '../../scripts/lib/config/rules/observability.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { byKind, ENVS, factsOf, fileObj, hydrated, one, render, type Obj } from '../helpers/observability.ts';
import { renderTemp } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
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
    expect(reader).toMatchObject({ login: true, connectionLimit: 10 });
    expect(reader.inRoles).toBeUndefined();
  });
});

describe('semantic rules of the observability layer', () => {
  const findings = (t: TempProject, env: string) => renderTemp(t, env).findings.map(formatFinding);

  it('Grafana must log in with a role that exists and reads only', () => {
    tp = tempProject();
    tp.edit('apps/grafana-dashboards/app.yaml', 'role: grafana_reader', 'role: mlflow');
    expect(findings(tp, 'dev')).toEqual([
      expect.stringMatching(/^apps\/grafana-dashboards\/app\.yaml:\d+:\d+ .*role "mlflow" owns a database: Grafana must log in with a read-only role/),
      expect.stringMatching(/^apps\/postgres\/app\.yaml:\d+:\d+ .*role "mlflow" \(Grafana's MLflow-traces datasource\) must list "mlflow" in its readOn/),
    ]);
    tp.edit('apps/grafana-dashboards/app.yaml', 'role: mlflow', 'role: nobody');
    expect(findings(tp, 'dev')).toEqual([expect.stringMatching(/^apps\/grafana-dashboards\/app\.yaml:\d+:\d+ .*role "nobody" is not in components\.postgres\.roles/)]);
  });

  // Env-file errors of this layer are case folders (test/cases/mlflow-replicas-need-s3, ...).
  it('sizes Prometheus retention and volumes in bytes (for the headroom rule)', () => {
    expect(prometheusBytes('8GB')).toBe(8 * 2 ** 30);
    expect(quantityBytes('10Gi')).toBe(10 * 2 ** 30);
    expect(quantityBytes('500M')).toBe(5e8);
  });
});
