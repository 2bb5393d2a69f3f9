/**
 * Operator-created objects in a diff: each side's objects (local and the chart objects the diff
 * hydrated) go through the expansion (verify/expansion: what KServe, the Llama Stack operator,
 * istiod, CloudNativePG, the mcp-gateway controller and the Kuadrant operators create from the
 * custom resources), and what it yields joins the comparison marked with its operator. Resources
 * whose operator reads its hydrated chart (the KServe presets, istiod's values) expand only when
 * that chart's objects are in the snapshot; a changed one that could not is a note.
 */
import { expandOperators, type SourceObject } from '../verify/expansion/index.ts';
import { objectKey, objectLabel, type EnvSnapshot, type SnapObject } from '../verify/snapshot/index.ts';

function expandSide(snap: EnvSnapshot): Set<string> {
  const owners = new Map<unknown, SnapObject>();
  const sources: SourceObject[] = [];
  for (const o of snap.objects.values()) {
    if (o.operator) continue;
    owners.set(o.obj, o);
    sources.push({ obj: o.obj, file: o.file ?? '', line: o.line ?? 0 });
  }
  const e = expandOperators(sources, snap.images);
  for (const x of e.objects) snap.objects.set(`operator:${objectKey(x.obj)}`, { component: owners.get(x.from.obj)?.component ?? '', obj: x.obj, operator: x.operator });
  return new Set((e.skipped ?? []).map((s) => objectKey(s.obj)));
}

/** Add the operator-created objects of both sides; returns notes on changed resources left unexpanded. */
export function addExpandedObjects(base: EnvSnapshot | undefined, head: EnvSnapshot | undefined): string[] {
  const skipped = new Set([...(base ? expandSide(base) : []), ...(head ? expandSide(head) : [])]);
  const notes: string[] = [];
  for (const key of [...skipped].sort()) {
    const b = base?.objects.get(key);
    const h = head?.objects.get(key);
    if (JSON.stringify(b?.obj) === JSON.stringify(h?.obj)) continue;
    notes.push(`${objectLabel((h ?? b)!.obj)}: operator-created objects not compared (its operator's chart is not hydrated in this diff)`);
  }
  return notes;
}
