/** Shared by the inference layer tests (test/derive/inference-*.test.ts): reading rendered output and diffing renders. */
import { parse } from 'yaml';
import type { EnvOutput } from '../../scripts/lib/render/environment.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { docs, type Obj } from './render.ts';

export function ok(out: EnvOutput): EnvOutput {
  if (out.findings.length) throw new Error(out.findings.map(formatFinding).join('\n'));
  return out;
}

export function services(out: EnvOutput): Map<string, Obj> {
  return new Map(docs(out, 'models/llminferenceservices.yaml').map((o) => [o.metadata.name as string, o]));
}

export function runConfig(out: EnvOutput): Obj {
  const cm = docs(out, 'llama-stack/config.yaml')[0]!;
  return parse(cm.data['config.yaml'] as string) as Obj;
}

export const mainContainer = (svc: Obj): Obj => svc.spec.template.containers.find((c: Obj) => c.name === 'main');

/** Lines that differ between two texts: a small LCS diff, enough for rendered YAML. */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}

/** Every file that differs between two renders, with its changed lines. */
export function treeDiff(before: EnvOutput, after: EnvOutput): Map<string, { removed: string[]; added: string[] }> {
  const out = new Map<string, { removed: string[]; added: string[] }>();
  for (const path of new Set([...before.files.keys(), ...after.files.keys()])) {
    const a = before.files.get(path) ?? '';
    const b = after.files.get(path) ?? '';
    if (a !== b) out.set(path, lineDiff(a, b));
  }
  return out;
}
