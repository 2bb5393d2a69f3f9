import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // No progress lines from the CLI under test (CI=true would turn them on); test/commands/progress.test.ts tests them.
    env: { CATALYST_PROGRESS: '0' },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
