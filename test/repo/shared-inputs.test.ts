/**
 * The upstream inputs the suite checks against: the chart mirror (package.json
 * catalyst.chartMirror, or CATALYST_CHART_MIRROR) and the upstream CRD schemas (../shared/crds).
 * On a laptop without them the tests that need them skip or fall back to the chart cache; in CI
 * (CATALYST_TEST_CI, the real CI variable, see vitest.config.ts) a missing input fails here, so a
 * CI run can never pass on what it could not see.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartMirror, projectMirror } from '../../scripts/lib/commands/platform-options.ts';
import { inCi } from '../../scripts/cli.ts';
import { ROOT, projectPaths } from '../../scripts/lib/paths.ts';

const ci = inCi({ CI: process.env.CATALYST_TEST_CI });

describe('upstream inputs of the suite', () => {
  it('the project declares its default chart mirror', () => {
    expect(projectMirror(ROOT)).toBe(resolve(ROOT, '../shared/charts'));
  });

  it.runIf(ci)('CI has a chart mirror with archives in it', () => {
    const m = chartMirror({ paths: { ...projectPaths('/nonexistent'), root: ROOT }, fetch: false });
    expect(m, 'no chart mirror: set CATALYST_CHART_MIRROR or lay ../shared/charts beside the project').toBeDefined();
    expect(readdirSync(m!.dir).filter((f) => f.endsWith('.tgz')).length).toBeGreaterThan(0);
  });

  it.runIf(ci)('CI has the upstream CRD schemas (../shared/crds)', () => {
    expect(existsSync(resolve(ROOT, '../shared/crds')), 'no ../shared/crds beside the project').toBe(true);
  });
});
