/**
 * The Kubernetes CEL semver library: kubernetes/apiserver@v0.35.0:pkg/cel/library/semverlib.go, at
 * the version the 1.35 base environment declares (environment/base.go: SemverLib(SemverVersion(1)),
 * so `semver(s, true)` and `isSemver(s, true)` normalize). Parsing follows blang/semver/v4 Parse:
 * exactly Major.Minor.Patch without leading zeros, then `-prerelease` and `+build` identifiers;
 * normalization (normalizeAndParse) drops one leading "v", leading zeros, and fills a missing minor
 * or patch with 0 (refusing a short version with pre-release or build data).
 * Equality and comparison ignore build metadata, as Version.Compare does, so the CEL value holds
 * only major, minor, patch and the pre-release identifiers.
 */
import { CelScalar } from '@bufbuild/cel';
import { fn, method, OPAQUE, opaque, unwrap } from './opaque.ts';

export interface Semver {
  major: string;
  minor: string;
  patch: string;
  pre: string[];
}

const NUM = /^[0-9]+$/;
const ALNUM = /^[0-9A-Za-z-]+$/;
const UINT64_MAX = (1n << 64n) - 1n;

function part(s: string, what: string): string {
  if (!NUM.test(s)) throw new Error(`Invalid character(s) found in ${what} number ${JSON.stringify(s)}`);
  if (s.length > 1 && s.startsWith('0')) throw new Error(`${what[0]!.toUpperCase()}${what.slice(1)} number must not contain leading zeroes ${JSON.stringify(s)}`);
  if (BigInt(s) > UINT64_MAX) throw new Error(`${what} number out of range`);
  return s;
}

/** blang/semver/v4 Parse. */
export function parseSemver(s: string): Semver {
  if (s === '') throw new Error('Version string empty');
  const parts = s.split('.');
  if (parts.length < 3) throw new Error('No Major.Minor.Patch elements found');
  const rest = parts.slice(2).join('.');
  const preAt = rest.indexOf('-');
  const buildAt = rest.indexOf('+');
  const cut = Math.min(...[preAt, buildAt].filter((i) => i >= 0), rest.length);
  const v: Semver = { major: part(parts[0]!, 'major'), minor: part(parts[1]!, 'minor'), patch: part(rest.slice(0, cut), 'patch'), pre: [] };
  if (buildAt >= 0) {
    for (const b of rest.slice(buildAt + 1).split('.')) {
      if (b === '') throw new Error('Build meta data is empty');
      if (!ALNUM.test(b)) throw new Error(`Invalid character(s) found in build meta data ${JSON.stringify(b)}`);
    }
  }
  if (preAt >= 0 && (buildAt < 0 || preAt < buildAt)) {
    for (const p of rest.slice(preAt + 1, buildAt < 0 ? undefined : buildAt).split('.')) {
      if (p === '') throw new Error('Prerelease is empty');
      if (NUM.test(p) && p.length > 1 && p.startsWith('0')) throw new Error(`Version Prerelease number must not contain leading zeroes ${JSON.stringify(p)}`);
      if (!ALNUM.test(p)) throw new Error(`Invalid character(s) found in prerelease ${JSON.stringify(p)}`);
      v.pre.push(p);
    }
  }
  return v;
}

/** semverlib.go normalizeAndParse. */
export function normalizeAndParse(text: string): Semver {
  const parts = (text.startsWith('v') ? text.slice(1) : text).split('.');
  const head = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join('.')] : parts;
  const trimmed = head.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t === '' || !/^[0-9]/.test(t) ? `0${t}` : t;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1]!)) throw new Error('short version cannot contain PreRelease/Build meta data');
    while (trimmed.length < 3) trimmed.push('0');
  }
  return parseSemver(trimmed.join('.'));
}

const cmpNum = (a: string, b: string): bigint => (BigInt(a) < BigInt(b) ? -1n : BigInt(a) > BigInt(b) ? 1n : 0n);

/** Version.Compare: numbers, then a version without pre-release is the greater; identifiers in order. */
export function compareSemver(a: Semver, b: Semver): bigint {
  const head = cmpNum(a.major, b.major) || cmpNum(a.minor, b.minor) || cmpNum(a.patch, b.patch);
  if (head) return head;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0n : a.pre.length ? -1n : 1n;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i]!, b.pre[i]!];
    const [nx, ny] = [NUM.test(x), NUM.test(y)];
    const c = nx && ny ? cmpNum(x, y) : nx ? -1n : ny ? 1n : x < y ? -1n : x > y ? 1n : 0n;
    if (c) return c;
  }
  return BigInt(Math.sign(a.pre.length - b.pre.length));
}

const T = 'kubernetes.Semver';
const wrap = (v: Semver): Map<string, unknown> => opaque(T, v);
const ok = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};
const S = CelScalar.STRING;
const B = CelScalar.BOOL;
const I = CelScalar.INT;

export const SEMVER_LIBRARY = [
  fn('semver', [S], OPAQUE, (s: string) => wrap(parseSemver(s))),
  fn('semver', [S, B], OPAQUE, (s: string, n: boolean) => wrap(n ? normalizeAndParse(s) : parseSemver(s))),
  fn('isSemver', [S], B, (s: string) => ok(() => parseSemver(s))),
  fn('isSemver', [S, B], B, (s: string, n: boolean) => ok(() => (n ? normalizeAndParse(s) : parseSemver(s)))),
  method(T, 'major', [], I, (v: Semver) => BigInt(v.major)),
  method(T, 'minor', [], I, (v: Semver) => BigInt(v.minor)),
  method(T, 'patch', [], I, (v: Semver) => BigInt(v.patch)),
];

/** The comparisons, shared by name with quantity (quantity.ts). */
export const SEMVER_COMPARE = (v: Semver, o: unknown, name: string): bigint => compareSemver(v, unwrap<Semver>(o, T, name));
