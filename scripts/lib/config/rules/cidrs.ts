/**
 * CIDRs of the config (cluster.apiServerCidrs and any other `*Cidrs`/`*cidr` setting) are valid
 * IPv4 or IPv6 networks with a prefix length in range, written canonically (config/kube/cidr.ts),
 * as NetworkPolicy ipBlock.cidr needs them.
 */
import { parseCidr } from '../kube/cidr.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';

const CIDR_KEY = /cidrs?$/i;

export const cidrsValid: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    const inList = /^\d+$/.test(v.key) && CIDR_KEY.test(v.path[v.path.length - 1] ?? '');
    if (!(inList || CIDR_KEY.test(v.key)) || typeof v.value !== 'string' || !isActive(env, v.pointer)) continue;
    const r = parseCidr(v.value);
    if (!r.ok) out.push(finding(env, v.pointer, r.reason));
  }
  return out;
};

export const CIDR_RULES: EnvRule[] = [cidrsValid];
