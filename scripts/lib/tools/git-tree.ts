/**
 * The project as it was at a git ref, extracted to a temp dir (`git archive <ref>:<prefix> | tar -x`),
 * so the base side of a diff is loaded exactly like the working tree. Nothing in the working tree
 * or the git index is touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../findings.ts';

export interface RefTree {
  /** The extracted project root. */
  root: string;
  /** The full commit id the ref names. */
  commit: string;
  cleanup(): void;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new UsageError(`diff: git is not available (${r.error.message})`);
  if (r.status !== 0) throw new UsageError(`diff: git ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`);
  return r.stdout.trim();
}

/** The commit a ref names, or a usage error saying the ref is unknown. */
export function resolveCommit(projectRoot: string, ref: string): string {
  if (!ref || ref.startsWith('-')) throw new UsageError(`diff: --base "${ref}" is not a git ref`);
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: projectRoot, encoding: 'utf8' });
  if (r.error) throw new UsageError(`diff: git is not available (${r.error.message})`);
  if (r.status !== 0) throw new UsageError(`diff: --base "${ref}" is not a commit in this repository (fetch it first, e.g. git fetch origin ${ref})`);
  return r.stdout.trim();
}

export async function extractRef(projectRoot: string, ref: string): Promise<RefTree> {
  const commit = resolveCommit(projectRoot, ref);
  const prefix = git(projectRoot, ['rev-parse', '--show-prefix']);
  // From a subfolder git archive limits itself to the cwd, which a `<commit>:<prefix>` tree does
  // not contain ("current working directory is untracked"): archive from the top of the repository.
  const top = git(projectRoot, ['rev-parse', '--show-toplevel']);
  const root = mkdtempSync(join(tmpdir(), 'catalyst-base-'));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const archive = spawn('git', ['archive', '--format=tar', prefix ? `${commit}:${prefix.replace(/\/$/, '')}` : commit], { cwd: top, stdio: ['ignore', 'pipe', 'pipe'] });
      const tar = spawn('tar', ['-x', '-f', '-', '-C', root], { stdio: ['pipe', 'ignore', 'pipe'] });
      let errors = '';
      archive.stderr.on('data', (d: Buffer) => (errors += d.toString()));
      tar.stderr.on('data', (d: Buffer) => (errors += d.toString()));
      archive.stdout.pipe(tar.stdin);
      archive.on('error', reject);
      tar.on('error', reject);
      let pending = 2;
      const done = (code: number | null): void => {
        if (code !== 0) reject(new UsageError(`diff: could not extract ${ref} (${errors.trim() || `exit ${code}`})`));
        else if (--pending === 0) resolve();
      };
      archive.on('close', done);
      tar.on('close', done);
    });
  } catch (err) {
    cleanup();
    throw err;
  }
  return { root, commit, cleanup };
}
