/**
 * Every ServiceMonitor and PodMonitor in the output scrapes something real: its selector
 * matches pods (or Services) that the output renders, or pods that an operator creates from a
 * custom resource in the output, as documented in data/observability/external-workloads.yaml;
 * and the port it scrapes is a port those pods (Services) really have. Also: every `job` an
 * alert rule or a dashboard selects on is the job of a monitor in the output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectObjects, type LocatedObject } from '../../scripts/lib/verify/hydration/collect.ts';
import { loadProject, renderOne, type EnvOutput } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { byKind, dashboardQueries, dashboards, ENVS, externalWorkloads, hydrated, jobMatchers, selects, type Obj } from '../helpers/observability.ts';

interface Port {
  name?: string;
  containerPort: number;
}

interface PodSource {
  what: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Port[];
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** Pods of the env: pod templates of rendered workloads, plus pods operators create from rendered CRs. */
function podSources(out: EnvOutput, objects: LocatedObject[]): PodSource[] {
  const pods: PodSource[] = [];
  for (const w of objects.map((o) => o.obj as Obj).filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
    const spec = w.spec.template.spec;
    pods.push({
      what: `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`,
      namespace: w.metadata.namespace,
      labels: w.spec.template.metadata?.labels ?? {},
      ports: (spec.containers as Obj[]).flatMap((c) => (c.ports ?? []) as Port[]),
    });
  }
  const plan = out.plan!;
  for (const x of externalWorkloads()) {
    const creator = plan.byName.get(x.createdBy.component);
    if (!creator) continue;
    // The operator only creates these pods if the output holds the custom resource.
    const crs = objects.filter((o) => o.obj.kind === x.createdBy.kind && o.obj.apiVersion === x.createdBy.apiVersion);
    if (!crs.length) continue;
    const ns = plan.byName.get(x.namespaceOf)?.app.namespace;
    if (!ns) continue;
    pods.push({ what: `${x.name} (documented, ${x.operator})`, namespace: ns, labels: x.labels, ports: x.containers.flatMap((c) => c.ports) });
  }
  return pods;
}

function monitorNamespaces(m: Obj, all: string[]): string[] {
  const sel = m.spec.namespaceSelector;
  if (sel?.any) return all;
  if (sel?.matchNames?.length) return sel.matchNames as string[];
  return [m.metadata.namespace as string];
}

function portMatches(ports: Port[], ref: { name?: string; number?: number }): boolean {
  return ports.some((p) => (ref.name !== undefined && p.name === ref.name) || (ref.number !== undefined && p.containerPort === ref.number));
}

/** What is wrong with the env's monitors: selectors that match nothing, ports nobody has. */
function monitorProblems(out: EnvOutput, objects: LocatedObject[]): string[] {
  const problems: string[] = [];
  const pods = podSources(out, objects);
  const services = byKind(objects, 'Service');
  for (const m of byKind(objects, 'PodMonitor')) {
    const where = `PodMonitor ${m.metadata.namespace}/${m.metadata.name}`;
    const nss = monitorNamespaces(m, out.plan!.namespaces);
    const matched = pods.filter((p) => nss.includes(p.namespace) && selects(m.spec.selector, p.labels));
    if (!matched.length) {
      problems.push(`${where} selects no pod`);
      continue;
    }
    for (const ep of m.spec.podMetricsEndpoints as Obj[]) {
      // The deprecated targetPort keeps pods by container port number (int) or name (string),
      // as prometheus-operator does (pkg/prometheus/promcfg.go, v0.89.0).
      const target = ep.targetPort as string | number | undefined;
      const ref = {
        name: (ep.port ?? (typeof target === 'string' ? target : undefined)) as string | undefined,
        number: (ep.portNumber ?? (typeof target === 'number' ? target : undefined)) as number | undefined,
      };
      if (!matched.some((p) => portMatches(p.ports, ref))) problems.push(`${where}: no selected pod has port ${ref.name ?? ref.number}`);
    }
  }
  for (const m of byKind(objects, 'ServiceMonitor')) {
    const where = `ServiceMonitor ${m.metadata.namespace}/${m.metadata.name}`;
    const nss = monitorNamespaces(m, out.plan!.namespaces);
    const matched = services.filter((s) => nss.includes(s.metadata.namespace) && selects(m.spec.selector, s.metadata.labels ?? {}));
    if (!matched.length) {
      problems.push(`${where} selects no Service`);
      continue;
    }
    for (const ep of m.spec.endpoints as Obj[]) {
      for (const svc of matched) {
        const sp = (svc.spec.ports as Obj[]).find((p) => (ep.port !== undefined ? p.name === ep.port : String(p.targetPort) === String(ep.targetPort)));
        if (!sp) {
          problems.push(`${where}: Service ${svc.metadata.name} has no port ${ep.port ?? ep.targetPort}`);
          continue;
        }
        const backends = pods.filter((p) => p.namespace === svc.metadata.namespace && selects({ matchLabels: svc.spec.selector }, p.labels));
        if (!backends.length) problems.push(`${where}: Service ${svc.metadata.name} selects no pod`);
        const target = sp.targetPort ?? sp.port;
        const ref = typeof target === 'number' ? { number: target } : { name: target as string };
        for (const b of backends) if (!portMatches(b.ports, ref)) problems.push(`${where}: ${b.what} has no container port ${target}`);
      }
    }
  }
  return problems;
}

