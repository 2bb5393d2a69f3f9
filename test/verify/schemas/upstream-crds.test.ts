/**
 * Cross-check: the hydrated output of every fixture environment against the upstream CRD schemas
 * in ../shared/crds (CI has them). A difference between the project's schemas and upstream
 * that lets a wrong object through shows up here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { FIXTURE_ENV_NAMES, toolPaths } from '../../helpers/project.ts';
import { loadProject } from '../../../scripts/lib/render/environment.ts';
import { declaredScopes } from '../../../scripts/lib/config/catalog.ts';
import { hydrateFixture } from '../../helpers/render.ts';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { hasCrdSchema } from '../../../scripts/lib/verify/schemas/crd.ts';
import { validateObjects } from '../../../scripts/lib/verify/schemas/index.ts';

const upstream = join(ROOT, '..', 'shared', 'crds');

describe.skipIf(!existsSync(upstream))('upstream CRD schemas (../shared/crds)', () => {
  it('accept every custom resource the fixture environments render', async () => {
    // Which custom kinds are cluster-scoped: as the catalog declares them (its clusterResources).
    const { catalog } = loadProject(toolPaths());
    const clusterScopedCustomKinds = [...declaredScopes(catalog.values())].filter(([, c]) => c).map(([k]) => k);
    let checked = 0;
    for (const env of FIXTURE_ENV_NAMES) {
      const objects = await hydrateFixture(env);
      const custom = objects.filter((o) => o.obj.apiVersion.includes('.') && hasCrdSchema(o.obj, upstream));
      checked += custom.length;
      const findings = await validateObjects(custom, { crdSchemaDir: upstream, upstream: true, clusterScopedCustomKinds });
      expect(findings.map(formatFinding), env).toEqual([]);
    }
    expect(checked).toBeGreaterThan(20);
  });
});
