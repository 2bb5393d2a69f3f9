/**
 * Docs and code comments name only files that exist:
 * - every project path written in README.md or docs/*.md (scripts/…, schemas/…, base/…,
 *   overlays/…, apps/…, test/…, docs/…, data/…) must resolve;
 * - so must every one a code comment of scripts/, test/ or bin/ names, and every TypeScript
 *   module it names (`verify/hydration/collect.ts` from any folder above the file, or a bare
 *   `collect.ts` that some module of the project is called). Upstream files are cited as
 *   `owner/repo@tag:path`, which this reads as a citation, not a project path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

const ROOTS = ['scripts', 'schemas', 'base', 'overlays', 'apps', 'test', 'docs', 'data', 'environments', '.github', '.ci'];
const PATH = new RegExp(`(?<![\\w./:@-])((?:${ROOTS.map((r) => r.replace('.', '\\.')).join('|')})/[\\w./-]*[\\w/])`, 'g');

/** Project paths a markdown text names (placeholders such as <env> and globs are skipped). */
export function namedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(PATH)) {
    const p = m[1]!;
    // a placeholder or glob (`overlays/<component>/`, `test/derive/inference-*.test.ts`) names no one file
    const rest = /^[^\s`'")\]]*/.exec(markdown.slice(m.index! + m[0].length))![0];
    if (/[<*{]/.test(rest)) continue;
    out.add(p.replace(/\/$/, ''));
  }
  return [...out].sort();
}

/** The comments of a TypeScript or JavaScript source (block comments and `//` comments, not `://` in URLs). */
export function codeComments(source: string): string {
  return [...source.matchAll(/\/\*[\s\S]*?\*\/|(?<![:'"`\\])\/\/[^\n]*/g)].map((m) => m[0]).join('\n');
}

/** The TypeScript modules a comment names: `dir/name.ts` or `name.ts`, not part of a URL or citation. */
export function namedModules(comment: string): string[] {
  return [...new Set([...comment.matchAll(/(?<![\w./:@-])((?:[\w-]+\/)*[\w-]+\.ts)\b/g)].map((m) => m[1]!))].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    if (e === 'node_modules' || e === 'fixtures' || e === 'cases' || e === 'schema-types') return [];
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mjs)$/.test(p) ? [p] : [];
  });
}

/** Where a module named in a comment of `file` may be: under the project root or any folder above the file. */
function moduleExists(file: string, module: string, basenames: Set<string>): boolean {
  if (!module.includes('/')) return basenames.has(module);
  for (let dir = dirname(file); dir.startsWith(ROOT); dir = dirname(dir)) if (existsSync(join(dir, module))) return true;
  return existsSync(join(ROOT, 'scripts/lib', module));
}

const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('doc references', () => {
  it('reads paths the way they are written (sanity)', () => {
    expect(namedPaths('see `scripts/lib/derive/index.ts`, overlays/<component>/, test/derive/inference-*.test.ts and apps/*.yaml')).toEqual(['scripts/lib/derive/index.ts']);
  });

  for (const doc of docs) {
    it(`${doc} names only files that exist`, () => {
      const missing = namedPaths(readFileSync(join(ROOT, doc), 'utf8')).filter((p) => !existsSync(join(ROOT, p)));
      expect(missing).toEqual([]);
    });
  }

  it('reads code comments and the modules they name (sanity)', () => {
    const src = "const u = 'https://x.io/a.ts'; // see verify/collect.ts\n/* and owner/repo@v1:src/b.ts, c.ts */";
    expect(namedModules(codeComments(src))).toEqual(['c.ts', 'verify/collect.ts']);
    expect(moduleExists(join(ROOT, 'test/repo/x.ts'), 'derive/index.ts', new Set())).toBe(true);
    expect(moduleExists(join(ROOT, 'test/repo/x.ts'), 'derive/no-such-module.ts', new Set())).toBe(false);
  });

  // This file's own comments hold examples, not references.
  const code = ['scripts', 'test', 'bin'].flatMap((d) => sourceFiles(join(ROOT, d))).filter((f) => f !== join(ROOT, 'test/repo/doc-references.test.ts'));
  const basenames = new Set(code.map((f) => basename(f)));
  it('code comments in scripts/, test/ and bin/ name only files and modules that exist', () => {
    const stale: string[] = [];
    for (const file of code) {
      const comments = codeComments(readFileSync(file, 'utf8'));
      const at = relative(ROOT, file);
      for (const p of namedPaths(comments)) if (/^(scripts|test|bin)\//.test(p) && !existsSync(join(ROOT, p))) stale.push(`${at}: ${p}`);
      for (const m of namedModules(comments)) if (!moduleExists(file, m, basenames)) stale.push(`${at}: ${m}`);
    }
    expect(stale).toEqual([]);
  });
});
