/** Drift: the committed generated/<env>/ against what the config produces, file by file (no kustomize). */
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { driftFindings, firstDifferentLine } from '../../../scripts/lib/verify/hydration/drift.ts';
import { renderFixture } from '../../helpers/render.ts';

describe('drift', () => {
  it('is empty when generated/ is what the config produces', () => {
    const out = renderFixture('dev');
    expect(driftFindings('dev', out.files, new Map(out.files))).toEqual([]);
  });

  it('lists a hand-edited, a missing and an extra generated file', () => {
    const out = renderFixture('dev');
    const onDisk = new Map(out.files);
    const [edited, text] = [...out.files].find(([, t]) => t.split('\n').length > 8)!;
    const lines = text.split('\n');
    const original = lines[6]!;
    lines[6] = `${original} # hand-edited`;
    onDisk.set(edited, lines.join('\n'));
    onDisk.set('apps/extra.yaml', 'a: 1\n');
    onDisk.delete('root.yaml');
    const printed = driftFindings('dev', out.files, onDisk).map(formatFinding);
    // A stale file: its first differing line, then an excerpt of the diff from the committed file to what render writes.
    const stale = printed.find((p) => p.startsWith(`generated/dev/${edited}:`))!.split('\n');
    expect(stale.slice(1, 3)).toEqual([`    --- committed generated/dev/${edited}`, '    +++ rendered from the config']);
    expect(stale).toContain(`    -${lines[6]}`);
    expect(stale).toContain(`    +${original}`);
    expect(stale.filter((l) => /^ {4}[-+](?![-+]{2} )/.test(l))).toEqual([`    -${lines[6]}`, `    +${original}`]);
    expect(printed.map((p) => p.split('\n')[0]).sort()).toEqual(
      [
        `generated/dev/${edited}:7:1 / stale: differs from what the config produces from line 7 (run npm run render)`,
        'generated/dev/apps/extra.yaml / extra: the config no longer produces this file (run npm run render)',
        'generated/dev/root.yaml / missing: the config produces this file but it is not committed (run npm run render)',
      ].sort(),
    );
  });

  it('names the first differing line, also when one text is longer', () => {
    expect(firstDifferentLine('a\nb\nc', 'a\nb\nc')).toBe(1);
    expect(firstDifferentLine('a\nb\nc', 'a\nx\nc')).toBe(2);
    expect(firstDifferentLine('a\nb', 'a\nb\nc')).toBe(3);
  });
});
