/**
 * The source index locates hydrated objects in the rendered files from the objects render
 * already parsed (addRendered), parsing a file only when a finding asks for field lines.
 * It must agree with a full parse of the same text (add) on every object of a fixture env.
 */
import { describe, expect, it } from 'vitest';
import { SourceIndex } from '../../../scripts/lib/verify/hydration/sources.ts';
import { positionOf } from '../../../scripts/lib/config/yaml-source.ts';
import { renderFixture } from '../../helpers/render.ts';

describe('SourceIndex.addRendered', () => {
  const out = renderFixture('prod');
  const rendered = [...out.files].filter(([p]) => out.objects?.has(p));

  it('has the parsed objects of every rendered overlay file', () => {
    expect(rendered.length).toBeGreaterThan(20);
    for (const [p, text] of rendered) expect(out.objects!.get(p)!.length, p).toBe(text.split('\n---\n').length);
  });

  it('gives the same file, line and field positions as a full parse', () => {
    let compared = 0;
    for (const [p, text] of rendered) {
      const lazy = new SourceIndex();
      const full = new SourceIndex();
      lazy.addRendered(p, text, out.objects!.get(p)!);
      full.add(p, text);
      for (const obj of out.objects!.get(p)! as Record<string, unknown>[]) {
        const a = lazy.locate(obj, 'none');
        const b = full.locate(obj, 'none');
        expect({ file: a.file, line: a.line }, p).toEqual({ file: b.file, line: b.line });
        expect(positionOf(a.src!, '/metadata/name'), p).toEqual(positionOf(b.src!, '/metadata/name'));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('parses the text itself when it is not in the canonical shape', () => {
    const text = '# a comment first\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
    ];
    const idx = new SourceIndex();
    idx.addRendered('f.yaml', `---\n${text}`, objects);
    expect(idx.locate(objects[1]!, 'none').line).toBe(9);
  });
});
