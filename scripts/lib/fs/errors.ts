/**
 * Filesystem failures as the user reads them: the operation, the project-relative path and what
 * went wrong (`cannot write generated/dev/root.yaml: no space left on device (ENOSPC)`), and the
 * exit code: 1 when the user's tree is at fault (environments/, apps/, generated/ ...), 2 when the
 * tool's own files or caches are.
 */
import { relative, sep } from 'node:path';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
};

export class FsError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly code: string,
    /** 1: the user's tree; 2: the tool's own files. */
    readonly exitCode: 1 | 2,
    reason?: string,
  ) {
    super(`cannot ${op} ${path}: ${reason ?? REASONS[code] ?? 'error'} (${code})`);
    this.name = 'FsError';
  }
}

/** Folders of the project that are the user's (a failure there is exit 1). */
const USER_DIRS = ['environments', 'apps', 'generated', 'base', 'overlays', 'schemas', '.generated.'];

/** A Node system error (`err.code`, `err.path`, `err.syscall`) as an FsError; undefined for other errors. */
export function asFsError(err: unknown, root: string, op?: string): FsError | undefined {
  if (err instanceof FsError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code)) return undefined;
  const abs = typeof e.path === 'string' ? e.path : undefined;
  const shown = abs ? relative(root, abs).split(sep).join('/') : '(unknown path)';
  const inProject = abs !== undefined && !shown.startsWith('..') && !shown.startsWith('/');
  const user = inProject && USER_DIRS.some((d) => shown === d || shown.startsWith(d.endsWith('.') ? d : `${d}/`));
  return new FsError(op ?? SYSCALL_OPS[e.syscall ?? ''] ?? e.syscall ?? 'access', inProject ? shown : (abs ?? shown), e.code, user ? 1 : 2);
}

const SYSCALL_OPS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'rename',
  rmdir: 'remove',
  unlink: 'remove',
  scandir: 'list the folder',
  lstat: 'look at',
  stat: 'look at',
  link: 'link',
  copyfile: 'copy',
};
