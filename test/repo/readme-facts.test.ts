/** Numbers README.md states are the tool's own: the component count is the catalog's (what `graph` draws from). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../scripts/lib/config/catalog.ts';
import { ConfigSchemas } from '../../scripts/lib/config/schema.ts';
import { projectPaths, ROOT } from '../../scripts/lib/paths.ts';

describe('README.md', () => {
  it('states the number of components of the catalog', () => {
    const paths = projectPaths(ROOT);
    const { catalog } = loadCatalog(paths, new ConfigSchemas(paths.schemas));
    const m = /^(\d+) components in the catalog/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(m, 'README: "N components in the catalog"').not.toBeNull();
    expect(Number(m![1])).toBe(catalog.size);
  });
});
