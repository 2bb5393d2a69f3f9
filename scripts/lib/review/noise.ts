/**
 * What a reviewer should not have to read: annotations that only carry a checksum of other
 * content (`checksum/config`, `…/config-hash`) change whenever that content does, and the
 * content's own diff already shows the change.
 */
import type { K8sObject } from '../findings.ts';

const NOISY_ANNOTATION = /(^|\/)checksum(\/|-|$)|config-?hash$/i;

/** A copy without checksum annotations anywhere in the object (pod templates included). */
export function withoutNoise(obj: K8sObject): K8sObject {
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (key === 'annotations' && NOISY_ANNOTATION.test(k)) continue;
      out[k] = walk(x, k);
    }
    return out;
  };
  return walk(obj, '') as K8sObject;
}
