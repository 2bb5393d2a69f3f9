/**
 * Where the network may be used, decided by the repository's owners, not by a pull request's
 * config alone: `apps/_hosts.yaml` lists the hosts charts and git sources may come from
 * (`hosts: [charts.jetstack.io, …]`). A source whose host is not listed is a finding at its
 * repoURL; a change to the list shows in the diff's security section (review/hosts-diff.ts) and
 * needs `diff --allow-new-hosts` in CI.
 *
 * Whatever the list says, a host that is, or resolves to, a loopback, link-local, private,
 * shared (CGNAT), unspecified, multicast or cloud metadata address is refused: CI must not be
 * steered to its own services or its cloud's credentials endpoint. IP literals are read the way
 * the WHATWG URL parser reads them (`127.1`, `0x7f.0.0.1`, `2130706433` are 127.0.0.1), for
 * every scheme, oci:// included.
 */
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Finding } from '../findings.ts';
import type { ProjectPaths } from '../paths.ts';
import { loadYamlFile } from './yaml-file.ts';
import { positionOf } from './yaml-source.ts';
import { printable } from './printable.ts';

export const HOSTS_FILE = 'apps/_hosts.yaml';

/** The host of a repository URL (https://, oci://, ssh://, scp-like `git@host:path`), lowercased; undefined when it has none. */
export function urlHost(url: string): string | undefined {
  const scp = /^[\w.-]+@([^:/]+):/.exec(url);
  const rest = scp ? scp[1]! : /^[a-z][a-z0-9+.-]*:\/\/(.*)$/i.exec(url)?.[1];
  if (rest === undefined) return undefined;
  try {
    // Parsed as http: the WHATWG parser normalizes IPv4 in any notation and lowercases the host.
    const host = new URL(`http://${rest}`).hostname;
    return host.replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}

const v4 = (s: string): number[] | undefined => {
  const p = s.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? p : undefined;
};

/** Why an IPv4 address is refused, or undefined. */
function refusedV4([a, b, c, d]: number[]): string | undefined {
  if (a === 169 && b === 254 && c === 169 && d === 254) return 'the cloud metadata address';
  if (a === 100 && b === 100 && c === 100 && d === 200) return 'a cloud metadata address (Alibaba)';
  if (a === 127) return 'a loopback address';
  if (a === 169 && b === 254) return 'a link-local address';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'a private address';
  if (a === 100 && b! >= 64 && b! <= 127) return 'a shared (CGNAT) address';
  if (a === 0) return 'an unspecified address';
  if (a! >= 224) return 'a multicast or reserved address';
  if (a === 192 && b === 0 && c === 0) return 'an IETF protocol address';
  return undefined;
}

/** Why an IPv6 address is refused, or undefined (IPv4-mapped and -compatible forms judged as IPv4). */
function refusedV6(ip: string): string | undefined {
  const s = ip.toLowerCase();
  const mapped = /^(?:0*:)*(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(s) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(s);
  if (mapped) {
    const quad = mapped[2] !== undefined ? [parseInt(mapped[1]!, 16) >> 8, parseInt(mapped[1]!, 16) & 255, parseInt(mapped[2], 16) >> 8, parseInt(mapped[2], 16) & 255] : v4(mapped[1]!);
    return quad ? refusedV4(quad) : 'an unusable address';
  }
  if (s === '::1') return 'a loopback address';
  if (s === '::') return 'an unspecified address';
  if (s === 'fd00:ec2::254') return 'the cloud metadata address (AWS IPv6)';
  if (/^fe[89ab]/.test(s)) return 'a link-local address';
  if (/^f[cd]/.test(s)) return 'a private (unique local) address';
  if (/^ff/.test(s)) return 'a multicast address';
  return undefined;
}

/** Why an address (or a host name that only ever means such an address) is refused, or undefined. */
export function refusedAddress(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'a loopback name';
  if (h === 'metadata' || h === 'metadata.google.internal' || h.endsWith('.internal')) return 'a cloud metadata or internal name';
  if (isIP(h) === 4) return refusedV4(v4(h)!);
  if (isIP(h) === 6) return refusedV6(h);
  return undefined;
}

/** The allow-list: host -> its line in apps/_hosts.yaml, with findings for a malformed file. */
export interface AllowedHosts {
  hosts: Map<string, number>;
  findings: Finding[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function loadAllowedHosts(paths: ProjectPaths): AllowedHosts {
  const hosts = new Map<string, number>();
  const loaded = loadYamlFile(join(paths.root, HOSTS_FILE), HOSTS_FILE);
  if (!loaded.ok) {
    // No list: no host is allowed (a finding per source says where to list it).
    const missing = loaded.findings.every((f) => /not found/.test(f.message));
    return { hosts, findings: missing ? [] : loaded.findings };
  }
  const findings: Finding[] = [];
  const src = loaded.value;
  const at = (pointer: string, message: string): void => {
    const p = positionOf(src, pointer);
    findings.push({ file: HOSTS_FILE, line: p.line, col: p.col, path: pointer, message });
  };
  const data = src.data as { hosts?: unknown };
  const keys = data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
  for (const k of keys.filter((x) => x !== 'hosts')) at(`/${k}`, `unknown key "${printable(k)}" (allowed: hosts)`);
  if (!Array.isArray(data?.hosts)) {
    at(data && typeof data === 'object' && 'hosts' in data ? '/hosts' : '', 'hosts must be a list of host names');
    return { hosts, findings };
  }
  data.hosts.forEach((h: unknown, i: number) => {
    const name = typeof h === 'string' ? h : '';
    const refused = name ? refusedAddress(name) : undefined;
    if (!HOST_NAME.test(name) || isIP(name)) at(`/hosts/${i}`, `"${printable(String(h))}" is not a host name (lowercase DNS name, no scheme, port, path or wildcard)`);
    else if (refused) at(`/hosts/${i}`, `"${name}" is ${refused}: never a source of charts or git trees`);
    else if (hosts.has(name)) at(`/hosts/${i}`, `"${name}" is listed twice (first at line ${hosts.get(name)})`);
    else hosts.set(name, positionOf(src, `/hosts/${i}`).line);
  });
  return { hosts, findings };
}

/** Why a source URL may not be used (its host refused or not listed), or undefined. */
export function sourceHostProblem(url: string, allowed: ReadonlyMap<string, number> | ReadonlySet<string>): string | undefined {
  const host = urlHost(url);
  if (!host) return `repoURL "${printable(url)}" names no host`;
  const refused = refusedAddress(host);
  if (refused) return `host ${host} is ${refused}: charts and git sources never come from loopback, link-local, private or metadata addresses`;
  if (!allowed.has(host)) return `host ${host} is not in ${HOSTS_FILE}, the hosts charts and git sources may come from; add it there (a change reviewers see in the diff's security section)`;
  return undefined;
}
