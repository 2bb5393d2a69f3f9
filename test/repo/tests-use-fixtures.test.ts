/**
 * The environments are the users' data: only the generic checks of test/repo/ may read the repo's
 * own environments/ or generated/. Every other test runs on the fixture environments
 * (test/fixtures/envs), so a routine config change never breaks `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

/** Ways a test could reach the repo's own config (instead of a fixture or temp project). */
const REPO_CONFIG = [
  /projectPaths\(\s*(ROOT)?\s*\)/, // the repo's paths (projectPaths() defaults to the repo)
  /envs:\s*'repo'/, // a temp project with the repo's environments
  /ROOT,\s*'(environments|generated)/, // join(ROOT, 'environments' ...)
  /check\(\s*ROOT\b/,
];
/** Files allowed to: the generic checks, and the helper that offers the option. */
const ALLOWED = new Set(['test/repo/repo.test.ts', 'test/repo/routine-changes.test.ts', 'test/repo/chart-regression.test.ts', 'test/helpers/project.ts', 'test/repo/tests-use-fixtures.test.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('tests use fixture environments', () => {
  it('no test outside test/repo reads the repo\'s environments/ or generated/', () => {
    const offenders = tsFiles(join(ROOT, 'test'))
      .map((f) => relative(ROOT, f).split('\\').join('/'))
      .filter((f) => !ALLOWED.has(f))
      .flatMap((f) => {
        const text = readFileSync(join(ROOT, f), 'utf8');
        return REPO_CONFIG.filter((re) => re.test(text)).map((re) => `${f}: ${re}`);
      });
    expect(offenders).toEqual([]);
  });
});
