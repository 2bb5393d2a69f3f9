/**
 * Settings that can never work, and what the API server would refuse, reported at the env file's
 * line: a benchmark deadline shorter than its run, Llama Stack's default model at 0 replicas, an
 * OIDC issuer with a query or fragment, a host:port endpoint on port 65536, tolerations the API
 * server refuses (KV002). Config fixtures only (test/fixtures/config/envs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../helpers/project.ts';
import { append, findingsAfterEdit, fixtureProject, lineOf } from './fixture-project.ts';

describe('settings that can never work, at the env line', () => {
  let t: TempProject;
  beforeAll(() => {
    t = fixtureProject();
  });
  afterAll(() => t.cleanup());
  const file = 'environments/lab.yaml';

  const withEdit = (edit: () => void) => findingsAfterEdit(t, 'lab', file, edit);
  const sweep = (deadline: number, extra = '') =>
    withEdit(() => append(t, file, `benchmarks:\n  - id: guidellm-sweep-20261207\n    kind: guidellm\n    model: qwen3-8b\n    guidellm: { profile: sweep, durationSeconds: 300, promptTokens: 256, outputTokens: 128${extra} }\n    deadlineSeconds: ${deadline}\n`));

  it('refuses a GuideLLM sweep whose Job deadline ends before its benchmarks (10 by default)', () => {
    const { findings, text } = sweep(1800);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file, line: lineOf(text, 'deadlineSeconds: 1800'), path: '/benchmarks/3/deadlineSeconds' });
    expect(findings[0]!.message).toContain('activeDeadlineSeconds 1800 (deadlineSeconds) is not longer than the run (10 sweep benchmarks × durationSeconds 300 = 3000 s)');
    expect(sweep(3600).findings).toEqual([]);
    expect(sweep(1800, ', rate: 4').findings).toEqual([]);
  });

  it("refuses Llama Stack's default model at replicas: 0", () => {
    const { findings, text } = withEdit(() => append(t, file, 'models:\n  - name: qwen3-8b\n    replicas: 0\n'));
    expect(findings.map((f) => [f.file, f.line, f.path])).toEqual([[file, lineOf(text, 'replicas: 0'), '/models/0/replicas']]);
    expect(findings[0]!.message).toMatch(/^model "qwen3-8b" is the first llm of models:, which Llama Stack uses as its default model, but has replicas: 0/);
  });

  it('refuses an OIDC issuer with a query or a fragment', () => {
    for (const suffix of ['?kc_idp_hint=github', '#main']) {
      const { findings, text } = withEdit(() => t.edit(file, 'realms/catalyst"', `realms/catalyst${suffix}"`));
      expect(findings.map((f) => [f.line, f.path])).toEqual([[lineOf(text, 'issuerUrl'), '/components/mcp-gateway/auth/issuerUrl']]);
      expect(findings[0]!.message).toMatch(/OpenID Connect Discovery 1\.0 §3/);
    }
  });

  it('refuses a trace endpoint on port 65536', () => {
    const { findings, text } = withEdit(() => t.edit(file, /^components:\n/m, 'components:\n  otel-collector:\n    traceStore: { endpoint: "tempo.observability:65536", insecure: true }\n'));
    expect(findings.map((f) => [f.line, f.path])).toEqual([[lineOf(text, 'tempo.observability:65536'), '/components/otel-collector/traceStore/endpoint']]);
    expect(findings[0]!.message).toMatch(/^the port 65536 of tempo\.observability:65536 is not a number from 1 to 65535/);
  });

  it('refuses GPU tolerations the API server refuses, naming ValidateTolerations (KV002)', () => {
    const { findings, text } = withEdit(() => t.edit(file, '{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }', '{ key: nvidia.com/gpu, operator: Exists, value: "true", effect: NoSchedule, tolerationSeconds: 60 }'));
    expect(findings.map((f) => [f.rule, f.line, f.path])).toEqual([
      ['KV002', lineOf(text, 'tolerationSeconds: 60'), '/cluster/gpu/tolerations/0/operator'],
      ['KV002', lineOf(text, 'tolerationSeconds: 60'), '/cluster/gpu/tolerations/0/effect'],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Invalid value: "Exists": value must be empty when `operator` is \'Exists\' (the API server refuses it: ValidateTolerations, Kubernetes v1.35)',
      'Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set (the API server refuses it: ValidateTolerations, Kubernetes v1.35)',
    ]);
  });
});
