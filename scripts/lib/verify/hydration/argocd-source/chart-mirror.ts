/**
 * `--chart-mirror DIR`: an offline copy of every remote source. Layout:
 *   DIR/<chart>-<version>.tgz                                  charts, https and OCI alike, named as
 *                                                             `helm package` / `helm pull` name them
 *   DIR/git/<host>/<owner>/<repo>/<targetRevision>/           git sources as plain trees
 *                                                             (`.git` stripped from the repo name)
 * With a mirror nothing is fetched from anywhere else.
 */
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';

/** `DIR/<chart>-<version>.tgz`. */
export function mirrorChartPath(dir: string, chart: string, version: string): string {
  // One file name, never a path: a chart named `../x` must not read or write outside DIR.
  return path.join(dir, segment(`${chart}-${version}.tgz`, 'chart file name'));
}

/** Refuse path tricks in names that become path segments. */
function segment(s: string, what: string): string {
  if (!s || s === '.' || s === '..' || /[\\\0]/.test(s) || (what === 'chart file name' && s.includes('/'))) throw new Error(`unusable ${what} ${JSON.stringify(s)} in a mirror path`);
  return s;
}

/**
 * `DIR/git/<host>/<owner>/<repo>/<targetRevision>` for https://, ssh://, and scp-like
 * (`git@host:owner/repo.git`) URLs. A revision with `/` (e.g. `release/1.2`) becomes nested dirs.
 */
export function mirrorGitPath(dir: string, repoURL: string, revision: string): string {
  let hostPath: string;
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(repoURL);
  if (scp) hostPath = `${scp[1]}/${scp[2]}`;
  else {
    let u: URL;
    try {
      u = new URL(repoURL);
    } catch {
      throw new Error(`unusable repository URL ${JSON.stringify(repoURL)} in a mirror path`);
    }
    hostPath = `${u.hostname}${u.pathname}`;
  }
  const parts = hostPath.replace(/\/+$/, '').replace(/\.git$/, '').split('/').filter(Boolean);
  const revParts = revision.split('/').filter(Boolean);
  return path.join(dir, 'git', ...parts.map((p) => segment(p, 'repo path part')), ...revParts.map((p) => segment(p, 'revision part')));
}

/** Is `p` a symbolic link (never followed for a chart or a git tree: the mirror is input, read like the repository's files)? */
export async function isLink(p: string): Promise<boolean> {
  return (await lstat(p).catch(() => undefined))?.isSymbolicLink() ?? false;
}

export async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isFile() ?? false;
}

export async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
