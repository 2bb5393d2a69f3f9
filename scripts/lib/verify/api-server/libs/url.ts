/**
 * The Kubernetes CEL URL library: kubernetes/apiserver@v0.35.0:pkg/cel/library/urls.go.
 * `url(s)` and `isURL(s)` accept what Go's url.ParseRequestURI accepts (an absolute URI or an
 * absolute path, no fragment check; go net/url parse with viaRequest=true): no control bytes, a
 * scheme `[A-Za-z][A-Za-z0-9+.-]*:`, then either an opaque part (`mailto:x`), or a path starting
 * with `/`, with `//authority` after a scheme; a host's port is digits only; `%` escapes are valid.
 */
import { CelScalar, listType, mapType } from '@bufbuild/cel';
import { fn, method, OPAQUE, opaque } from './opaque.ts';

interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const ESCAPES = /%(?![0-9A-Fa-f]{2})/;

function parseHost(host: string): boolean {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) return false;
    const port = host.slice(end + 1);
    return port === '' || /^:[0-9]*$/.test(port);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return false;
  return !ESCAPES.test(host);
}

/** Go's url.ParseRequestURI: the URL, or a reason. */
export function parseRequestUri(raw: string): GoUrl | string {
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'invalid control character in URL';
  if (raw === '') return 'empty url';
  const u: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawQuery: '' };
  if (raw === '*') return { ...u, path: '*' };
  let rest = raw;
  const m = SCHEME.exec(raw);
  if (m) {
    u.scheme = m[1]!.toLowerCase();
    rest = raw.slice(m[0].length);
  } else if (raw.startsWith(':')) return 'missing protocol scheme';
  const q = rest.indexOf('?');
  if (rest.endsWith('?') && q === rest.length - 1) rest = rest.slice(0, -1);
  else if (q >= 0) [rest, u.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  if (!rest.startsWith('/')) {
    if (u.scheme) return { ...u, opaque: rest };
    return 'invalid URI for request';
  }
  if (u.scheme && rest.startsWith('//')) {
    const after = rest.slice(2);
    const slash = after.indexOf('/');
    const authority = slash < 0 ? after : after.slice(0, slash);
    rest = slash < 0 ? '' : after.slice(slash);
    const at = authority.lastIndexOf('@');
    u.host = at < 0 ? authority : authority.slice(at + 1);
    if (!parseHost(u.host)) return `invalid host ${JSON.stringify(u.host)}`;
  }
  if (ESCAPES.test(rest)) return 'invalid URL escape';
  u.path = decodeURIComponent(rest);
  return u;
}

const hostname = (h: string): string => (h.startsWith('[') ? h.slice(1, h.lastIndexOf(']')) : h.includes(':') ? h.slice(0, h.lastIndexOf(':')) : h);
const port = (h: string): string => {
  const i = h.lastIndexOf(':');
  return i < 0 || h.slice(i).includes(']') ? '' : h.slice(i + 1);
};

const S = CelScalar.STRING;
const T = 'kubernetes.URL';

export const URL_LIBRARY = [
  fn('url', [S], OPAQUE, (s: string) => {
    const u = parseRequestUri(s);
    if (typeof u === 'string') throw new Error(`URL parse error during conversion from string: ${u}`);
    return opaque(T, u);
  }),
  fn('isURL', [S], CelScalar.BOOL, (s: string) => typeof parseRequestUri(s) !== 'string'),
  method(T, 'getScheme', [], S, (u: GoUrl) => u.scheme),
  method(T, 'getHost', [], S, (u: GoUrl) => u.host),
  method(T, 'getHostname', [], S, (u: GoUrl) => hostname(u.host)),
  method(T, 'getPort', [], S, (u: GoUrl) => port(u.host)),
  method(T, 'getEscapedPath', [], S, (u: GoUrl) => encodeURI(u.path)),
  method(T, 'getQuery', [], mapType(S, listType(S)), (u: GoUrl) => {
    const out = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(u.rawQuery)) out.set(k, [...(out.get(k) ?? []), v]);
    return out;
  }),
];
