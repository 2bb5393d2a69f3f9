/**
 * Docs name only files that exist: every project path written in README.md or docs/*.md
 * (scripts/…, schemas/…, base/…, overlays/…, apps/…, test/…, docs/…, data/…) must resolve.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

const ROOTS = ['scripts', 'schemas', 'base', 'overlays', 'apps', 'test', 'docs', 'data', 'environments', '.github', '.ci'];
const PATH = new RegExp(`(?<![\\w./:@-])((?:${ROOTS.map((r) => r.replace('.', '\\.')).join('|')})/[\\w./-]*[\\w/])`, 'g');

/** Project paths a markdown text names (placeholders such as <env> and globs are skipped). */
export function namedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(PATH)) {
    const p = m[1]!;
    const after = markdown[m.index! + m[0].length] ?? '';
    if (after === '<' || after === '*' || after === '{') continue;
    out.add(p.replace(/\/$/, ''));
  }
  return [...out].sort();
}

const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('doc references', () => {
  it('reads paths the way they are written (sanity)', () => {
    expect(namedPaths('see `scripts/lib/derive/index.ts`, overlays/<component>/ and apps/*.yaml')).toEqual(['scripts/lib/derive/index.ts']);
  });

  for (const doc of docs) {
    it(`${doc} names only files that exist`, () => {
      const missing = namedPaths(readFileSync(join(ROOT, doc), 'utf8')).filter((p) => !existsSync(join(ROOT, p)));
      expect(missing).toEqual([]);
    });
  }
});
