/**
 * A throwaway copy of the project's inputs (environments, apps, base, overlays, schemas),
 * so a test can change config and run the real pipeline without touching the repo.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, projectPaths, type ProjectPaths } from '../../scripts/lib/paths.ts';

export const INPUT_DIRS = ['environments', 'apps', 'base', 'overlays', 'schemas'];

export interface TempProject {
  root: string;
  paths: ProjectPaths;
  /** Read a project file. */
  read(rel: string): string;
  /** Write a project file. */
  write(rel: string, text: string): void;
  /** Replace text in a project file; fails when `from` is absent. */
  edit(rel: string, from: string | RegExp, to: string): void;
  cleanup(): void;
}

export function tempProject(opts: { withGenerated?: boolean } = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'catalyst-test-'));
  for (const d of [...INPUT_DIRS, ...(opts.withGenerated ? ['generated'] : [])]) {
    if (existsSync(join(ROOT, d))) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  }
  const paths = projectPaths(root);
  return {
    root,
    paths,
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    write: (rel, text) => writeFileSync(join(root, rel), text),
    edit(rel, from, to) {
      const before = readFileSync(join(root, rel), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`edit: ${String(from)} not found in ${rel}`);
      writeFileSync(join(root, rel), after);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
