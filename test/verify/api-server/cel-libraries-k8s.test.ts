/**
 * The Kubernetes CEL libraries added to the 1.35 base environment after lists/regex/urls/ip/cidr,
 * against kubernetes/apiserver@v0.35.0's own test expectations: pkg/cel/library/quantity_test.go,
 * semver_test.go (SemverVersion(1), the version base.go declares), format_test.go; the sets
 * extension against google/cel-go ext/sets.go's documented examples. Then, per library, a rule
 * firing on an object that breaks it: the format library's one real rule in the pinned CRDs
 * (GrafanaDashboard, test/fixtures/api-server/crds.yaml); no pinned CRD calls quantity, semver or
 * sets, so those rules are written here in the shape of the library's documented examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { CEL001, celValidation, evaluate } from '../../../scripts/lib/verify/api-server/index.ts';
import { isOptional, optionalValue } from '../../../scripts/lib/verify/api-server/libs/format.ts';

const val = (expr: string): unknown => {
  const r = evaluate(expr, {});
  if ('error' in r) throw new Error(`${expr}: ${r.error}`);
  return r.value;
};
const err = (expr: string): string => {
  const r = evaluate(expr, {});
  if (!('error' in r)) throw new Error(`${expr} gave ${String(r.value)}`);
  expect(r.unevaluable).toBe(false);
  return r.error;
};
/** An optional: undefined for none, else its value. */
const opt = (expr: string): unknown => {
  const v = val(expr);
  expect(isOptional(v)).toBe(true);
  return val(`${expr}.hasValue()`) ? optionalValue(v) : undefined;
};

describe('quantity library (quantity_test.go)', () => {
  it('parses as resource.ParseQuantity; invalid suffixes are errors', () => {
    expect(val('quantity("12Mi") == quantity("12582912")')).toBe(true);
    expect(err('quantity("10Mo")')).toMatch(/not a Kubernetes quantity/);
    expect(err('quantity("10Mm")')).toMatch(/not a Kubernetes quantity/);
    for (const [s, ok] of [['20', true], ['20M', true], ['20Mi', true], ['20Mo', false], ['10Mm', false], ['1.3G', true], ['1,3G', false], ['10000k', true], ['200K', false], ['Three', false], ['Mi', false]] as const) {
      expect(val(`isQuantity("${s}")`), s).toBe(ok);
    }
  });

  it('equality is by value, whatever the spelling', () => {
    expect(val('quantity("200M") == quantity("200M")')).toBe(true);
    expect(val('quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")')).toBe(true);
    expect(val('quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")')).toBe(true);
    expect(val('quantity("200M") == quantity("0.3G")')).toBe(false);
  });

  it('comparisons', () => {
    expect(val('quantity("50M").isLessThan(quantity("50Mi"))')).toBe(true);
    expect(val('quantity("50M").isLessThan(quantity("100M"))')).toBe(true);
    expect(val('quantity("100M").isLessThan(quantity("50M"))')).toBe(false);
    expect(val('quantity("50Mi").isGreaterThan(quantity("50M"))')).toBe(true);
    expect(val('quantity("150Mi").isGreaterThan(quantity("100Mi"))')).toBe(true);
    expect(val('quantity("50M").isGreaterThan(quantity("100M"))')).toBe(false);
    expect(val('quantity("200M").compareTo(quantity("0.2G"))')).toBe(0n);
    expect(val('quantity("50M").compareTo(quantity("50Mi"))')).toBe(-1n);
    expect(val('quantity("50Mi").compareTo(quantity("50M"))')).toBe(1n);
  });

  it('arithmetic and conversions', () => {
    expect(val('quantity("50k").add(quantity("20")) == quantity("50.02k")')).toBe(true);
    expect(val('quantity("50k").add(20).isLessThan(quantity("50020"))')).toBe(false);
    expect(val('quantity("50k").sub(quantity("20")) == quantity("49.98k")')).toBe(true);
    expect(val('quantity("50k").sub(20) == quantity("49980")')).toBe(true);
    expect(val('quantity("50k").add(20).sub(quantity("100k")).asInteger()')).toBe(-49980n);
    expect(val('quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()')).toBe(20n);
    expect(val('quantity("50k").asInteger()')).toBe(50000n);
    expect(err('quantity("9999999999999999999999999999999999999G").asInteger()')).toMatch(/cannot convert value to integer/);
    expect(val('quantity("9999999999999999999999999999999999999G").isInteger()')).toBe(false);
    expect(val('quantity("50").isInteger()')).toBe(true);
    expect(val('quantity("50.703k").asApproximateFloat()')).toBe(50703);
    expect(val('quantity("-1.5Gi").sign()')).toBe(-1n);
  });
});

