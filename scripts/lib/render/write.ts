/**
 * Writing generated/<env>/: the new tree goes to a temp dir next to it and is swapped
 * in with renames, so a failed or killed render leaves the previous tree in place.
 * Files no longer produced disappear with the old tree; an env whose files all have the right
 * bytes is not touched at all.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TMP_PREFIX = '.tmp-';
const OLD_PREFIX = '.old-';

/** Put back a tree left half-swapped by a render that was killed between the two renames. */
export function recoverInterruptedSwap(generatedDir: string): void {
  if (!existsSync(generatedDir)) return;
  for (const e of readdirSync(generatedDir)) {
    if (e.startsWith(OLD_PREFIX)) {
      const env = e.slice(OLD_PREFIX.length);
      const target = join(generatedDir, env);
      if (!existsSync(target)) renameSync(join(generatedDir, e), target);
      else rmSync(join(generatedDir, e), { recursive: true, force: true });
    } else if (e.startsWith(TMP_PREFIX)) {
      rmSync(join(generatedDir, e), { recursive: true, force: true });
    }
  }
}

export interface WriteResult {
  /** Files written because they are new or their bytes differ. */
  changed: number;
  /** Files whose bytes were already right (their inode and mtime are kept). */
  unchanged: number;
  /** Files on disk that are no longer produced (removed). */
  removed: number;
}

/**
 * Replace generated/<env>/ with exactly these files. When every file already has the right
 * bytes and nothing is extra, nothing is touched. Otherwise the new tree is assembled in a
 * temp dir (unchanged files hard-linked from the old tree, so their mtimes stay) and swapped in.
 */
export function writeEnvTree(generatedDir: string, env: string, files: Map<string, string>): WriteResult {
  mkdirSync(generatedDir, { recursive: true });
  recoverInterruptedSwap(generatedDir);
  const target = join(generatedDir, env);
  const onDisk = readTree(target);
  const same = new Set([...files].filter(([p, text]) => onDisk.get(p) === text).map(([p]) => p));
  const removed = [...onDisk.keys()].filter((p) => !files.has(p)).length;
  const result = { changed: files.size - same.size, unchanged: same.size, removed };
  if (!result.changed && !removed && existsSync(target)) return result;
  const tmp = join(generatedDir, `${TMP_PREFIX}${env}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const [path, text] of files) {
    const abs = join(tmp, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (same.has(path)) keep(join(target, path), abs);
    else writeFileSync(abs, text);
  }
  mkdirSync(tmp, { recursive: true });
  const old = join(generatedDir, `${OLD_PREFIX}${env}`);
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
  return result;
}

/** Carry an unchanged file into the new tree: a hard link, or a copy with the same mtime. */
function keep(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
    const st = statSync(from);
    utimesSync(to, st.atime, st.mtime);
  }
}

/** Remove generated/<name>/ folders of environments that no longer exist. */
export function removeStaleEnvs(generatedDir: string, envs: string[]): string[] {
  if (!existsSync(generatedDir)) return [];
  const stale = readdirSync(generatedDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !envs.includes(e.name))
    .map((e) => e.name);
  for (const s of stale) rmSync(join(generatedDir, s), { recursive: true, force: true });
  return stale;
}

/** Every file under a directory, keyed by relative path with forward slashes. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), p);
      else out.set(p, readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}
