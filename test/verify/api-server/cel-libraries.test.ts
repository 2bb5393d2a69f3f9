/**
 * The CEL libraries of the API server as modelled offline, against kubernetes/apiserver@v0.35.0's
 * own examples and test expectations (pkg/cel/library/urls.go doc examples, ip_test.go,
 * cidr_test.go, lists.go and regex.go doc examples), and a real rule of a pinned CRD per library
 * that calls it (the rule text copied verbatim; the CRD it comes from named with each).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../scripts/lib/verify/api-server/index.ts';

const val = (expr: string, self?: unknown): unknown => {
  const r = evaluate(expr, self === undefined ? {} : { self });
  if ('error' in r) throw new Error(r.error);
  return r.value;
};
const err = (expr: string, self?: unknown): string => {
  const r = evaluate(expr, self === undefined ? {} : { self });
  if (!('error' in r)) throw new Error(`${expr} gave ${String(r.value)}`);
  return r.error;
};

describe('url library (urls.go)', () => {
  it('url() and isURL() accept an absolute URI or an absolute path, as url.ParseRequestURI', () => {
    expect(val("isURL('https://user:pass@example.com:80/path?query=val#fragment')")).toBe(true);
    expect(val("isURL('/absolute-path')")).toBe(true);
    expect(val("isURL('https://a:b:c/')")).toBe(false);
    expect(val("isURL('../relative-path')")).toBe(false);
    expect(err("url('../relative-path')")).toMatch(/URL parse error/);
  });

  it('the getters, as documented', () => {
    expect(val("url('/path').getScheme()")).toBe('');
    expect(val("url('https://example.com/').getScheme()")).toBe('https');
    expect(val("url('https://example.com:80/').getHost()")).toBe('example.com:80');
    expect(val("url('https://[::1]:80/').getHost()")).toBe('[::1]:80');
    expect(val("url('https://[::1]:80/').getHostname()")).toBe('::1');
    expect(val("url('https://127.0.0.1:80/').getHostname()")).toBe('127.0.0.1');
    expect(val("url('https://example.com:80/').getPort()")).toBe('80');
    expect(val("url('https://example.com/').getPort()")).toBe('');
    expect(val("url('https://example.com/path with spaces/').getEscapedPath()")).toBe('/path%20with%20spaces/');
    expect(val("url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}")).toBe(true);
    expect(err("'x'.getScheme()")).toMatch(/no matching overload/);
  });

  // istio base chart 1.30.3, WasmPlugin extensions.istio.io/v1alpha1 spec.url
  const WASM_URL = 'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "oci", "file"]) : (isURL("http://" + self) &&\nurl("http://" + self).getScheme() in ["", "http", "https", "oci", "file"])';
  it('a real rule: WasmPlugin spec.url schemes', () => {
    expect(val(WASM_URL, 'oci://ghcr.io/x/filter:1')).toBe(true);
    expect(val(WASM_URL, 'ghcr.io/x/filter:1')).toBe(true);
    expect(val(WASM_URL, 'ftp://example.com/filter.wasm')).toBe(false);
  });
});

describe('ip and cidr libraries (ip.go, cidr.go)', () => {
  it('isIP as netip.ParseAddr plus the library refusals (ip_test.go)', () => {
    expect(val("isIP('192.168.0.1')")).toBe(true);
    expect(val("isIP('2001:db8::68')")).toBe(true);
    expect(val("isIP('::1')")).toBe(true);
    expect(val("isIP('192.168.0.1.0')")).toBe(false);
    expect(val("isIP('192.168.000.001')")).toBe(false);
    expect(val("isIP('::ffff:c0a8:1')")).toBe(false);
    expect(val("isIP('::ffff:192.168.0.1')")).toBe(false);
    expect(val("isIP('fe80::1%eth0')")).toBe(false);
    expect(val("isIP('not.an.ip')")).toBe(false);
  });

  it('ip() and its methods', () => {
    expect(val("ip('192.168.0.1').family()")).toBe(4n);
    expect(val("ip('::1').family()")).toBe(6n);
    expect(val("ip('127.0.0.1').isLoopback()")).toBe(true);
    expect(val("ip('0.0.0.0').isUnspecified()")).toBe(true);
    expect(val("ip('169.254.169.254').isLinkLocalUnicast()")).toBe(true);
    expect(val("ip('fe80::1').isLinkLocalUnicast()")).toBe(true);
    expect(val("ip('192.168.0.1').isGlobalUnicast()")).toBe(true);
    expect(val("ip.isCanonical('2001:db8::68')")).toBe(true);
    expect(val("ip.isCanonical('2001:DB8::68')")).toBe(false);
    expect(err("ip('::ffff:192.168.0.1')")).toMatch(/IPv4-mapped IPv6 address/);
  });

  it('cidr() and its methods (cidr_test.go)', () => {
    expect(val("isCIDR('192.168.0.0/24')")).toBe(true);
    expect(val("isCIDR('192.168.0.0')")).toBe(false);
    expect(val("isCIDR('192.168.0.0/33')")).toBe(false);
    expect(val("cidr('192.168.0.0/24').containsIP('192.168.0.1')")).toBe(true);
    expect(val("cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))")).toBe(false);
    expect(val("cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')")).toBe(true);
    expect(val("cidr('192.168.0.0/24').containsCIDR('192.168.0.0/16')")).toBe(false);
    expect(val("cidr('192.168.0.0/24').prefixLength()")).toBe(24n);
    expect(val("cidr('192.168.1.5/16').masked().ip().family()")).toBe(4n);
    expect(val("cidr('192.168.1.5/16').masked().containsIP('192.168.200.1')")).toBe(true);
  });

  // gateway-api v1.5.1, TLSRoute gateway.networking.k8s.io/v1 spec.hostnames
  it('a real rule: TLSRoute hostnames cannot contain an IP', () => {
    expect(val('self.all(h, !isIP(h))', ['example.com', '*.example.com'])).toBe(true);
    expect(val('self.all(h, !isIP(h))', ['example.com', '10.0.0.1'])).toBe(false);
  });
});

describe('lists and regex libraries (lists.go, regex.go)', () => {
  it('the documented examples', () => {
    expect(val('[1, 2, 3].isSorted()')).toBe(true);
    expect(val("['a', 'c', 'b'].isSorted()")).toBe(false);
    expect(val('[1, 2, 3].sum()')).toBe(6n);
    expect(val('[1.0, 2.5].sum()')).toBe(3.5);
    expect(val('[1, 2, 3].min()')).toBe(1n);
    expect(val("['d', 'a', 'b'].max()")).toBe('d');
    expect(err('[].min()')).toMatch(/empty list/);
    expect(val("['a', 'b', 'b', 'c'].indexOf('b')")).toBe(1n);
    expect(val("['a', 'b', 'b', 'c'].lastIndexOf('b')")).toBe(2n);
    expect(val("['a'].indexOf('z')")).toBe(-1n);
    expect(val("'abc 123'.find('[0-9]+')")).toBe('123');
    expect(val("'abc'.find('[0-9]+')")).toBe('');
    expect([...(val("'123 abc 456'.findAll('[0-9]+')") as string[])]).toEqual(['123', '456']);
    expect([...(val("'123 abc 456'.findAll('[0-9]+', 1)") as string[])]).toEqual(['123']);
  });
});

describe('strings extension and the standard library, as the pinned CRDs call them', () => {
  // istio base chart 1.30.3, ServiceEntry networking.istio.io/v1 spec.endpoints[].address
  const UDS = 'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true';
  it('substring: ServiceEntry UDS addresses', () => {
    expect(val(UDS, 'unix:///var/run/x.sock')).toBe(true);
    expect(val(UDS, 'unix://relative.sock')).toBe(false);
  });

  // gateway-api v1.5.1, Gateway gateway.networking.k8s.io/v1 spec.infrastructure.labels
  const PREFIX = 'self.all(key, key.split("/")[0].size() < 253)';
  it('split: Gateway infrastructure label prefixes', () => {
    expect(val(PREFIX, new Map([['example.com/team', 'a']]))).toBe(true);
    expect(val(PREFIX, new Map([[`${'a'.repeat(253)}/team`, 'a']]))).toBe(false);
  });

  // istio base chart 1.30.3, Telemetry telemetry.istio.io/v1 spec.metrics[].reportingInterval
  it('duration(): Telemetry reportingInterval', () => {
    expect(val("duration(self) >= duration('1ms')", '10s')).toBe(true);
    expect(val("duration(self) >= duration('1ms')", '500us')).toBe(false);
  });

  it('a macro or function @bufbuild/cel lacks is not evaluable, never a pass', () => {
    // two-variable comprehensions (base.go: 1.32) and the lists extension v3 (1.34) are not modelled
    expect(evaluate("self.all(k, v, v != '')", { self: { a: '' } })).toMatchObject({ unevaluable: true });
    expect(evaluate('lists.range(3).size() == 3', {})).toMatchObject({ unevaluable: true });
  });
});
