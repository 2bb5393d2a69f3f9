/**
 * The repository itself: the committed generated/ is exactly what the config produces
 * (a golden comparison of the whole tree), every environment hydrates with the real
 * kustomize, and every object is valid. This is `npm run check` inside `npm test`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEnvironments } from '../../scripts/lib/config/load.ts';
import { ROOT, projectPaths } from '../../scripts/lib/paths.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { readTree } from '../../scripts/lib/render/write.ts';
import { check } from '../helpers/check.ts';

describe('the repository', () => {
  it('bundles dev, staging and prod', () => {
    expect(listEnvironments(projectPaths())).toEqual(['dev', 'prod', 'staging']);
  });

  it('commits exactly the generated/ tree its config produces (golden, byte for byte)', () => {
    const project = loadProject(projectPaths());
    for (const env of listEnvironments(projectPaths())) {
      const out = renderOne(project, env);
      expect(out.findings.map(formatFinding)).toEqual([]);
      const committed = readTree(join(ROOT, 'generated', env));
      expect([...committed.keys()].sort(), `files of generated/${env}`).toEqual([...out.files.keys()].sort());
      for (const [path, text] of out.files) expect(committed.get(path), `generated/${env}/${path}`).toBe(text);
    }
  });

  it('passes check: every environment hydrates with kustomize and every object is valid', async () => {
    const r = await check(ROOT);
    expect(r.lines).toEqual([]);
    expect(r.objects).toBeGreaterThan(100);
  });
});
