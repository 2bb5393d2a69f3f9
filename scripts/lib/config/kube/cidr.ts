/**
 * CIDRs as Kubernetes reads them (NetworkPolicy ipBlock.cidr): an IPv4 or IPv6 address, a slash
 * and a prefix length in range. KEP-4858 (IP/CIDR validation improvements, feature gate
 * StrictIPCIDRValidation) makes the API server refuse IPv4 octets with leading zeros (ambiguous:
 * octal or decimal) and flags CIDRs with bits set after the prefix: both are reported here, with
 * the canonical form.
 */
import { ok, type Parsed } from '../../findings.ts';

/** A CIDR's address family and its canonical text (what the API server prints). */
export interface Cidr {
  family: 4 | 6;
  canonical: string;
}

function parseIPv4(s: string): bigint | string {
  const parts = s.split('.');
  if (parts.length !== 4) return 'an IPv4 address has four numbers separated by dots';
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return `"${p}" is not a number from 0 to 255`;
    if (p.length > 1 && p.startsWith('0')) return `"${p}" has a leading zero (ambiguous: octal or decimal)`;
    const n = Number(p);
    if (n > 255) return `${p} is more than 255`;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(s: string): bigint | string {
  let text = s;
  let tail: bigint | undefined;
  // An IPv4 tail (::ffff:10.0.0.1) holds the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (typeof v4 === 'string') return v4;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear once';
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return 'an IPv6 address has eight groups (or fewer with "::")';
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return `"${g}" is not a group of 1 to 4 hex digits`;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

function formatIPv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups as "::". */
function formatIPv6(v: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function parseCidr(text: string): Parsed<Cidr> {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: `"${text}" has no prefix length (e.g. 10.0.0.0/16, or /32 for one address)` };
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const family = addr.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || (prefix.length > 1 && prefix.startsWith('0')) || Number(prefix) > bits) {
    return { ok: false, reason: `"${text}": the prefix length must be a number from 0 to ${bits} for an IPv${family} address` };
  }
  const v = family === 4 ? parseIPv4(addr) : parseIPv6(addr);
  if (typeof v === 'string') return { ok: false, reason: `"${text}" is not a valid IPv${family} CIDR: ${v}` };
  const len = Number(prefix);
  const hostBits = BigInt(bits - len);
  const network = (v >> hostBits) << hostBits;
  const canonical = `${family === 4 ? formatIPv4(network) : formatIPv6(network)}/${len}`;
  if (network !== v) return { ok: false, reason: `"${text}" has bits set after the /${len} prefix: write the network, ${canonical}` };
  return ok({ family, canonical });
}

/** The addresses of a CIDR as an inclusive range of integers (undefined when it does not parse). */
export interface CidrRange {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

export function cidrRange(text: string): CidrRange | undefined {
  const r = parseCidr(text);
  if (!r.ok) return undefined;
  const [addr, prefix] = r.value.canonical.split('/') as [string, string];
  const bits = r.value.family === 4 ? 32 : 128;
  const v = r.value.family === 4 ? parseIPv4(addr) : parseIPv6(addr);
  if (typeof v === 'string') return undefined;
  const size = 1n << BigInt(bits - Number(prefix));
  return { family: r.value.family, lo: v, hi: v + size - 1n };
}

/** An address of the family as the API server prints it. */
export function formatAddress(family: 4 | 6, v: bigint): string {
  return family === 4 ? formatIPv4(v) : formatIPv6(v);
}
