/**
 * Cross-check: the hydrated output of every fixture environment against the upstream CRD schemas
 * in ../shared/crds (CI has them). A difference between the project's schemas and upstream
 * that lets a wrong object through shows up here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { FIXTURE_ENV_NAMES } from '../../helpers/project.ts';
import { hydrateFixture } from '../../helpers/render.ts';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { hasCrdSchema } from '../../../scripts/lib/verify/schemas/crd.ts';
import { validateObjects } from '../../../scripts/lib/verify/schemas/index.ts';

const upstream = join(ROOT, '..', 'shared', 'crds');

describe.skipIf(!existsSync(upstream))('upstream CRD schemas (../shared/crds)', () => {
  it('accept every custom resource the fixture environments render', async () => {
    let checked = 0;
    for (const env of FIXTURE_ENV_NAMES) {
      const objects = await hydrateFixture(env);
      const custom = objects.filter((o) => o.obj.apiVersion.includes('.') && hasCrdSchema(o.obj, upstream));
      checked += custom.length;
      const findings = await validateObjects(custom, { crdSchemaDir: upstream, upstream: true });
      expect(findings.map(formatFinding), env).toEqual([]);
    }
    expect(checked).toBeGreaterThan(20);
  });
});
