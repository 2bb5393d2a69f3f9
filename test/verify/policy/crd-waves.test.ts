/** For every custom resource in the output, the component installing its CRD is in a strictly earlier wave. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectObjects } from '../../../scripts/lib/verify/hydration/collect.ts';
import { crdWaveFindings } from '../../../scripts/lib/verify/policy/crd-waves.ts';
import { loadProject, renderOne } from '../../../scripts/lib/render/environment.ts';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { FIXTURE_ENV_NAMES, tempProject, type TempProject } from '../../helpers/project.ts';
import { hydrateFixture, renderFixture } from '../../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('CRD waves', () => {
  it('hold for every custom resource of every fixture environment', async () => {
    for (const env of FIXTURE_ENV_NAMES) {
      const out = renderFixture(env);
      const objects = await hydrateFixture(env);
      const custom = objects.filter((o) => o.obj.apiVersion.includes('.') && o.obj.metadata.labels?.['catalyst.dev/component']);
      expect(custom.length, `custom resources in ${env}`).toBeGreaterThan(5);
      expect(crdWaveFindings(out.plan!, objects).map(formatFinding)).toEqual([]);
    }
  });

  it('catch a custom resource whose CRD comes in the same or a later wave', async () => {
    tp = tempProject();
    // postgres stops declaring that it uses the CNPG CRDs: it loses the edge and lands in wave 1 with cnpg-operator.
    tp.edit('apps/postgres/app.yaml', 'dependsOn: [cnpg-operator, secret-store]', 'dependsOn: []');
    tp.edit('apps/postgres/app.yaml', 'uses: [postgresql.cnpg.io, monitoring.coreos.com, external-secrets.io]', 'uses: []');
    const out = renderOne(loadProject(tp.paths), 'dev');
    const lines = crdWaveFindings(out.plan!, await collectObjects(tp.paths, out)).map(formatFinding);
    expect(lines).toContainEqual(expect.stringMatching(/Cluster\/catalyst-pg \[WAVE001\] \/apiVersion Cluster \(postgresql\.cnpg\.io\) is in component "postgres" at wave 1, not after cnpg-operator/));
  });
});
