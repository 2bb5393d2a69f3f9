/**
 * Issue 24, P/D metrics: a decode pod of KServe v0.20's preset kserve-config-llm-decode-template
 * runs vLLM on 8001 behind the llm-d routing sidecar on 8000 (kserve/kserve@v0.20.0
 * config/llmisvcconfig/config-llm-decode-template.yaml); its vLLM metrics are scraped on vLLM's
 * own port, the prefill pods' on 8000, and Prometheus may reach 8001 through the NetworkPolicy.
 */
import { describe, expect, it } from 'vitest';
import { docs, type Obj } from '../helpers/render.ts';
import { mainOf, renderedLab, services } from './infer-lab.ts';

const lab = renderedLab();

describe('P/D: the decode pods are scraped on vLLM\'s own port', () => {
  it('one PodMonitor per role: prefill (and every other model) on 8000, decode on the main container\'s port', () => {
    const monitors = new Map(docs(lab(), 'models/podmonitors.yaml').map((m) => [m.metadata.name as string, m]));
    const pd = services(lab()).get('pd')!;
    const decodePort = mainOf(pd.spec.template).readinessProbe.httpGet.port as number; // where vLLM listens (FLOW003)
    expect(decodePort).toBe(8001);
    const decode = monitors.get('pd-decode-vllm')!;
    expect(decode.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'pd', 'kserve.io/component': 'workload', 'llm-d.ai/role': 'decode' });
    expect(decode.spec.podMetricsEndpoints[0].portNumber).toBe(decodePort);
    const rest = monitors.get('pd-vllm')!;
    expect(rest.spec.selector.matchExpressions).toEqual([{ key: 'llm-d.ai/role', operator: 'NotIn', values: ['decode'] }]);
    expect(rest.spec.podMetricsEndpoints[0].portNumber).toBe(8000);
    // A model without prefill keeps one PodMonitor selecting all its workload pods.
    expect(monitors.get('chat')).toBeUndefined();
    expect([...monitors.keys()].filter((n) => n.startsWith('chat'))).toEqual(['chat-vllm']);
    expect(monitors.get('chat-vllm')!.spec.selector.matchExpressions).toBeUndefined();
  });

  it('Prometheus reaches 8001 in the inference namespace', () => {
    const policies = docs(lab(), 'namespaces/network-policies.yaml').filter((p) => p.metadata.namespace === 'catalyst-inference');
    const ports = policies.flatMap((p) => (p.spec.ingress ?? []) as Obj[])
      .filter((r) => JSON.stringify(r.from ?? []).includes('monitoring'))
      .flatMap((r) => (r.ports ?? []).map((x: Obj) => x.port));
    expect(ports).toEqual(expect.arrayContaining([8000, 8001, 9090]));
  });
});
