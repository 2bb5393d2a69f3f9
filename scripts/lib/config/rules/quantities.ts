/**
 * Quantities the API server accepts and that mean what they say: every resources value
 * (requests, limits) and volume size (size, shmSize) of the merged config parses as a
 * Kubernetes quantity (config/kube/quantity.ts), is not negative and fits a Quantity; memory,
 * storage and sizes are whole bytes (`500m` of memory is half a byte: `500Mi` was meant); CPU
 * has at most milli precision (finer values are rounded up); sizes are more than zero.
 */
import { isWhole, isWholeMilli, MAX_QUANTITY, compareQuantities, parseQuantity } from '../kube/quantity.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';

const SIZE_KEYS = new Set(['size', 'shmSize', 'sizeLimit']);

/** What kind of quantity the value at this key is, or undefined when it is not one. */
function kindOf(key: string, parent: string | undefined): 'cpu' | 'bytes' | 'count' | 'size' | undefined {
  if (parent === 'requests' || parent === 'limits') {
    if (key === 'cpu') return 'cpu';
    if (key === 'memory' || key === 'ephemeral-storage' || key === 'storage' || key.startsWith('hugepages-')) return 'bytes';
    return 'count';
  }
  return SIZE_KEYS.has(key) ? 'size' : undefined;
}

export const quantitiesValid: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    const kind = kindOf(v.key, v.path[v.path.length - 1]);
    if (!kind || (typeof v.value !== 'string' && typeof v.value !== 'number') || !isActive(env, v.pointer)) continue;
    const text = String(v.value);
    const name = kind === 'size' ? v.key : `${v.path[v.path.length - 1]}.${v.key}`;
    const p = parseQuantity(text);
    if (!p.ok) {
      out.push(finding(env, v.pointer, `${name}: ${p.reason}`));
      continue;
    }
    const q = p.value;
    const problem =
      q.num < 0n
        ? 'must not be negative'
        : compareQuantities(q, MAX_QUANTITY) > 0
          ? 'is larger than a Kubernetes quantity holds (2^63 - 1)'
          : kind === 'size' && q.num === 0n
            ? 'must be more than 0'
            : (kind === 'bytes' || kind === 'size') && !isWhole(q)
              ? `is a fraction of a byte${/m$/.test(text) ? ` ("m" means milli: ${text.replace(/m$/, 'Mi')} was probably meant)` : ''}`
              : kind === 'count' && !isWhole(q)
                ? 'must be a whole number of devices'
                : kind === 'cpu' && !isWholeMilli(q)
                  ? 'is finer than 1m (a thousandth of a CPU): the API server rounds it up'
                  : undefined;
    if (problem) out.push(finding(env, v.pointer, `${name} ${text} ${problem}`));
  }
  return out;
};

export const QUANTITY_RULES: EnvRule[] = [quantitiesValid];
