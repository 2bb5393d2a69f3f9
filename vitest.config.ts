import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 * - unit: the tool on the fixture environments, in process, no kustomize and no child process;
 *   its files share one module graph per worker (isolate: false), so the pipeline is imported and
 *   warmed up, and the fixture project loaded and rendered (test/helpers/render.ts), once per
 *   worker instead of once per file. A unit file must leave process state (env, cwd) as it found it.
 * - e2e: the real CLI (case folders, commands, child processes), the real kustomize and helm, the
 *   fuzzer, and the generic checks of the repo's own config (test/repo). Its globalSetup builds
 *   dist/ when stale, so the CLI child processes run the compiled code (bin/catalyst.mjs).
 * `npm run test:unit` / `npm run test:e2e` run one of them.
 */
const E2E = [
  'test/cases/**/*.test.ts',
  'test/commands/**/*.test.ts',
  'test/repo/repo.test.ts',
  'test/repo/chart-regression.test.ts',
  'test/repo/routine-changes.test.ts',
  'test/config/fuzz.test.ts',
  'test/config/fuzz-sources.test.ts',
  'test/tools/**/*.test.ts',
  'test/verify/hydration/kustomize-build.test.ts',
  'test/verify/policy/crd-waves.test.ts',
  'test/verify/schemas/upstream-crds.test.ts',
  'test/derive/observability*.test.ts',
  'test/verify/whole-platform/whole-platform.test.ts',
];

export default defineConfig({
  test: {
    // A time limit here only catches a hang; it must never fail a slow test. Under load (another
    // suite on the same cores, a shared CI runner) a file that takes 13 s alone took over 120 s,
    // so the limit is far above any real run (npm test is ~3 minutes whole) and no test sets a
    // smaller one (test/repo/test-timeouts.test.ts).
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
    // One worker per core. Vitest's default in run mode is one less than the cores, which on the
    // 2-core CI and dev machines ran every file in a single worker; the main process is nearly idle.
    maxWorkers: '100%',
    // No progress lines from the CLI under test (CI=true would turn them on); test/commands/progress.test.ts tests them.
    // No reused render/check results either (a summary would say so): test/commands/result-cache.test.ts tests them.
    // CI='' so that a test sees the same defaults on a laptop and in CI (`check` requires every
    // Application when CI is set); CATALYST_TEST_CI keeps the real value for the tests that must
    // fail in CI where they would skip on a laptop (test/repo/shared-inputs.test.ts).
    env: { CATALYST_PROGRESS: '0', CATALYST_REUSE_RESULTS: '0', CATALYST_TEST_CI: process.env.CI ?? '', CI: '' },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E, isolate: false } },
      { extends: true, test: { name: 'e2e', include: E2E, globalSetup: ['test/helpers/global-setup.ts'] } },
    ],
  },
});
