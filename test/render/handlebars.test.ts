/** Template helpers: json, yaml, checksum. */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { compileTemplate } from '../../scripts/lib/render/handlebars.ts';

describe('template helpers', () => {
  it('json quotes a value so that it cannot break out of its field', () => {
    const evil = 'x\n---\nkind: Secret\nfoo: {{bar}}: baz';
    const text = compileTemplate('a: {{json v}}\nb: 1\n')({ v: evil });
    const docs = parseAllDocuments(text);
    expect(docs).toHaveLength(1);
    expect((docs[0]!.toJS() as { a: string }).a).toBe(evil);
  });

  it('yaml emits an indented block that parses back to the value', () => {
    const value = { list: [1, 'two', { three: 'line\nbreak' }], s: 'a: b' };
    const text = compileTemplate('outer:\n  inner:\n{{yaml v indent=4}}\n')({ v: value });
    expect(parse(text)).toEqual({ outer: { inner: value } });
  });

  it('checksum is stable across key order', () => {
    const t = compileTemplate('{{checksum v}}');
    expect(t({ v: { a: 1, b: 2 } })).toBe(t({ v: { b: 2, a: 1 } }));
    expect(t({ v: { a: 1 } })).not.toBe(t({ v: { a: 2 } }));
  });
});
