/** Numbers README.md states are the tool's own: the component count is the catalog's (what `graph` draws from). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../scripts/lib/paths.ts';

describe('README.md', () => {
  it('states the number of components of the catalog', () => {
    // The catalog is apps/*.yaml, one component each (catalog.ts reads exactly these; `_` files
    // such as _hosts.yaml are the catalog's data, not components).
    const catalog = readdirSync(join(ROOT, 'apps')).filter((f) => f.endsWith('.yaml') && !f.startsWith('_'));
    const m = /^(\d+) components in the catalog/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(m, 'README: "N components in the catalog"').not.toBeNull();
    expect(Number(m![1])).toBe(catalog.length);
  });
});
