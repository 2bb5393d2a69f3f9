/**
 * Every URL in the config, wherever it is: the host must be one a client can resolve (a DNS name,
 * an IPv4 address of four octets up to 255, or a bracketed IPv6 address), the port 1..65535, and
 * an http(s) URL carries no user part (a token as the user name is a credential too). Parsed by
 * hand: a malformed URL is a finding at its line, never an exception.
 */
import { isIPv6 } from 'node:net';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { walk } from './walk.ts';
import { printable } from '../yaml-source.ts';

const URL_START = /\b([A-Za-z][A-Za-z0-9+.-]*):\/\/([^\s/?#"'<>]*)/g;
const DNS_LABEL = /^[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?$/;

/** What is wrong with the authority (`user@host:port`) of a URL, or undefined. */
export function authorityProblem(scheme: string, authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  if (user !== undefined && /^https?$/i.test(scheme) && !user.includes(':')) {
    return `the URL has a user part ("${printable(user, 20)}@"): a token or user name in a URL is a credential; keep it in the secret store`;
  }
  let host = hostPort;
  let port: string | undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0) return `the host ${printable(hostPort, 60)} has no closing "]"`;
    host = hostPort.slice(1, end);
    const rest = hostPort.slice(end + 1);
    if (rest && !rest.startsWith(':')) return `unexpected text after the IPv6 address: ${printable(rest, 30)}`;
    port = rest ? rest.slice(1) : undefined;
    if (!isIPv6(host)) return `[${printable(host, 60)}] is not a valid IPv6 address`;
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      port = hostPort.slice(colon + 1);
    }
    const problem = hostProblem(host);
    if (problem) return problem;
  }
  if (port !== undefined && port !== '') {
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `the port ${printable(port, 20)} is not a number from 1 to 65535`;
  }
  return undefined;
}

/** A DNS name, or (when its last label is numeric) an IPv4 address. */
function hostProblem(host: string): string | undefined {
  if (host === '') return 'the URL has no host';
  if (host.includes('$') || host.includes('{')) return undefined; // a placeholder filled in later
  const labels = host.replace(/\.$/, '').split('.');
  const last = labels[labels.length - 1] ?? '';
  if (/^(0x[0-9a-f]*|[0-9]+)$/i.test(last)) {
    const ok = labels.length === 4 && labels.every((l) => /^(0|[1-9][0-9]{0,2})$/.test(l) && Number(l) <= 255);
    return ok ? undefined : `the host ${printable(host, 60)} is not a valid IPv4 address (four numbers from 0 to 255) nor a DNS name`;
  }
  if (host.length > 253) return `the host name is longer than 253 characters`;
  const bad = labels.find((l) => !DNS_LABEL.test(l) || l.length > 63);
  return bad === undefined ? undefined : `the host ${printable(host, 60)} is not a valid DNS name (label "${printable(bad, 30)}")`;
}

export const urlsValid: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (typeof v.value !== 'string' || !v.value.includes('://')) continue;
    for (const m of v.value.matchAll(URL_START)) {
      const problem = authorityProblem(m[1]!, m[2]!);
      if (problem) {
        out.push(finding(env, v.pointer, `${problem}`));
        break;
      }
    }
  }
  return out;
};

export const URL_RULES: EnvRule[] = [urlsValid];
