/**
 * The Kubernetes CEL IP and CIDR libraries: kubernetes/apiserver@v0.35.0:pkg/cel/library/ip.go
 * and cidr.go. Addresses parse as Go's netip.ParseAddr does (IPv4: four decimal parts without
 * leading zeros; IPv6 with `::` and an optional trailing IPv4), and the library then refuses a
 * zone and an IPv4-mapped IPv6 address (parseIPAddr); prefixes as netip.ParsePrefix.
 */
import { CelScalar } from '@bufbuild/cel';
import { fn, method, OPAQUE, opaque, unwrap } from './opaque.ts';

/** 4 or 16 bytes. */
type Addr = number[];

function parse4(s: string): Addr | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parse6(s: string): Addr | undefined {
  let text = s;
  const last = s.lastIndexOf(':');
  if (s.slice(last + 1).includes('.')) {
    const v4 = parse4(s.slice(last + 1));
    if (!v4) return undefined;
    text = `${s.slice(0, last + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff);
    }
    return out;
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const have = head.length + rest.length;
  if (halves.length === 1 ? have !== 16 : have > 14) return undefined;
  return [...head, ...new Array<number>(16 - have).fill(0), ...rest];
}

/** netip.ParseAddr, then the library's refusals; a reason when not an address. */
export function parseIp(s: string): Addr | string {
  if (s.includes('%')) return `IP address ${JSON.stringify(s)} with zone value is not allowed`;
  const a = s.includes(':') ? parse6(s) : parse4(s);
  if (!a) return `IP Address ${JSON.stringify(s)} parse error during conversion from string`;
  if (a.length === 16 && a.slice(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return a;
}

interface Prefix {
  addr: Addr;
  bits: number;
}

export function parseCidr(s: string): Prefix | string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return `network address parse error during conversion from string: no '/'`;
  const a = parseIp(s.slice(0, slash));
  if (typeof a === 'string') return a;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || Number(bits) > a.length * 8) return `network address parse error during conversion from string: bad bits`;
  return { addr: a, bits: Number(bits) };
}

const masked = (a: Addr, bits: number): Addr => a.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8)))));
const contains = (p: Prefix, a: Addr): boolean => a.length === p.addr.length && masked(a, p.bits).every((b, i) => b === masked(p.addr, p.bits)[i]);

function format(a: Addr): string {
  if (a.length === 4) return a.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best[1]! && j - i >= 2) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best[0]! < 0) return hex.join(':');
  return `${hex.slice(0, best[0]).join(':')}::${hex.slice(best[0]! + best[1]!).join(':')}`;
}

const isLoopback = (a: Addr): boolean => (a.length === 4 ? a[0] === 127 : a.slice(0, 15).every((b) => b === 0) && a[15] === 1);
const isUnspecified = (a: Addr): boolean => a.every((b) => b === 0);
const isLinkLocalUnicast = (a: Addr): boolean => (a.length === 4 ? a[0] === 169 && a[1] === 254 : a[0] === 0xfe && (a[1]! & 0xc0) === 0x80);
const isLinkLocalMulticast = (a: Addr): boolean => (a.length === 4 ? a[0] === 224 && a[1] === 0 && a[2] === 0 : a[0] === 0xff && (a[1]! & 0x0f) === 0x02);
const isMulticast = (a: Addr): boolean => (a.length === 4 ? (a[0]! & 0xf0) === 0xe0 : a[0] === 0xff);
const isBroadcast = (a: Addr): boolean => a.length === 4 && a.every((b) => b === 255);
const isGlobalUnicast = (a: Addr): boolean => !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a) && !isBroadcast(a);

const S = CelScalar.STRING;
const B = CelScalar.BOOL;
const IP = 'net.IP';
const CIDR = 'net.CIDR';
const ipOf = (s: string): Addr => {
  const a = parseIp(s);
  if (typeof a === 'string') throw new Error(a);
  return a;
};
const cidrOf = (s: string): Prefix => {
  const p = parseCidr(s);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
const ipArg = (v: unknown): Addr => (typeof v === 'string' ? ipOf(v) : unwrap<Addr>(v, IP, 'containsIP'));
const cidrArg = (v: unknown): Prefix => (typeof v === 'string' ? cidrOf(v) : unwrap<Prefix>(v, CIDR, 'containsCIDR'));

export const NET_LIBRARY = [
  fn('ip', [S], OPAQUE, (s: string) => opaque(IP, ipOf(s))),
  fn('isIP', [S], B, (s: string) => typeof parseIp(s) !== 'string'),
  fn('ip.isCanonical', [S], B, (s: string) => format(ipOf(s)) === s),
  method(IP, 'family', [], CelScalar.INT, (a: Addr) => BigInt(a.length === 4 ? 4 : 6)),
  method(IP, 'isUnspecified', [], B, isUnspecified),
  method(IP, 'isLoopback', [], B, isLoopback),
  method(IP, 'isLinkLocalMulticast', [], B, isLinkLocalMulticast),
  method(IP, 'isLinkLocalUnicast', [], B, isLinkLocalUnicast),
  method(IP, 'isGlobalUnicast', [], B, isGlobalUnicast),
  fn('cidr', [S], OPAQUE, (s: string) => opaque(CIDR, cidrOf(s))),
  fn('isCIDR', [S], B, (s: string) => typeof parseCidr(s) !== 'string'),
  method(CIDR, 'containsIP', [CelScalar.DYN], B, (p: Prefix, v: unknown) => contains(p, ipArg(v))),
  method(CIDR, 'containsCIDR', [CelScalar.DYN], B, (p: Prefix, v: unknown) => {
    const o = cidrArg(v);
    return o.bits >= p.bits && contains(p, o.addr);
  }),
  method(CIDR, 'ip', [], OPAQUE, (p: Prefix) => opaque(IP, p.addr)),
  method(CIDR, 'prefixLength', [], CelScalar.INT, (p: Prefix) => BigInt(p.bits)),
  method(CIDR, 'masked', [], OPAQUE, (p: Prefix) => opaque(CIDR, { addr: masked(p.addr, p.bits), bits: p.bits })),
];