describe('semver library (semver_test.go, SemverVersion(1))', () => {
  it('parses strictly without normalization, tolerantly with it', () => {
    expect(val('semver("1.2.3").major()')).toBe(1n);
    expect(err('semver("v1.0")')).toMatch(/No Major\.Minor\.Patch elements found/);
    expect(val('isSemver("1.2.3-beta.1+build.1")')).toBe(true);
    for (const s of ['', 'v1.0.0', ' 1.0.0', '1. 0.0', '1.0.0 ', '01.01.01', '1', '1.1']) expect(val(`isSemver("${s}")`), s).toBe(false);
    for (const s of ['', ' 1.0.0', '1. 0.0', '1.0.0 ']) expect(val(`isSemver("${s}", true)`), s).toBe(false);
    for (const s of ['v1.0.0', '01.01.01', '1', '1.1']) expect(val(`isSemver("${s}", true)`), s).toBe(true);
    expect(val('semver("v01.01", true) == semver("1.1.0")')).toBe(true);
  });

  it('equality, comparisons and the getters', () => {
    expect(val('semver("1.2.3") == semver("1.2.3")')).toBe(true);
    expect(val('semver("1.2.3") == semver("1.0.0")')).toBe(false);
    expect(val('semver("1.0.0").isLessThan(semver("1.2.3"))')).toBe(true);
    expect(val('semver("1.0.0").isLessThan(semver("1.0.0"))')).toBe(false);
    expect(val('semver("1.2.3").isGreaterThan(semver("1.0.0"))')).toBe(true);
    expect(val('semver("1.0.0").isGreaterThan(semver("1.0.0"))')).toBe(false);
    expect(val('semver("1.2.3").compareTo(semver("1.2.3"))')).toBe(0n);
    expect(val('semver("1.0.0").compareTo(semver("1.2.3"))')).toBe(-1n);
    expect(val('semver("1.2.3").compareTo(semver("1.0.0"))')).toBe(1n);
    expect([val('semver("1.2.3").major()'), val('semver("1.2.3").minor()'), val('semver("1.2.3").patch()')]).toEqual([1n, 2n, 3n]);
    // semver.org precedence: a pre-release is lower; numeric identifiers before alphanumeric ones
    expect(val('semver("1.0.0-alpha").isLessThan(semver("1.0.0-alpha.1")) && semver("1.0.0-alpha.1").isLessThan(semver("1.0.0-beta")) && semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))')).toBe(true);
  });
});

