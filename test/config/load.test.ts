/** Loading YAML with positions: every failure names file, line and column. */
import { describe, expect, it } from 'vitest';
import { parseYamlText, positionOf } from '../../scripts/lib/config/yaml-source.ts';

function errors(text: string): string[] {
  const r = parseYamlText(text, 'environments/x.yaml');
  if (r.ok) return [];
  return r.findings.map((f) => `${f.line}:${f.col} ${f.message}`);
}

describe('parseYamlText', () => {
  it('names the line and column of a duplicate key', () => {
    expect(errors('a: 1\nb:\n  c: 1\n  c: 2\n')).toEqual([expect.stringMatching(/^4:3 invalid YAML: Map keys must be unique/)]);
  });

  it('names the line of malformed YAML', () => {
    const [e] = errors('a:\n  b: [1, 2\nc: 3\n');
    expect(e).toMatch(/^\d+:\d+ invalid YAML/);
  });

  it('refuses an empty file, a list and a scalar at the root', () => {
    expect(errors('')).toEqual(['1:1 file is empty: expected a mapping of settings']);
    expect(errors('# only a comment\n')).toEqual(['1:1 file is empty: expected a mapping of settings']);
    expect(errors('- a\n- b\n')).toEqual(['1:1 the root must be a mapping of settings, found a list']);
    expect(errors('hello\n')).toEqual(['1:1 the root must be a mapping of settings, found a scalar']);
  });

  it('refuses several documents in one file', () => {
    expect(errors('a: 1\n---\nb: 2\n')[0]).toMatch(/invalid YAML/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const [e] = errors(`${bomb.join('\n')}\n`);
    expect(e).toMatch(/alias/i);
  });

  it('finds the position of a key and of a value by JSON pointer', () => {
    const r = parseYamlText('top:\n  list:\n    - name: a\n    - name: b\n', 'f.yaml');
    if (!r.ok) throw new Error('parse failed');
    expect(positionOf(r.value, '/top/list/1/name')).toEqual({ line: 4, col: 13, found: true });
    expect(positionOf(r.value, '/top/list/1/name', true)).toEqual({ line: 4, col: 7, found: true });
    expect(positionOf(r.value, '/top/missing').found).toBe(false);
  });
});
