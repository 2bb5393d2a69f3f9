/**
 * A temp project whose environments are the fixture ones under test/fixtures/review, in a git
 * repository of its own (one commit), so diff can compare a change with its base.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.ts';
import { tempProject, type TempProject } from './project.ts';

export interface GitProject extends TempProject {
  /** Commit everything; returns the commit id. */
  commit(message: string): string;
}

export function gitProject(): GitProject {
  const t = tempProject();
  rmSync(join(t.root, 'environments'), { recursive: true, force: true });
  cpSync(join(ROOT, 'test/fixtures/review/environments'), join(t.root, 'environments'), { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: t.root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const commit = (message: string): string => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  commit('fixture project');
  return { ...t, commit };
}
