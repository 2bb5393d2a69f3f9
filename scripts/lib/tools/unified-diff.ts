/**
 * A unified diff of two texts by lines (LCS on what remains after the common prefix and
 * suffix; a middle too large for that is shown as removed-then-added).
 */

type Op = { t: ' ' | '-' | '+'; line: string };

const MAX_CELLS = 4_000_000;

function lineOps(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ t: ' ', line }));
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    ops.push(...x.map((line) => ({ t: '-' as const, line })), ...y.map((line) => ({ t: '+' as const, line })));
  } else {
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        ops.push({ t: ' ', line: x[i++]! });
        j++;
      } else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        ops.push({ t: '-', line: x[i++]! });
      } else ops.push({ t: '+', line: y[j++]! });
    }
  }
  ops.push(...a.slice(a.length - suf).map((line) => ({ t: ' ' as const, line })));
  return ops;
}

/** `@@ -a,b +c,d @@` hunks with `context` lines around each change; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, opts: { context?: number; from?: string; to?: string } = {}): string {
  if (before === after) return '';
  const context = opts.context ?? 3;
  const split = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  const ops = lineOps(split(before), split(after));
  const out: string[] = [`--- ${opts.from ?? 'base'}`, `+++ ${opts.to ?? 'head'}`];
  const changed = ops.map((o, k) => (o.t !== ' ' ? k : -1)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]!;
    while (k < changed.length && changed[k]! <= end + 2 * context) end = changed[k++]!;
    const stop = Math.min(ops.length, end + context + 1);
    let aLine = 1;
    let bLine = 1;
    for (let m = 0; m < start; m++) {
      if (ops[m]!.t !== '+') aLine++;
      if (ops[m]!.t !== '-') bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aLen ? aLine : aLine - 1},${aLen} +${bLen ? bLine : bLine - 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}

/** The first `max` lines of a diff, with a note of how many more there are. */
export function firstLines(diff: string, max: number): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  if (lines.length <= max) return lines.join('\n');
  return `${lines.slice(0, max).join('\n')}\n… ${lines.length - max} more line(s)`;
}
