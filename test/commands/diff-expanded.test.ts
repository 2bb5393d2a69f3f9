/** diff with what the operators create: expanded objects compared and marked operator-created. */
import { describe, expect, it } from 'vitest';
import { compareEnv } from '../../scripts/lib/review/compare.ts';
import { addExpandedObjects } from '../../scripts/lib/review/expanded.ts';
import { objectKey, type EnvSnapshot } from '../../scripts/lib/verify/snapshot/index.ts';
import { diffMarkdown, diffText } from '../../scripts/lib/review/format.ts';
import type { K8sObject } from '../../scripts/lib/findings.ts';

const snap = (objects: K8sObject[]): EnvSnapshot => ({ env: 'e', findings: [], components: new Map([['postgres', 2]]), objects: new Map(objects.map((o) => [objectKey(o), { component: 'postgres', obj: o, file: 'generated/e/postgres/cluster.yaml', line: 1 }])) });
const cluster = (instances: number): K8sObject => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'data' }, spec: { instances } });
const model = (replicas: number): K8sObject => ({ apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceService', metadata: { name: 'chat', namespace: 'inf' }, spec: { replicas } });

describe('operator-created objects in diff', () => {
  it('one more CNPG instance: its Pod and PVC are added, marked with the operator that creates them', () => {
    const base = snap([cluster(1)]);
    const head = snap([cluster(2)]);
    expect(addExpandedObjects(base, head)).toEqual([]);
    const d = compareEnv('e', base, head);
    const added = d.objects.filter((o) => o.change === 'added');
    expect(added.map((o) => [o.label, o.component, o.operator])).toEqual([
      ['PersistentVolumeClaim data/pg-2', 'postgres', 'cloudnative-pg/cloudnative-pg@v1.30.0'],
      ['Pod data/pg-2', 'postgres', 'cloudnative-pg/cloudnative-pg@v1.30.0'],
    ]);
    expect(d.objects.find((o) => o.label === 'Cluster data/pg')!.operator).toBeUndefined();
    const report = { base: { ref: 'main', commit: 'c'.repeat(40) }, head: 'working tree', envs: [d] };
    expect(diffText(report)).toContain('+ Pod data/pg-2 (v1) [postgres] operator-created (cloudnative-pg/cloudnative-pg@v1.30.0)');
    expect(diffMarkdown(report)).toContain('operator-created (cloudnative-pg/cloudnative-pg@v1.30.0)');
  });

  it('a changed LLMInferenceService without its presets hydrated is a note, not a silent gap', () => {
    const notes = addExpandedObjects(snap([model(1)]), snap([model(2)]));
    expect(notes).toEqual(['LLMInferenceService inf/chat: operator-created objects not compared (its operator\'s chart is not hydrated in this diff)']);
    expect(addExpandedObjects(snap([model(1)]), snap([model(1)]))).toEqual([]);
  });
});