describe('format library (format_test.go)', () => {
  it('the documented examples are valid', () => {
    for (const [f, s] of [['dns1123Label', 'my-label-name'], ['dns1123Subdomain', 'apiextensions.k8s.io'], ['qualifiedName', 'apiextensions.k8s.io/v1beta1'], ['dns1123LabelPrefix', 'my-label-prefix-'], ['dns1123SubdomainPrefix', 'mysubdomain.prefix.-'], ['dns1035LabelPrefix', 'my-label-prefix-'], ['uri', 'http://example.com'], ['uuid', '123e4567-e89b-12d3-a456-426614174000'], ['byte', 'aGVsbG8='], ['date', '2021-01-01'], ['datetime', '2021-01-01T00:00:00Z'], ['dns1123Subdomain', 'example.com'], ['dns1035Label', 'my-label-name'], ['qualifiedName', 'my.name'], ['labelValue', 'my-cool-label-Value']]) {
      expect(opt(`format.${f}().validate("${s}")`), `${f} ${s}`).toBeUndefined();
    }
  });

  it('invalid strings give the validators\' messages', () => {
    const label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    expect(opt('format.dns1123Label().validate("contains a space")')).toEqual([label]);
    expect(opt('format.dns1123Subdomain().validate("contains a space")')).toEqual([subdomain]);
    expect(opt('format.dns1035Label().validate("contains a space")')).toEqual([dns1035]);
    expect(opt('format.qualifiedName().validate("contains a space")')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(opt('format.dns1123LabelPrefix().validate("contains a space-")')).toEqual([label]);
    expect(opt('format.dns1123SubdomainPrefix().validate("contains a space-")')).toEqual([subdomain]);
    expect(opt('format.dns1035LabelPrefix().validate("contains a space-")')).toEqual([dns1035]);
    expect(opt('format.byte().validate("aGVsbG8")')).toEqual(['invalid base64']);
    expect(opt('format.date().validate("2020-01-32")')).toEqual(['invalid date']);
    expect(opt('format.datetime().validate("2020-01-32T00:00:00Z")')).toEqual(['invalid datetime']);
    expect(opt('format.labelValue().validate("my-cool-label-Value!!\\n\\n!!!")')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('format.named: lookup, comparison, an unknown name', () => {
    expect(val('format.named("unknown").hasValue()')).toBe(false);
    const names = ['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName', 'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uri', 'uuid', 'byte', 'date', 'datetime'];
    for (const a of names) {
      expect(val(`format.named("${a}").hasValue()`), a).toBe(true);
      expect(val(`format.named("${a}").value() == format.${a}()`), a).toBe(true);
      for (const b of names) if (a !== b) expect(val(`format.${a}() == format.${b}()`)).toBe(false);
    }
  });
});

describe('sets extension (cel-go ext/sets.go)', () => {
  it('the documented examples', () => {
    expect(val('sets.contains([], [])')).toBe(true);
    expect(val('sets.contains([], [1])')).toBe(false);
    expect(val('sets.contains([1, 2, 3, 4], [2, 3])')).toBe(true);
    expect(val('sets.contains([1, 2.0], [1.0, 2])')).toBe(true);
    expect(val('sets.equivalent([], [])')).toBe(true);
    expect(val('sets.equivalent([1], [1, 1])')).toBe(true);
    expect(val('sets.equivalent([1], [1, 1.0])')).toBe(true);
    expect(val('sets.equivalent([1, 2, 3], [3, 2.0, 1])')).toBe(true);
    expect(val('sets.intersects([1], [])')).toBe(false);
    expect(val('sets.intersects([1], [1, 2])')).toBe(true);
    expect(val('sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])')).toBe(true);
  });
});

describe('a rule calling each library fires on an object that breaks it', () => {
  const CRDS = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/api-server/crds.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);
  const run = (o: K8sObject, crds: K8sObject[] = CRDS) =>
    celValidation({ env: 'lab', objects: [{ obj: o, file: 'f.yaml', line: 1 }], hydrated: crds })
      .findings.filter((f) => f.rule === CEL001)
      .map((f) => `${f.path}: ${f.message}`);
  const thing = (props: Record<string, unknown>): K8sObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'things.example.com' },
    spec: { group: 'example.com', names: { kind: 'Thing' }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', ...props } } } } }] },
  });
  const obj = (apiVersion: string, kind: string, spec: unknown): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, spec });

  it('format: GrafanaDashboard publicSharing.accessToken must be a uuid (the pinned CRD\'s rule)', () => {
    const dash = (accessToken: string) => obj('grafana.integreatly.org/v1beta1', 'GrafanaDashboard', { publicSharing: { enabled: true, accessToken } });
    expect(run(dash('not-a-uuid-but-exactly-36-chars-long!'))).toEqual(['/spec/publicSharing/accessToken: spec.publicDashboard.accessToken must be a valid uuid']);
    expect(run(dash('123e4567-e89b-12d3-a456-426614174000'))).toEqual([]);
  });

  it('quantity: a limit below its request', () => {
    const crd = thing({ properties: { request: { type: 'string' }, limit: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'quantity(self.limit).compareTo(quantity(self.request)) >= 0', message: 'limit below request' }] });
    expect(run(obj('example.com/v1', 'Thing', { request: '2Gi', limit: '2000Mi' }), [crd])).toEqual(['/spec: limit below request']);
    expect(run(obj('example.com/v1', 'Thing', { request: '2Gi', limit: '2048Mi' }), [crd])).toEqual([]);
  });

  it('semver: a version below the minimum', () => {
    const crd = thing({ properties: { version: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: "isSemver(self.version, true) && semver(self.version, true).isGreaterThan(semver('1.29.0'))", message: 'version must be above 1.29' }] });
    expect(run(obj('example.com/v1', 'Thing', { version: 'v1.28' }), [crd])).toEqual(['/spec: version must be above 1.29']);
    expect(run(obj('example.com/v1', 'Thing', { version: 'v1.30.2' }), [crd])).toEqual([]);
  });

  it('sets: allowed values', () => {
    const crd = thing({ properties: { modes: { type: 'array', items: { type: 'string' } } }, 'x-kubernetes-validations': [{ rule: "sets.contains(['ReadWriteOnce', 'ReadWriteMany'], self.modes)", message: 'unknown mode' }] });
    expect(run(obj('example.com/v1', 'Thing', { modes: ['ReadWriteOnce', 'ReadOnce'] }), [crd])).toEqual(['/spec: unknown mode']);
    expect(run(obj('example.com/v1', 'Thing', { modes: ['ReadWriteMany'] }), [crd])).toEqual([]);
  });
});
