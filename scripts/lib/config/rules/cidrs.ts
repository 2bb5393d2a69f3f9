/**
 * CIDRs of the config (cluster.apiServerCidrs and any other `*Cidrs`/`*cidr` setting) are valid
 * IPv4 or IPv6 networks with a prefix length in range, written canonically (config/kube/cidr.ts),
 * as NetworkPolicy ipBlock.cidr needs them. They are allow-lists, so no value may open the
 * platform to the internet: POS001 refuses one that covers public addresses
 * (config/kube/public-range.ts) unless a catalog entry names it in `publicCidrExceptions` with
 * the reason.
 */
import { parseCidr } from '../kube/cidr.ts';
import { publicPart } from '../kube/public-range.ts';
import type { Finding } from '../../findings.ts';
import type { ResolvedEnv } from '../environment.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';

const CIDR_KEY = /cidrs?$/i;
export const POS001 = 'POS001';

/** Every CIDR value of the config that is in use: its pointer, its key path and its text. */
function cidrValues(env: ResolvedEnv): { pointer: string; path: string[]; value: string }[] {
  const out: { pointer: string; path: string[]; value: string }[] = [];
  for (const v of walk(env.config)) {
    const inList = /^\d+$/.test(v.key) && CIDR_KEY.test(v.path[v.path.length - 1] ?? '');
    if (!(inList || CIDR_KEY.test(v.key)) || typeof v.value !== 'string' || !isActive(env, v.pointer)) continue;
    out.push({ pointer: v.pointer, path: v.path, value: v.value });
  }
  return out;
}

export const cidrsValid: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of cidrValues(env)) {
    const r = parseCidr(v.value);
    if (!r.ok) out.push(finding(env, v.pointer, r.reason));
  }
  return out;
};

/** The reviewed exceptions of the catalog, by CIDR: `<component>/<name>`. */
function exceptions(env: ResolvedEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const [component, c] of env.components) for (const e of c.app.publicCidrExceptions) out.set(e.cidr, `${component}/${e.name}`);
  return out;
}

/** Where apiServerCidrs lead: the namespaces of the enabled components that call the API server. */
function apiServerCallers(env: ResolvedEnv): string {
  const byNs = new Map<string, string[]>();
  for (const [name, c] of env.components) {
    if (!c.enabled || !c.app.callsApiServer) continue;
    byNs.set(c.app.namespace, [...(byNs.get(c.app.namespace) ?? []), name]);
  }
  const list = [...byNs].sort(([a], [b]) => a.localeCompare(b)).map(([ns, cs]) => `${ns} (${cs.sort().join(', ')})`);
  return list.length ? `: pods in ${list.join(', ')} would get egress to it on TCP ${(env.config.cluster.apiServerPorts ?? []).join(' and ')} (the allow-api-server NetworkPolicies)` : '';
}

/** POS001: an allow-list CIDR reaches no public address unless the catalog names it as a reviewed exception. */
export const cidrsNotPublic: EnvRule = (env) => {
  const out: Finding[] = [];
  const allowed = exceptions(env);
  for (const v of cidrValues(env)) {
    const r = parseCidr(v.value);
    if (!r.ok || allowed.has(r.value.canonical)) continue;
    const reach = publicPart(r.value.canonical);
    if (reach === undefined) continue;
    const where = v.path.includes('apiServerCidrs') ? apiServerCallers(env) : '';
    const message = `"${v.value}" covers public internet addresses (${reach})${where}; an allow-list CIDR may cover only private ranges (RFC 1918, RFC 4193 and other non-global blocks), unless a catalog entry lists it in publicCidrExceptions with the reason`;
    out.push({ ...finding(env, v.pointer, message), rule: POS001 });
  }
  return out;
};

export const CIDR_RULES: EnvRule[] = [cidrsValid, cidrsNotPublic];
