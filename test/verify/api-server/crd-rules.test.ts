/**
 * A real x-kubernetes-validations rule of each pinned CRD family firing on an object that breaks
 * it, and passing on one that keeps it (test/fixtures/api-server/crds.yaml: the rules verbatim,
 * on the schema nodes that lead to them). Also: defaults are applied before the rules (as the
 * API server does), transition rules run only against an old object, unchanged values ratchet,
 * and a rule that cannot be evaluated is a counted warning naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { CEL001, CEL002, celValidation } from '../../../scripts/lib/verify/api-server/index.ts';
import { celSummaryLine } from '../../../scripts/lib/commands/check-command.ts';

const CRDS = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/api-server/crds.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);

const obj = (apiVersion: string, kind: string, spec: unknown, name = 'x'): K8sObject => ({ apiVersion, kind, metadata: { name, namespace: 'ns' }, spec });

function run(o: K8sObject, old?: K8sObject, hydrated: K8sObject[] = CRDS) {
  return celValidation({ env: 'lab', objects: [{ obj: o, file: 'f.yaml', line: 1 }], hydrated, oldOf: old ? () => old : undefined });
}
const messages = (o: K8sObject, old?: K8sObject): string[] => run(o, old).findings.filter((f) => f.rule === CEL001 && f.severity !== 'warning').map((f) => `${f.path}: ${f.message}`);

const HTTPROUTE = 'gateway.networking.k8s.io/v1';
const rewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1' } } };
const backend = { name: 'svc', port: 80 };

describe('Gateway API', () => {
  it('HTTPRoute: two PathPrefix matches with a ReplacePrefixMatch rewrite break the rule of spec.rules[]', () => {
    const two = obj(HTTPROUTE, 'HTTPRoute', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }, { path: { type: 'PathPrefix', value: '/b' } }], filters: [rewrite], backendRefs: [backend] }] });
    expect(messages(two)).toEqual(['/spec/rules/0: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']);
    const one = obj(HTTPROUTE, 'HTTPRoute', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], filters: [rewrite], backendRefs: [backend] }] });
    expect(messages(one)).toEqual([]);
  });

  it('HTTPRoute: defaults first: a rule without matches gets the default PathPrefix / match, and a backendRef the default kind Service', () => {
    expect(messages(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ filters: [rewrite], backendRefs: [backend] }] }))).toEqual([]);
    expect(messages(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ backendRefs: [{ name: 'svc' }] }] }))).toEqual(['/spec/rules/0/backendRefs/0: Must have port for Service reference']);
  });

  it('HTTPRoute: path values and timeouts (duration())', () => {
    expect(messages(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: 'v1' } }], backendRefs: [backend] }] }))).toEqual([
      "/spec/rules/0/matches/0/path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    ]);
    expect(messages(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ backendRefs: [backend], timeouts: { request: '10s', backendRequest: '30s' } }] }))).toEqual([
      '/spec/rules/0/timeouts: backendRequest timeout cannot be longer than request timeout',
    ]);
  });

  it('Gateway: infrastructure label prefixes (split())', () => {
    const long = `${'a'.repeat(253)}/team`;
    expect(messages(obj(HTTPROUTE, 'Gateway', { gatewayClassName: 'istio', listeners: [], infrastructure: { labels: { [long]: 'x' } } }))).toEqual([
      "/spec/infrastructure/labels: If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total.",
    ]);
  });
});

describe('Gateway API Inference Extension', () => {
  const V = 'inference.networking.k8s.io/v1';
  it('InferencePool: the endpoint picker needs a port (kind defaults to Service first); target ports are unique', () => {
    expect(messages(obj(V, 'InferencePool', { targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'epp' } }))).toEqual([
      "/spec/endpointPickerRef: port is required when kind is 'Service' or unspecified (defaults to 'Service')",
    ]);
    expect(messages(obj(V, 'InferencePool', { targetPorts: [{ number: 8000 }, { number: 8000 }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } }))).toEqual(['/spec/targetPorts: port number must be unique']);
    expect(messages(obj(V, 'InferencePool', { targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } }))).toEqual([]);
  });
});

describe('KServe', () => {
  const V = 'serving.kserve.io/v1alpha2';
  it('LLMInferenceService: replicas and scaling are exclusive; minReplicas <= maxReplicas', () => {
    expect(messages(obj(V, 'LLMInferenceService', { replicas: 2, scaling: { maxReplicas: 4, wva: { hpa: {} } } }))).toEqual([
      '/spec: replicas and scaling are mutually exclusive; use scaling for autoscaled deployments or replicas for static deployments',
    ]);
    expect(messages(obj(V, 'LLMInferenceService', { scaling: { minReplicas: 5, maxReplicas: 4, wva: { hpa: {} } } }))).toEqual(['/spec/scaling: minReplicas cannot exceed maxReplicas']);
    expect(messages(obj(V, 'LLMInferenceService', { scaling: { maxReplicas: 4, wva: { hpa: {} } } }))).toEqual([]);
  });
});

describe('operators and platform CRDs', () => {
  it('Kuadrant AuthPolicy: overrides and defaults are exclusive', () => {
    expect(messages(obj('kuadrant.io/v1', 'AuthPolicy', { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g' }, overrides: {}, defaults: {} }))).toContain(
      '/spec: Explicit overrides and explicit defaults are mutually exclusive',
    );
  });

  it('CloudNativePG: Cluster image fields, Database locale fields', () => {
    expect(messages(obj('postgresql.cnpg.io/v1', 'Cluster', { instances: 1, imageName: 'pg:17', imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'c', major: 17 } }))).toEqual([
      '/spec: imageName and imageCatalogRef are mutually exclusive',
    ]);
    expect(messages(obj('postgresql.cnpg.io/v1', 'Database', { name: 'db', owner: 'o', cluster: { name: 'c' }, localeProvider: 'libc', icuLocale: 'en' }))).toEqual(['/spec: icuLocale is only available when localeProvider is set to `icu`']);
    // A field the rule reads without has() is an error of its own, as the API server reports it ("no such key").
    expect(messages(obj('postgresql.cnpg.io/v1', 'Database', { name: 'db', owner: 'o', cluster: { name: 'c' }, icuLocale: 'en' }))).toEqual([
      "/spec: field not found: localeProvider evaluating rule: !has(self.icuLocale) || self.localeProvider == 'icu'",
    ]);
  });

  it('External Secrets ClusterSecretStore: doppler auth needs exactly one method', () => {
    expect(messages(obj('external-secrets.io/v1', 'ClusterSecretStore', { provider: { doppler: { auth: {} } } }))).toEqual([
      "/spec/provider/doppler/auth: Exactly one of 'secretRef' or 'oidcConfig' must be specified",
    ]);
  });

  it('Istio Telemetry: exclusive selectors, a duration, a rule on map values (additionalProperties)', () => {
    const T = 'telemetry.istio.io/v1';
    expect(messages(obj(T, 'Telemetry', { selector: { matchLabels: { a: 'b' } }, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'g' }] }))).toEqual(['/spec: only one of targetRefs or selector can be set']);
    expect(messages(obj(T, 'Telemetry', { metrics: [{ reportingInterval: '500us' }] }))).toEqual(['/spec/metrics/0/reportingInterval: must be a valid duration greater than 1ms']);
    expect(messages(obj(T, 'Telemetry', { metrics: [{ overrides: [{ tagOverrides: { app: { operation: 'UPSERT', value: '' } } }] }] }))).toEqual([
      '/spec/metrics/0/overrides/0/tagOverrides/app: value must be set when operation is UPSERT',
    ]);
  });

  it('Prometheus remoteWrite sigv4, cert-manager Issuer venafi, LlamaStackDistribution distribution', () => {
    expect(messages(obj('monitoring.coreos.com/v1', 'Prometheus', { remoteWrite: [{ url: 'https://x', sigv4: { externalId: 'e' } }] }))).toEqual(['/spec/remoteWrite/0/sigv4: externalId can only be used when roleArn is specified']);
    expect(messages(obj('cert-manager.io/v1', 'Issuer', { venafi: { zone: 'z' } }))).toEqual(['/spec/venafi: exactly one of tpp, cloud, or ngts must be configured']);
    expect(messages(obj('llamastack.io/v1alpha1', 'LlamaStackDistribution', { server: { distribution: { name: 'starter', image: 'x' } } }))).toEqual(['/spec/server/distribution: Only one of name or image can be specified']);
  });
});

describe('transition rules, ratcheting, rules not evaluable', () => {
  const M = 'mcp.kuadrant.io/v1';
  const reg = (prefix: string): K8sObject => obj(M, 'MCPServerRegistration', { prefix, targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' } });

  it('MCPServerRegistration prefix is immutable: evaluated only against the old object', () => {
    const created = run(reg('b_'));
    expect(created.findings).toEqual([]);
    expect(created.summary.transitionSkipped).toBe(1);
    expect(messages(reg('b_'), reg('a_'))).toEqual(['/spec/prefix: prefix is immutable once set']);
    expect(messages(reg('a_'), reg('a_'))).toEqual([]);
  });

  it('an unchanged value that breaks a rule ratchets to a warning (CRDValidationRatcheting)', () => {
    const bad = obj('cert-manager.io/v1', 'Issuer', { venafi: { zone: 'z' } });
    const r = run(bad, bad);
    expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([[CEL001, 'warning']]);
    expect(r.summary.violations).toBe(0);
  });

  it('a rule calling a function no modelled library has is a CEL002 warning naming it, counted', () => {
    const crd: K8sObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.com' },
      spec: { group: 'example.com', names: { kind: 'Thing' }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string', 'x-kubernetes-validations': [{ rule: "lists.range(3).size() == 3" }] } } } } } } }] },
    };
    const r = run(obj('example.com/v1', 'Thing', { size: '2Gi' }), undefined, [crd]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ rule: CEL002, severity: 'warning', path: '/spec/size' });
    expect(r.findings[0]!.message).toContain('lists.range(3).size() == 3');
    expect(r.summary).toMatchObject({ unevaluable: 1, violations: 0, rules: 1, objects: 1 });
  });

  it('the summary counts rules, evaluations and objects', () => {
    const r = run(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [backend] }] }));
    expect(r.summary).toMatchObject({ objects: 1, violations: 0, unevaluable: 0 });
    expect(r.summary.rules).toBe(3);
    expect(r.summary.inSchemas).toBe(4);
  });

  it("check's line for an env says what was evaluated and what was not", () => {
    const r = run(obj(HTTPROUTE, 'HTTPRoute', { rules: [{ backendRefs: [backend] }] }));
    expect(celSummaryLine({ ...r.summary, ms: 12 })).toBe(
      `lab: ${r.summary.rules} of the 4 CEL rules of its kinds evaluated ${r.summary.evaluations} times on 1 objects, 0 violation(s), 0 not evaluable (goal 0), 0 transition rule(s) without a base object; 12 ms`,
    );
  });
});
