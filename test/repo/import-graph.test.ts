/**
 * The layout rule of docs/ARCHITECTURE.md: scripts/ has no import cycle (type-only imports
 * included), and stages import only from earlier stages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of each file (static, dynamic and type-only), as project-relative paths. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(join(root, 'scripts'))) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => relative(root, resolve(dirname(file), m[1]!)));
    graph.set(relative(root, file), [...new Set(targets)].sort());
  }
  return graph;
}

/** Every cycle's closed path, each reported once (from its smallest member). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const out = new Map<string, string[]>();
  const stack: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'open') {
      const c = stack.slice(stack.indexOf(n));
      const start = c.indexOf([...c].sort()[0]!);
      const turned = [...c.slice(start), ...c.slice(0, start)];
      out.set(turned.join(' -> '), [...turned, turned[0]!]);
      return;
    }
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) visit(d);
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) visit(n);
  return [...out.values()];
}

/** Pipeline order: a module may import from its own stage and the stages before it. */
const STAGES = ['findings.ts', 'paths.ts', 'credentials.ts', 'tools', 'config', 'plan', 'derive', 'render', 'verify', 'commands'];

function stageOf(path: string): number {
  const rest = path.replace(/^scripts\/lib\//, '');
  return STAGES.indexOf(rest.split('/')[0]!);
}

describe('import graph of scripts/', () => {
  const graph = importGraph(ROOT);

  it('finds the imports it is meant to check (sanity)', () => {
    expect(graph.get('scripts/lib/derive/index.ts')).toContain('scripts/lib/derive/platform.ts');
    expect(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toEqual([['a', 'b', 'a']]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('imports only from the same or an earlier stage', () => {
    const late: string[] = [];
    for (const [from, tos] of graph) {
      const s = stageOf(from);
      if (s < 0) continue;
      for (const to of tos) if (stageOf(to) > s) late.push(`${from} -> ${to}`);
    }
    expect(late).toEqual([]);
  });
});
