import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 * - unit: the tool on the fixture environments, in process, no kustomize and no child process;
 * - e2e: the real CLI (case folders, commands, child processes), the real kustomize, the fuzzer,
 *   and the generic checks of the repo's own config (test/repo).
 * `npm run test:unit` / `npm run test:e2e` run one of them.
 */
const E2E = [
  'test/cases/**/*.test.ts',
  'test/commands/**/*.test.ts',
  'test/repo/repo.test.ts',
  'test/repo/routine-changes.test.ts',
  'test/config/fuzz.test.ts',
  'test/tools/**/*.test.ts',
  'test/verify/hydrate.test.ts',
  'test/verify/policy/crd-waves.test.ts',
  'test/verify/schemas/upstream-crds.test.ts',
  'test/derive/observability*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // No progress lines from the CLI under test (CI=true would turn them on); test/commands/progress.test.ts tests them.
    // No reused render/check results either (a summary would say so): test/commands/result-cache.test.ts tests them.
    env: { CATALYST_PROGRESS: '0', CATALYST_REUSE_RESULTS: '0' },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
