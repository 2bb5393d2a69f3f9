/**
 * Requests within limits, as the API server enforces for every container: a request above its
 * limit is refused, and extended resources (GPUs, vendor/name) and hugepages are not
 * overcommitted (request equals limit). Every `{requests, limits}` block of the merged config is
 * checked (what becomes a container's resources), compared numerically (config/kube/quantity.ts).
 */
import { isPlainObject } from '../merge.ts';
import { compareQuantities, parseQuantity } from '../kube/quantity.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';
import { own } from '../../own.ts';

/** Resources the API server allows no overcommit of: request and limit must be equal when both are set. */
export function noOvercommit(resource: string): boolean {
  return resource.startsWith('hugepages-') || (resource.includes('/') && !resource.startsWith('kubernetes.io/') && !resource.includes('.kubernetes.io/'));
}

export const requestsWithinLimits: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (!isPlainObject(v.value) || !isActive(env, v.pointer)) continue;
    const { requests, limits } = v.value;
    if (!isPlainObject(requests) || !isPlainObject(limits)) continue;
    for (const [resource, req] of Object.entries(requests)) {
      const lim = own(limits, resource);
      if (lim === undefined || lim === null || req === null) continue;
      const r = parseQuantity(String(req));
      const l = parseQuantity(String(lim));
      if (!r.ok || !l.ok) continue; // quantities.ts reports it
      const c = compareQuantities(r.value, l.value);
      const key = resource.replace(/~/g, '~0').replace(/\//g, '~1');
      const at = `${v.pointer}/requests/${key}`;
      // Located only for a finding: locating parses the files' YAML when it was read from the cache.
      const where = (): string => {
        const limAt = env.locate(`${v.pointer}/limits/${key}`, false);
        const reqAt = env.locate(at, false);
        return limAt.file === reqAt.file ? `line ${limAt.line}` : `${limAt.file}:${limAt.line}`;
      };
      if (noOvercommit(resource) && c !== 0) {
        out.push(finding(env, at, `requests.${resource} ${String(req)} differs from limits.${resource} ${String(lim)} (${where()}): ${resource} cannot be overcommitted, the API server requires the request to equal the limit`));
      } else if (c > 0) {
        out.push(finding(env, at, `requests.${resource} ${String(req)} is more than limits.${resource} ${String(lim)} (${where()}): the API server refuses a container whose request exceeds its limit`));
      }
    }
  }
  return out;
};

export const RESOURCE_LIMIT_RULES: EnvRule[] = [requestsWithinLimits];
