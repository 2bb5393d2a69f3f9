/**
 * Traffic as data: the catalog's flows (apps/models.yaml podFlows, talksTo) against the rendered
 * NetworkPolicies, on the pods KServe creates. One test per flow family (multi-node RPC and NCCL,
 * P/D NIXL, endpoint picker -> model pods); each takes a rule away and sees check's rule fail.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { connectionAllowed, expansionFindings, FLOW001, FLOW002, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { declaredFlows } from '../../../scripts/lib/verify/whole-platform/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { renderedLab } from '../../render/infer-lab.ts';
import { catalogImagesOf, HAS_PRESETS, namespacesOf, renderedSources, upstreamPresets } from './sources.ts';

type Obj = Record<string, any>;
const np = (ns: string, spec: Obj): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: ns }, spec });

describe('NetworkPolicy semantics', () => {
  const a = { namespace: 'x', labels: { app: 'a' } };
  const b = { namespace: 'y', labels: { app: 'b' }, namedPorts: { rpc: 5555 } };
  it('pods no policy selects are not isolated; a selecting policy admits only what its rules say', () => {
    expect(connectionAllowed([], [], a, b, 80).allowed).toBe(true);
    const deny = np('y', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(connectionAllowed([deny], [], a, b, 80)).toMatchObject({ allowed: false });
    const allow = np('y', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }], ports: [{ port: 'rpc' }, { port: 30000, endPort: 30010 }] }] });
    expect(connectionAllowed([deny, allow], [], a, b, 5555).allowed).toBe(true);
    expect(connectionAllowed([deny, allow], [], a, b, 30010).allowed).toBe(true);
    expect(connectionAllowed([deny, allow], [], a, b, 30011).allowed).toBe(false);
    // podSelector alone: pods of the policy's own namespace only.
    const sameNs = np('y', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] });
    expect(connectionAllowed([sameNs], [], a, b, 80).allowed).toBe(false);
  });
  it('egress isolation of the source counts too', () => {
    const egress = np('x', { podSelector: {}, policyTypes: ['Egress'] });
    expect(connectionAllowed([egress], [], a, b, 80).reason).toContain('egress');
  });
});

describe.skipIf(!HAS_PRESETS)('declared flows of infer-lab on the pods KServe creates', () => {
  const lab = renderedLab();
  const run = (src: SourceObject[]) => {
    const all = [...src, ...upstreamPresets()];
    return expansionFindings(all, namespacesOf(src), declaredFlows(lab().plan!), catalogImagesOf()).findings.filter((f) => (f.rule ?? '').startsWith('FLOW'));
  };
  const editPolicy = (name: string, fn: (spec: Obj) => void) =>
    renderedSources(lab()).map((s) => {
      if (s.obj.kind !== 'NetworkPolicy' || s.obj.metadata.name !== name) return s;
      const o = structuredClone(s.obj) as Obj;
      fn(o.spec);
      return { ...s, obj: o as K8sObject };
    });

  it('every declared flow is allowed and the flow policies open nothing else', () => {
    const src = renderedSources(lab());
    expect(run(src)).toEqual([]);
    const flowsOf = (n: string) => src.find((s) => s.obj.kind === 'NetworkPolicy' && s.obj.metadata.name === n)?.obj.metadata.annotations?.['catalyst.dev/flows'];
    expect(flowsOf('wide-pod-flows')).toBe('data-parallel-rpc, nccl');
    expect(flowsOf('pd-pod-flows')).toBe('nixl');
    expect(flowsOf('chat-pod-flows')).toBeUndefined();
  });

  it('multi-node: without the 5555 rule the workers cannot reach the leader (FLOW001)', () => {
    const src = editPolicy('wide-pod-flows', (spec) => {
      for (const r of [...spec.ingress, ...spec.egress]) r.ports = r.ports.filter((p: Obj) => p.port !== 5555);
    });
    const hit = run(src);
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.every((f) => f.rule === FLOW001 && f.name === 'wide' && f.message.includes('flow data-parallel-rpc') && f.message.includes('TCP 5555'))).toBe(true);
  });

  it('multi-node: NCCL needs the ephemeral range both ways', () => {
    const hit = run(editPolicy('wide-pod-flows', (spec) => { spec.egress[0].ports = spec.egress[0].ports.filter((p: Obj) => p.port !== 32768); }));
    expect(hit.map((f) => f.message.match(/flow (\S+)/)?.[1])).toContain('nccl');
    expect(hit.every((f) => f.message.includes('egress'))).toBe(true);
  });

  it('P/D: the NIXL side channel between decode and prefill pods', () => {
    const hit = run(editPolicy('pd-pod-flows', (spec) => { spec.ingress[0].ports = spec.ingress[0].ports.filter((p: Obj) => p.port !== 5600); }));
    expect(hit.some((f) => f.rule === FLOW001 && f.name === 'pd' && f.message.includes('flow nixl') && f.message.includes('TCP 5600'))).toBe(true);
  });

  it('a port the flows do not need is reported (FLOW002)', () => {
    const hit = run(editPolicy('wide-pod-flows', (spec) => { spec.ingress[0].ports.push({ protocol: 'TCP', port: 22 }); }));
    expect(hit).toHaveLength(1);
    expect(hit[0]).toMatchObject({ rule: FLOW002, name: 'wide-pod-flows' });
    expect(hit[0]!.message).toContain('ingress opens TCP 22');
  });
});

describe.skipIf(!HAS_PRESETS)('talksTo models -> models: the endpoint picker reaches the model pods', () => {
  it('prod allows it; without the namespace allow rule it is denied (FLOW001)', () => {
    const out = renderFixture('prod');
    const src = renderedSources(out);
    const run = (s: SourceObject[]) => expansionFindings([...s, ...upstreamPresets()], namespacesOf(s), declaredFlows(out.plan!), catalogImagesOf()).findings.filter((f) => (f.rule ?? '').startsWith('FLOW'));
    expect(run(src)).toEqual([]);
    const cut = src.filter((s) => !(s.obj.kind === 'NetworkPolicy' && s.obj.metadata.namespace === 'catalyst-inference' && s.obj.metadata.name === 'allow-from-catalyst-inference'));
    const hit = run(cut);
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.every((f) => f.rule === FLOW001 && f.message.includes('talksTo models -> models') && f.message.includes('kserve-router-scheduler'))).toBe(true);
  });
});
