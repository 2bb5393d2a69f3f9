/**
 * Issue 12 item 13, corrected: a tensor-parallelism change is NOT refused by the KServe v0.20
 * webhook (GetSize counts only data/dataLocal or pipeline); a change of that size is.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { parallelismChanges, parallelismSize } from '../../../scripts/lib/verify/api-server/parallelism-changes.ts';

const svc = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'serving.kserve.io/v1alpha2',
  kind: 'LLMInferenceService',
  metadata: { name: 'm', namespace: 'catalyst-inference' },
  spec,
});
const at = (obj: K8sObject) => [{ obj, file: 'generated/x/models/llminferenceservices.yaml', line: 3 }];

describe('parallelism size (GetSize)', () => {
  it('data / dataLocal, else pipeline, else 1; tensor never counts', () => {
    expect(parallelismSize({ tensor: 8 })).toBe(1);
    expect(parallelismSize({ tensor: 8, data: 16, dataLocal: 8 })).toBe(2);
    expect(parallelismSize({ pipeline: 4 })).toBe(4);
    expect(parallelismSize(undefined)).toBe(1);
  });
});

describe('parallelismChanges', () => {
  it('a tensor change gives no finding', () => {
    expect(parallelismChanges([svc({ parallelism: { tensor: 1 } })], at(svc({ parallelism: { tensor: 4 } })))).toEqual([]);
  });

  it('a data change that changes the size is refused; one that keeps it (data and dataLocal doubled) is not', () => {
    const found = parallelismChanges([svc({ parallelism: { tensor: 4, data: 2, dataLocal: 1 } })], at(svc({ parallelism: { tensor: 4, data: 4, dataLocal: 1 } })));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: '/spec/parallelism', line: 3, kind: 'LLMInferenceService', name: 'm' });
    expect(found[0]!.message).toMatch(/^parallelism size changes from 2 to 4/);
    expect(parallelismChanges([svc({ parallelism: { data: 2, dataLocal: 1 } })], at(svc({ parallelism: { data: 4, dataLocal: 2 } })))).toEqual([]);
  });

  it('the prefill side is checked too, and new models are not', () => {
    const found = parallelismChanges([svc({ prefill: { parallelism: { tensor: 1 } } })], at(svc({ prefill: { parallelism: { pipeline: 2 } } })));
    expect(found.map((f) => f.path)).toEqual(['/spec/prefill/parallelism']);
    expect(parallelismChanges([], at(svc({ parallelism: { data: 4 } })))).toEqual([]);
  });
});
