/**
 * Which addresses of a CIDR are public (globally reachable): what an allow-list CIDR must not
 * cover without a reviewed exception. Not public are the special-purpose blocks the IANA
 * registries mark as not globally reachable (RFC 6890 and its updates): for IPv4 this network,
 * RFC 1918 private, shared (CGNAT), loopback, link-local, IETF protocol assignments,
 * documentation, benchmarking, multicast and reserved; for IPv6 everything outside global unicast
 * 2000::/3, and the documentation block 2001:db8::/32 inside it. IPv4-mapped IPv6 addresses
 * (::ffff:0:0/96) are as public as the IPv4 address they carry.
 */
import { cidrRange, formatAddress, type CidrRange } from './cidr.ts';

type Interval = [bigint, bigint];

const NOT_PUBLIC_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
];

const bounds = (c: string): Interval => {
  const r = cidrRange(c)!;
  return [r.lo, r.hi];
};

/** The parts of `from` that none of `minus` covers, in order. */
function subtract(from: Interval[], minus: Interval[]): Interval[] {
  let out = from;
  for (const [mlo, mhi] of minus) {
    const next: Interval[] = [];
    for (const [lo, hi] of out) {
      if (mhi < lo || mlo > hi) {
        next.push([lo, hi]);
        continue;
      }
      if (lo < mlo) next.push([lo, mlo - 1n]);
      if (hi > mhi) next.push([mhi + 1n, hi]);
    }
    out = next;
  }
  return out;
}

const PUBLIC_V4: Interval[] = subtract([[0n, 0xffffffffn]], NOT_PUBLIC_V4.map(bounds));
const MAPPED = 0xffffn << 32n;
const PUBLIC_V6: Interval[] = [...PUBLIC_V4.map(([lo, hi]): Interval => [MAPPED | lo, MAPPED | hi]), ...subtract([bounds('2000::/3')], [bounds('2001:db8::/32')])];

/**
 * The public addresses a CIDR reaches once the `except` blocks are taken out (as NetworkPolicy
 * ipBlock.except does): the first such range as `first-last`, or undefined when it reaches none
 * (or does not parse: the CIDR rule reports that).
 */
export function publicPart(cidr: string, except: readonly string[] = []): string | undefined {
  const r: CidrRange | undefined = cidrRange(cidr);
  if (!r) return undefined;
  const publicSet = r.family === 4 ? PUBLIC_V4 : PUBLIC_V6;
  const inside = subtract([[r.lo, r.hi]], [...subtract([[r.lo, r.hi]], publicSet)]);
  const excepted = except.map((e) => cidrRange(e)).filter((e): e is CidrRange => e?.family === r.family).map((e): Interval => [e.lo, e.hi]);
  const left = subtract(inside, excepted);
  const first = left[0];
  if (!first) return undefined;
  const [lo, hi] = first;
  return lo === hi ? formatAddress(r.family, lo) : `${formatAddress(r.family, lo)}-${formatAddress(r.family, hi)}`;
}
