/** Numbers README.md states are the tool's own: the component count is the catalog's (what `graph` draws from). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../scripts/lib/paths.ts';

describe('README.md', () => {
  it('states the number of components of the catalog', () => {
    // The catalog is apps/<name>/app.yaml, one folder per component (catalog.ts reads exactly
    // these; `_` entries such as _hosts.yaml are the catalog's data, not components).
    const catalog = readdirSync(join(ROOT, 'apps')).filter((f) => !f.startsWith('_') && existsSync(join(ROOT, 'apps', f, 'app.yaml')));
    const m = /^(\d+) components in the catalog/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(m, 'README: "N components in the catalog"').not.toBeNull();
    expect(Number(m![1])).toBe(catalog.length);
  });
});
