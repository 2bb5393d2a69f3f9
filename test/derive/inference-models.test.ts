/**
 * The GPU inference layer through the real pipeline: models -> LLMInferenceServices (GPUs, MIG,
 * vLLM flags, llm-d scheduler).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';
import { mainContainer, services } from '../helpers/inference.ts';

describe('models: one LLMInferenceService per model', () => {
  it('prod renders the lab\'s three models and dev two', () => {
    expect([...services(renderFixture('prod')).keys()]).toEqual(['qwen3-next-80b', 'qwen3-embedding-8b', 'gpt-oss-20b']);
    expect([...services(renderFixture('dev')).keys()]).toHaveLength(2);
    expect([...services(renderFixture('staging')).keys()]).toHaveLength(3);
  });

  it('use the KServe v0.20 storage version with model URI, served name, replicas and tensor parallelism', () => {
    const svc = services(renderFixture('prod')).get('qwen3-next-80b')!;
    expect(svc.apiVersion).toBe('serving.kserve.io/v1alpha2');
    expect(svc.metadata.namespace).toBe('catalyst-inference');
    expect(svc.spec.model).toEqual({ uri: 'hf://RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8', name: 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8' });
    expect(svc.spec.replicas).toBe(1);
    expect(svc.spec.parallelism).toEqual({ tensor: 2 });
  });

  it('request and limit as many GPUs as the tensor parallelism, on the env\'s GPU nodes', () => {
    const prod = services(renderFixture('prod'));
    const big = prod.get('qwen3-next-80b')!;
    const res = mainContainer(big).resources;
    expect(res.requests['nvidia.com/gpu']).toBe('2');
    expect(res.limits['nvidia.com/gpu']).toBe('2');
    expect(res.requests.cpu).toBe('8');
    expect(big.spec.template.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(big.spec.template.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const emb = mainContainer(prod.get('qwen3-embedding-8b')!).resources;
    expect([emb.requests['nvidia.com/gpu'], emb.limits['nvidia.com/gpu']]).toEqual(['1', '1']);
    const dev = services(renderFixture('dev'));
    for (const svc of dev.values()) expect(mainContainer(svc).resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it('put a MIG model on its MIG slice instead of a whole GPU', () => {
    const gpt = services(renderFixture('prod')).get('gpt-oss-20b')!;
    const res = mainContainer(gpt).resources;
    expect(res.requests['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(res.limits['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(res.requests['nvidia.com/gpu']).toBeUndefined();
    expect(gpt.spec.replicas).toBe(2);
  });

  it('pass the vLLM flags (context length, tool-call parser, prefix caching) through VLLM_ADDITIONAL_ARGS', () => {
    const prod = services(renderFixture('prod'));
    const env = (svc: Obj) => new Map<string, Obj>(mainContainer(svc).env.map((e: Obj) => [e.name, e]));
    const big = env(prod.get('qwen3-next-80b')!);
    expect(big.get('VLLM_ADDITIONAL_ARGS')!.value).toBe(
      '--max-model-len=65536 --enable-prefix-caching --enable-auto-tool-choice --tool-call-parser=hermes --disable-uvicorn-access-log',
    );
    expect(env(prod.get('gpt-oss-20b')!).get('VLLM_ADDITIONAL_ARGS')!.value).toContain('--tool-call-parser=openai');
    const emb = env(prod.get('qwen3-embedding-8b')!).get('VLLM_ADDITIONAL_ARGS')!.value as string;
    expect(emb).toContain('--runner=pooling');
    expect(emb).not.toContain('tool-call');
    expect(big.get('HF_TOKEN')!.valueFrom).toEqual({ secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } });
  });

  it('route through the managed route and the inference Gateway, with the llm-d scheduler and the env\'s scorer weights', () => {
    const prod = services(renderFixture('prod'));
    const big = prod.get('qwen3-next-80b')!;
    expect(big.spec.router.route).toEqual({});
    expect(big.spec.router.gateway).toEqual({ refs: [{ name: 'kserve-ingress-gateway', namespace: 'kserve' }] });
    // One replica: no scheduler (KServe v0.20: only effective with several replicas).
    expect(big.spec.router.scheduler).toBeUndefined();
    const gptCfg = prod.get('gpt-oss-20b')!.spec.router.scheduler.config.inline;
    expect(gptCfg.kind).toBe('EndpointPickerConfig');
    expect(gptCfg.plugins.map((p: Obj) => p.type)).toEqual(['single-profile-handler', 'queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer', 'max-score-picker']);
    // gpt-oss-20b takes the env's weights (components.models.scheduler.scorers).
    expect(prod.get('gpt-oss-20b')!.spec.router.scheduler.config.inline.schedulingProfiles[0].plugins).toEqual([
      { pluginRef: 'queue-scorer', weight: 2 },
      { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
      { pluginRef: 'prefix-cache-scorer', weight: 3 },
      { pluginRef: 'max-score-picker' },
    ]);
    const gpt = prod.get('gpt-oss-20b')!;
    expect(gpt.spec.router.scheduler.replicas).toBe(2);
    expect(gpt.spec.router.scheduler.template.containers[0].resources.limits).toEqual({ cpu: '6', memory: '16Gi' });
  });

  it('run restricted: non-root, no escalation, no capabilities, seccomp, a writable root (NVIDIA CDI hook), emptyDirs and an in-memory /dev/shm', () => {
    const svc = services(renderFixture('prod')).get('qwen3-next-80b')!;
    const pod = svc.spec.template;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('model-server');
    const c = mainContainer(svc);
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts.map((m: Obj) => m.mountPath).sort()).toEqual(['/dev/shm', '/home', '/tmp']);
    expect(pod.volumes.find((v: Obj) => v.name === 'dshm').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '32Gi' });
  });

  it('give large models an hour to start, then probe readiness on the OpenAI API', () => {
    const c = mainContainer(services(renderFixture('prod')).get('qwen3-next-80b')!);
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(3600);
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 8000, scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet.path).toBe('/v1/models');
    expect(c.livenessProbe.httpGet.path).toBe('/health');
  });

  it('scrape vLLM metrics with a PodMonitor per model and take the Hugging Face token from an ExternalSecret', () => {
    const out = renderFixture('prod');
    const monitors = docs(out, 'models/podmonitors.yaml');
    expect(monitors.map((m) => m.metadata.name)).toEqual(['qwen3-next-80b-vllm', 'qwen3-embedding-8b-vllm', 'gpt-oss-20b-vllm']);
    expect(monitors[0]!.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'qwen3-next-80b', 'kserve.io/component': 'workload' });
    expect(monitors[0]!.spec.podMetricsEndpoints[0]).toMatchObject({ portNumber: 8000, path: '/metrics', scheme: 'http' });
    const [es] = docs(out, 'models/hf-token.yaml');
    expect(es!.kind).toBe('ExternalSecret');
    expect(es!.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'catalyst-vault' });
    expect(es!.spec.data).toEqual([{ secretKey: 'HF_TOKEN', remoteRef: { key: 'catalyst/prod/huggingface', property: 'token' } }]);
    for (const text of out.files.values()) expect(text).not.toMatch(/^kind: Secret$/m);
  });

  it('render the Gateway the kserve chart and every model refer to', () => {
    const out = renderFixture('prod');
    const [gw] = docs(out, 'inference-gateway/gateway.yaml');
    expect(gw).toMatchObject({ kind: 'Gateway', metadata: { name: 'kserve-ingress-gateway', namespace: 'kserve' }, spec: { gatewayClassName: 'istio' } });
    expect(gw!.spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['catalyst-inference']);
    const kserve = parse(out.files.get('apps/kserve.yaml')!) as Obj;
    expect(kserve.spec.source.helm.valuesObject.kserve.controller.gateway.ingressGateway.kserveGateway).toBe('kserve/kserve-ingress-gateway');
  });

  it('wait for the KServe controller, the LLMInferenceService CRDs, the Gateway and the secret store', () => {
    const { plan } = renderFixture('prod');
    const models = plan!.byName.get('models')!;
    expect(models.deps).toEqual(expect.arrayContaining(['kserve-llmisvc', 'kserve-llmisvc-crds', 'inference-gateway', 'secret-store']));
    const ls = plan!.byName.get('llama-stack')!;
    expect(ls.deps).toEqual(expect.arrayContaining(['llama-stack-operator', 'models', 'postgres']));
    expect(ls.wave).toBeGreaterThan(models.wave);
  });
});
