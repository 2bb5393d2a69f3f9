/**
 * Issue 12 defects 2, 3, 6, 7, 10, 11 and 13, on the rendered fixture env: what KServe v0.20.0,
 * Istio and the Llama Stack operator v0.9.0 need from the objects (docs/VERSIONS.md,
 * "Inference layer contracts"). Each expectation failed on the output before the fix.
 */
import { describe, expect, it } from 'vitest';
import { docs, type Obj } from '../helpers/render.ts';
import { mainOf, renderedLab, services } from './infer-lab.ts';

const lab = renderedLab();

describe('defect 2: vLLM serves plain HTTP (no enableLLMInferenceServiceTLS in the v0.20 chart)', () => {
  it('probes of every model use HTTP and the PodMonitors scrape http without tlsConfig', () => {
    for (const svc of services(lab()).values()) {
      const c = mainOf(svc.spec.template);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet.scheme, `${svc.metadata.name} ${probe}`).toBe('HTTP');
    }
    const monitors = docs(lab(), 'models/podmonitors.yaml');
    expect(monitors.length).toBe(5); // one per model, and the P/D model's decode pods
    for (const m of monitors) {
      expect(m.spec.podMetricsEndpoints[0].scheme).toBe('http');
      expect(m.spec.podMetricsEndpoints[0].tlsConfig).toBeUndefined();
    }
  });
});

describe('defect 3: the NVIDIA CDI hook needs a writable root filesystem', () => {
  it('every vLLM main container (template, prefill, worker) has readOnlyRootFilesystem false; the scheduler keeps true', () => {
    const s = services(lab());
    const pods: [string, Obj][] = [];
    for (const [name, svc] of s) {
      pods.push([`${name} template`, svc.spec.template]);
      if (svc.spec.prefill) pods.push([`${name} prefill`, svc.spec.prefill.template]);
      if (svc.spec.worker) pods.push([`${name} worker`, svc.spec.worker]);
    }
    expect(pods.length).toBe(6);
    for (const [what, pod] of pods) expect(mainOf(pod).securityContext.readOnlyRootFilesystem, what).toBe(false);
    const chat = s.get('chat')!;
    expect(chat.spec.router.scheduler.template.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(chat.metadata.annotations['policy.catalyst.dev/SEC013']).toMatch(/CDI hook/);
  });
});

describe('defect 6: the storage-initializer reads the HF token from the ServiceAccount secrets', () => {
  it('the model ServiceAccount lists the hf-token Secret, whose key is HF_TOKEN', () => {
    const [sa] = docs(lab(), 'models/serviceaccount.yaml');
    expect(sa!.metadata.name).toBe('model-server');
    expect(sa!.secrets).toEqual([{ name: 'hf-token' }]);
    const [es] = docs(lab(), 'models/hf-token.yaml');
    expect(es!.spec.target.name).toBe('hf-token');
    expect(es!.spec.data[0].secretKey).toBe('HF_TOKEN');
    for (const svc of services(lab()).values()) expect(svc.spec.template.serviceAccountName).toBe('model-server');
  });
});

describe('defect 7: endpoint picker pods match the model-hub egress policy', () => {
  it('router.scheduler.labels carry the label allow-internet-models selects', () => {
    const egress = docs(lab(), 'namespaces/network-policies.yaml').find((p) => p.metadata.name === 'allow-internet-models')!;
    const selector = egress.spec.podSelector.matchLabels as Record<string, string>;
    const withScheduler = [...services(lab()).values()].filter((s) => s.spec.router.scheduler);
    expect(withScheduler.map((s) => s.metadata.name).sort()).toEqual(['chat', 'pd']);
    for (const svc of withScheduler) {
      for (const [k, v] of Object.entries(selector)) expect(svc.spec.router.scheduler.labels[k], svc.metadata.name).toBe(v);
    }
  });
});

describe('defect 13: scheduler size, placement and image pins', () => {
  it('schedulers only where they route (llm with several replicas, scaling or prefill), sized as the preset', () => {
    const s = services(lab());
    expect(s.get('embed')!.spec.router.scheduler).toBeUndefined();
    expect(s.get('wide')!.spec.router.scheduler).toBeUndefined();
    expect(s.get('embed')!.spec.router.route).toEqual({});
    const res = s.get('chat')!.spec.router.scheduler.template.containers[0].resources;
    expect(res.requests).toEqual({ cpu: '1', memory: '2Gi' });
    expect(res.limits).toEqual({ cpu: '6', memory: '16Gi' });
    // P/D: KServe's default P/D EndpointPickerConfig (no inline single-profile config).
    expect(s.get('pd')!.spec.router.scheduler.config).toBeUndefined();
  });

  it('no partial image override: the presets\' images run unless both are pinned', () => {
    for (const svc of services(lab()).values()) {
      expect(mainOf(svc.spec.template).image).toBeUndefined();
      expect(svc.spec.router.scheduler?.template.containers[0].image).toBeUndefined();
    }
  });
});

describe('defect 10: Llama Stack runs under opentelemetry-instrument', () => {
  it('containerSpec command/args wrap the operator\'s uvicorn server', () => {
    const [lsd] = docs(lab(), 'llama-stack/llama-stack.yaml');
    const spec = lsd!.spec.server.containerSpec;
    expect(spec.command).toEqual(['/bin/sh', '-c']);
    expect(spec.args[0]).toMatch(/^exec opentelemetry-instrument uvicorn llama_stack\.core\.server\.server:create_app .*--port "\$LLS_PORT" --workers "\$LLS_WORKERS" --factory$/);
    expect(spec.env).toContainEqual({ name: 'OTEL_PYTHON_DISABLED_INSTRUMENTATIONS', value: 'asyncpg,sqlite3' });
  });
});

describe('defect 8: replicas share uploaded files', () => {
  it('a ReadWriteMany PVC is mounted at the localfs storage_dir', () => {
    const [pvc] = docs(lab(), 'llama-stack/files.yaml');
    expect(pvc!.spec.accessModes).toEqual(['ReadWriteMany']);
    const [lsd] = docs(lab(), 'llama-stack/llama-stack.yaml');
    expect(lsd!.spec.server.podOverrides.volumes).toEqual([{ name: 'files', persistentVolumeClaim: { claimName: pvc!.metadata.name } }]);
    expect(lsd!.spec.server.podOverrides.volumeMounts).toEqual([{ name: 'files', mountPath: '/data/files' }]);
  });
});

describe('defect 11: the inference Gateway stays inside the cluster', () => {
  it('carries networking.istio.io/service-type: ClusterIP', () => {
    const [gw] = docs(lab(), 'inference-gateway/gateway.yaml');
    expect(gw!.spec.gatewayClassName).toBe('istio');
    expect(gw!.metadata.annotations['networking.istio.io/service-type']).toBe('ClusterIP');
  });
});
