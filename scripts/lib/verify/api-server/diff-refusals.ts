/**
 * `diff --base`: the changes between the two snapshots of an env that the API server would refuse
 * (update-rules.ts over every object present on both sides, chart objects included). They are
 * findings of the head: diff prints them after the object diffs and exits 1.
 */
import type { Finding, SourcedObject } from '../../findings.ts';
import { objectKey, type EnvSnapshot } from '../snapshot/index.ts';
import { updateFindings } from './updates.ts';

export function refusedChanges(base: EnvSnapshot | undefined, head: EnvSnapshot | undefined): Finding[] {
  if (!base || !head) return [];
  const heads: SourcedObject[] = [...head.objects.values()].map((o) => ({ obj: o.obj, file: o.file ?? `generated/${head.env}/${o.component}`, line: o.line ?? 0 }));
  return updateFindings(heads, (o) => base.objects.get(objectKey(o))?.obj ?? base.objects.get(`chart:${objectKey(o)}`)?.obj);
}
