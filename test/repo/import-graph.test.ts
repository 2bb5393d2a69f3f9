/**
 * The layout rule of docs/ARCHITECTURE.md: scripts/ has no import cycle (type-only imports
 * included), stages import only from earlier stages, and each concern of verify/ is one folder
 * that the rest of scripts/ reaches through its entry file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/**
 * Pipeline order: a module may import from its own stage and the stages before it. Every file and
 * folder of scripts/lib/ belongs to exactly one stage (a new one fails the last test until it is
 * placed here and in docs/ARCHITECTURE.md).
 */
const STAGES: readonly (readonly string[])[] = [
  // below the stages: pure helpers with no project import
  ['findings.ts', 'paths.ts', 'credentials.ts', 'log-safe.ts', 'json-exact.ts', 'own.ts', 'suggest.ts'],
  ['fs'],
  // caches by content: the folder, the entry header, the text cache and the result store
  ['cache-dir.ts', 'cache-entry.ts', 'text-cache.ts', 'result-store.ts'],
  ['tools'],
  ['config'],
  ['plan'],
  ['derive'],
  ['render'],
  ['verify'],
  ['review'],
  ['commands'],
];

function stageOf(path: string): number {
  const top = path.replace(/^scripts\/lib\//, '').split('/')[0]!;
  return STAGES.findIndex((s) => s.includes(top));
}

/** The concern folder of a file under scripts/lib/verify/ (undefined elsewhere). */
function concernOf(path: string): string | undefined {
  return /^scripts\/lib\/verify\/([^/]+)\//.exec(path)?.[1];
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

  it('places every file and folder of scripts/lib/ in a stage', () => {
    const unplaced = readdirSync(join(ROOT, 'scripts/lib')).filter((e) => stageOf(`scripts/lib/${e}`) < 0);
    expect(unplaced).toEqual([]);
    expect(stageOf('scripts/lib/cache-dir.ts')).toBeLessThan(stageOf('scripts/lib/render/env-cache.ts'));
  });

  it('reaches a concern of verify/ from outside verify/ only through its entry (index.ts)', () => {
    const inside: string[] = [];
    for (const [from, tos] of graph) {
      if (from.startsWith('scripts/lib/verify/')) continue;
      for (const to of tos) {
        const c = concernOf(to);
        if (c && to !== `scripts/lib/verify/${c}/index.ts`) inside.push(`${from} -> ${to}`);
      }
    }
    expect(inside).toEqual([]);
  });

  it('gives every concern of verify/ a folder with an entry (index.ts), and no loose file', () => {
    const entries = readdirSync(join(ROOT, 'scripts/lib/verify')).filter((e) => !existsSync(join(ROOT, 'scripts/lib/verify', e, 'index.ts')));
    expect(entries).toEqual([]);
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