describe.each(ENVS)('%s: monitors select what really runs', (env) => {
  it('every PodMonitor and ServiceMonitor selects pods (rendered or documented) with the port it scrapes', async () => {
    const { out, objects } = await hydrated(env);
    expect(byKind(objects, 'PodMonitor').map((m) => m.metadata.name)).toEqual(expect.arrayContaining(['catalyst-pg', 'llm-d-scheduler']));
    expect(byKind(objects, 'ServiceMonitor').map((m) => m.metadata.name)).toEqual(expect.arrayContaining(['otel-collector', 'mlflow']));
    expect(monitorProblems(out, objects)).toEqual([]);
  });

  it('every job an alert or a dashboard selects on is the job of a monitor in the output', async () => {
    const { objects } = await hydrated(env);
    const services = byKind(objects, 'Service');
    const jobs = new Set<string>();
    for (const m of byKind(objects, 'PodMonitor')) jobs.add(`${m.metadata.namespace}/${m.metadata.name}`);
    for (const m of byKind(objects, 'ServiceMonitor')) {
      const nss = m.spec.namespaceSelector?.matchNames ?? [m.metadata.namespace];
      for (const s of services) if (nss.includes(s.metadata.namespace) && selects(m.spec.selector, s.metadata.labels ?? {})) jobs.add(s.metadata.name);
    }
    const exprs: { where: string; expr: string }[] = [];
    for (const r of byKind(objects, 'PrometheusRule')) {
      for (const g of r.spec.groups as Obj[]) for (const rule of g.rules as Obj[]) exprs.push({ where: `${r.metadata.name}/${rule.alert ?? rule.record}`, expr: String(rule.expr) });
    }
    for (const d of dashboards(objects)) {
      for (const q of dashboardQueries(d.json)) if (q.kind === 'promql') exprs.push({ where: `${d.file} ${q.where}`, expr: q.text });
    }
    let checked = 0;
    for (const { where, expr } of exprs) {
      for (const m of jobMatchers(expr)) {
        if (m.value.includes('$')) continue; // a dashboard variable (Llama Stack's OTLP job = its service.name)
        const re = new RegExp(`^(?:${m.value})$`);
        const hit = [...jobs].filter((j) => (m.op === '=' ? j === m.value : re.test(j)));
        expect(hit, `${where}: job${m.op}"${m.value}" matches no monitor (jobs: ${[...jobs].sort().join(', ')})`).not.toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('the join catches monitors that scrape nothing', () => {
  let tp: TempProject | undefined;
  afterEach(() => {
    tp?.cleanup();
    tp = undefined;
  });

  it('a wrong port, a wrong selector and a port the operator does not open are reported', async () => {
    tp = tempProject();
    tp.edit('apps/mlflow/overlays/servicemonitor.yaml.hbs', '    - port: http\n', '    - port: metrics\n');
    tp.edit('apps/otel-collector/overlays/servicemonitor.yaml.hbs', '      app.kubernetes.io/component: collector\n', '      app.kubernetes.io/component: gateway\n');
    tp.edit('apps/monitoring-rules/overlays/scheduler-podmonitor.yaml.hbs', 'portNumber: 9090', 'portNumber: 9091');
    tp.edit('apps/mcp-gateway/overlays/telemetry.yaml.hbs', 'targetPort: {{json facts.mcp.gateway.metricsPort}}', 'targetPort: 15000');
    const out = renderOne(loadProject(tp.paths), 'dev');
    expect(out.findings).toEqual([]);
    const objects = await collectObjects(tp.paths, out);
    expect(monitorProblems(out, objects)).toEqual([
      'PodMonitor catalyst-mcp/mcp-gateway-proxy: no selected pod has port 15000',
      'PodMonitor catalyst-observability/llm-d-scheduler: no selected pod has port 9091',
      'ServiceMonitor catalyst-observability/mlflow: Service mlflow has no port metrics',
      'ServiceMonitor catalyst-observability/otel-collector selects no Service',
    ]);
  });
});

describe('the documented operator-managed workloads', () => {
  it('are complete: each names its operator, the custom resource, the labels, ports and sources', () => {
    const list = externalWorkloads();
    expect(list.map((w) => w.name)).toEqual(['cnpg-instance', 'kserve-llmisvc-workload', 'kserve-llmisvc-scheduler', 'llama-stack-server', 'istio-gateway-proxy']);
    for (const w of list) {
      expect(w.operator, w.name).toBeTruthy();
      expect(w.createdBy.kind, w.name).toMatch(/^[A-Z]/);
      expect(Object.keys(w.labels).length, w.name).toBeGreaterThan(0);
      expect(w.containers.flatMap((c) => c.ports).length, w.name).toBeGreaterThan(0);
      expect(w.sources.length, w.name).toBeGreaterThan(0);
    }
  });

  it.each(ENVS)('%s: the models component renders LLMInferenceServices whose pods the vLLM and scheduler monitors find', async (env) => {
    const { out, objects } = await hydrated(env);
    if (!out.plan!.byName.has('models')) return;
    const llmisvcs = objects.filter((o) => o.obj.kind === 'LLMInferenceService');
    expect(llmisvcs.length).toBeGreaterThan(0);
    // A scheduler only where it routes (KServe v0.20: with several replicas, scaling or prefill);
    // each gets an endpoint picker the llm-d-scheduler PodMonitor selects.
    const withScheduler = llmisvcs.map((o) => (o.obj as Obj).spec).filter((spec) => spec.router?.scheduler !== undefined);
    expect(withScheduler.every((spec) => (spec.replicas ?? 1) >= 2 || spec.scaling !== undefined || spec.prefill !== undefined)).toBe(true);
    const monitor = byKind(objects, 'PodMonitor').find((m) => m.metadata.name === 'llm-d-scheduler')!;
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([out.plan!.byName.get('models')!.app.namespace]);
  });
});
