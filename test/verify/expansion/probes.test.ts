/**
 * FLOW003: probes look where the container listens (the kubelet probes the pod IP). The MCP
 * servers behind a bridge and the P/D decode pod were the cases found; each test puts the defect
 * back and sees check's rule report it.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { expansionFindings, FLOW003, probeProblems, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { renderedLab } from '../../render/infer-lab.ts';
import { catalogImagesOf, HAS_PRESETS, namespacesOf, renderedSources, upstreamPresets } from './sources.ts';

type Obj = Record<string, any>;
const flow = (src: SourceObject[]) => expansionFindings(src, namespacesOf(src), undefined, catalogImagesOf()).findings.filter((f) => f.rule === FLOW003);
const edit = (src: SourceObject[], kind: string, name: string, fn: (o: Obj) => void): SourceObject[] =>
  src.map((s) => {
    if (s.obj.kind !== kind || s.obj.metadata.name !== name) return s;
    const o = structuredClone(s.obj) as Obj;
    fn(o);
    return { ...s, obj: o as K8sObject };
  });

describe('probe targets (unit)', () => {
  it('named ports resolve; a port the container does not list, or a loopback bind, is reported; an explicit host is left alone', () => {
    const pod = (c: Obj) => ({ containers: [{ name: 'c', ...c }] });
    expect(probeProblems(pod({ ports: [{ name: 'http', containerPort: 80 }], readinessProbe: { httpGet: { port: 'http' } } }))).toEqual([]);
    expect(probeProblems(pod({ readinessProbe: { httpGet: { port: 'web' } } }))[0]!.message).toContain('names port "web"');
    expect(probeProblems(pod({ ports: [{ containerPort: 8001 }], livenessProbe: { tcpSocket: { port: 8000 } } }))[0]!.message).toContain('listens on 8001');
    expect(probeProblems(pod({ args: ['--host', '--listen-host=localhost'], readinessProbe: { tcpSocket: { port: 9 } } }))[0]!.message).toContain('binds to loopback');
    expect(probeProblems(pod({ args: ['--listen-host=127.0.0.1'], readinessProbe: { tcpSocket: { port: 9, host: '127.0.0.1' } } }))).toEqual([]);
  });
});

describe('probes of the fixture envs', () => {
  it('every pod the project renders is probed where it listens', () => {
    for (const env of ['dev', 'staging', 'prod']) expect(flow(renderedSources(renderFixture(env)))).toEqual([]);
  });

  it('github-mcp-server and the PostgreSQL MCP server bound to 127.0.0.1 would never be Ready', () => {
    let src = renderedSources(renderFixture('prod'));
    const loopback = (o: Obj) => {
      for (const c of o.spec.template.spec.containers) c.args = (c.args ?? []).map((a: string) => a.replace(/^--(listen-host|sse-host)=0\.0\.0\.0$/, '--$1=127.0.0.1'));
    };
    src = edit(edit(src, 'Deployment', 'mcp-github', loopback), 'Deployment', 'mcp-benchmark', loopback);
    const hit = flow(src);
    expect(new Set(hit.map((f) => f.name))).toEqual(new Set(['mcp-github', 'mcp-benchmark']));
    expect(hit.every((f) => f.message.includes('binds to loopback'))).toBe(true);
  });
});

describe.skipIf(!HAS_PRESETS)('probes of the pods KServe creates (infer-lab)', () => {
  const lab = renderedLab();
  it('the P/D decode pod probes vLLM on 8001 (the routing sidecar holds 8000); on 8000 FLOW003 reports it', () => {
    const src = [...renderedSources(lab()), ...upstreamPresets()];
    expect(flow(src)).toEqual([]);
    const bad = edit(src, 'LLMInferenceService', 'pd', (o) => {
      for (const k of ['startupProbe', 'readinessProbe', 'livenessProbe']) o.spec.template.containers[0][k].httpGet.port = 8000;
    });
    const hit = flow(bad);
    expect(hit).toHaveLength(3);
    expect(hit[0]!.message).toContain('the Deployment catalyst-inference/pd-kserve');
    expect(hit[0]!.message).toContain('but the container listens on 8001');
  });
});
