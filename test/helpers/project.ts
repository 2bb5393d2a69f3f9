/**
 * A throwaway project: the real apps/, base/, overlays/ and schemas/ with the fixture
 * environments of test/fixtures/envs/ (owned by the tests), or with the repo's own
 * environments/ for the generic checks of the real config (test/repo/). A test changes config
 * there and runs the real pipeline without touching the repo.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { ROOT, projectPaths, type ProjectPaths } from '../../scripts/lib/paths.ts';

/** The tool's inputs shared by every test project (the environments come from elsewhere). */
export const TOOL_DIRS = ['apps', 'base', 'overlays', 'schemas'];
/** The fixture environments every tool test runs on. */
export const FIXTURE_ENVS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'envs');
/** The fixture environments by name (their files, minus the `_` partials). */
export const FIXTURE_ENV_NAMES = ['dev', 'prod', 'staging'] as const;

export interface TempProject {
  root: string;
  paths: ProjectPaths;
  /** Read a project file. */
  read(rel: string): string;
  /** Write a project file (creating its folder). */
  write(rel: string, text: string): void;
  /** Replace text in a project file; fails when `from` is absent. */
  edit(rel: string, from: string | RegExp, to: string): void;
  /** Counts writes and edits outside environments/ (a loaded Project of an older count is stale). */
  readonly toolEdits: number;
  cleanup(): void;
}

export interface TempProjectOptions {
  /** Where environments/ comes from: the fixtures (default) or the repo's own (test/repo only). */
  envs?: 'fixtures' | 'repo';
  /** Start with a generated/ that matches the environments (rendered once per process for the fixtures). */
  withGenerated?: boolean;
}

export function tempProject(opts: TempProjectOptions = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-test-'));
  for (const d of TOOL_DIRS) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  const repoEnvs = opts.envs === 'repo';
  cpSync(repoEnvs ? join(ROOT, 'environments') : FIXTURE_ENVS, join(root, 'environments'), { recursive: true });
  if (opts.withGenerated) {
    if (repoEnvs) {
      if (existsSync(join(ROOT, 'generated'))) cpSync(join(ROOT, 'generated'), join(root, 'generated'), { recursive: true });
    } else cpSync(fixtureGenerated(), join(root, 'generated'), { recursive: true });
  }
  return wrap(root);
}

function wrap(root: string): TempProject {
  const paths = projectPaths(root);
  let toolEdits = 0;
  const touched = (rel: string): void => {
    if (!rel.startsWith('environments/')) toolEdits += 1;
  };
  return {
    root,
    paths,
    get toolEdits() {
      return toolEdits;
    },
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    write(rel, text) {
      touched(rel);
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    },
    edit(rel, from, to) {
      touched(rel);
      const before = readFileSync(join(root, rel), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`edit: ${String(from)} not found in ${rel}`);
      writeFileSync(join(root, rel), after);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

let generatedCache: { project: TempProject; dir: string } | undefined;

/** generated/ of the fixture environments, rendered by the real render command once per process. */
export function fixtureGenerated(): string {
  if (!generatedCache) {
    const project = tempProject();
    let err = '';
    const code = renderCommand({ paths: project.paths, envs: undefined, format: 'text', kubeconform: false, out: () => {}, err: (s) => (err += s) });
    if (code !== 0) throw new Error(`the fixture environments do not render:\n${err}`);
    generatedCache = { project, dir: project.paths.generated };
    onExit(() => project.cleanup());
  }
  return generatedCache.dir;
}

/** Remove a temp folder when the test process ends (for projects shared by a whole file). */
export function onExit(fn: () => void): void {
  process.once('exit', fn);
}

/**
 * The repo's own tool folders (apps/, base/, overlays/, schemas/): for tests that read the
 * catalog, its health checks or its schemas. Never read environments/ or generated/ through it:
 * tests work on fixture envs (tempProject).
 */
export function toolPaths(): ProjectPaths {
  return projectPaths(ROOT);
}
