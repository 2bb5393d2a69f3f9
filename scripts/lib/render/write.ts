/**
 * Writing and reading generated/. Every write replaces the whole tree under the lock
 * (swap.ts, lock.ts), so a failed, concurrent or killed render leaves the previous tree or the
 * new one for every environment. Reading never follows a link and never reads past a size cap:
 * generated/ is committed by pull requests, and a link to /dev/zero or out of the repository is
 * a finding, not a hang.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { irregularKind, readTextBounded } from '../fs/safe-read.ts';
import { withLock } from './lock.ts';
import { recoverAbandoned, swapGenerated, type EnvFiles, type SwapResult } from './swap.ts';

/** Largest file read from generated/ (the largest rendered file is about 200 KB). */
export const MAX_GENERATED_FILE_BYTES = 8 * 1024 * 1024;

/** Put back a tree left half-swapped by a killed render and drop abandoned temp folders (under the lock). */
export function recoverInterruptedSwap(generatedDir: string): void {
  withLock(generatedDir, () => recoverAbandoned(generatedDir));
}

/**
 * Write these environments (all of them when `all`: other env folders are removed) in one swap
 * under the lock. Returns the top-level entries removed.
 */
export function writeGenerated(generatedDir: string, outputs: EnvFiles[], all: boolean): SwapResult {
  return withLock(generatedDir, () => {
    recoverAbandoned(generatedDir);
    return swapGenerated(generatedDir, outputs, !all);
  });
}

export interface WriteResult {
  /** Files written because they are new or their bytes differ. */
  changed: number;
  /** Files whose bytes were already right (inode and mtime kept). */
  unchanged: number;
  /** Files of the env that it no longer produces (removed). */
  removed: number;
}

/**
 * Replace generated/<env>/ with exactly these files (the other environments are kept). An env
 * whose files all have the right bytes, with nothing extra, is not touched at all.
 */
export function writeEnvTree(generatedDir: string, env: string, files: Map<string, string>): WriteResult {
  const dir = join(generatedDir, env);
  return withLock(generatedDir, () => {
    const onDisk = readTreeChecked(dir).files;
    const unchanged = [...files].filter(([p, text]) => onDisk.get(p) === text).length;
    const removed = [...onDisk.keys()].filter((p) => !files.has(p)).length;
    const result = { changed: files.size - unchanged, unchanged, removed };
    if (result.changed || removed || !existsSync(dir)) {
      recoverAbandoned(generatedDir);
      swapGenerated(generatedDir, [{ env, files }], true);
    }
    return result;
  });
}

export interface TreeRead {
  files: Map<string, string>;
  /** Entries that are not regular files or folders, files over the cap, unreadable files: path relative to the tree, why. */
  problems: { path: string; message: string }[];
}

/** Every regular file under a folder (links are reported, never followed), keyed by relative path. */
export function readTreeChecked(dir: string, maxBytes = MAX_GENERATED_FILE_BYTES): TreeRead {
  const out: TreeRead = { files: new Map(), problems: [] };
  let top;
  try {
    top = lstatSync(dir);
  } catch {
    return out;
  }
  if (!top.isDirectory()) {
    out.problems.push({ path: '', message: `is ${irregularKind(top) ?? 'a file'}, not a folder: generated/ holds regular files and folders only` });
    return out;
  }
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), p);
      else if (e.isFile()) {
        const r = readTextBounded(join(d, e.name), maxBytes);
        if (r.ok) out.files.set(p, r.value);
        else out.problems.push({ path: p, message: r.reason });
      } else {
        const kind = irregularKind(lstatSync(join(d, e.name))) ?? 'not a regular file';
        out.problems.push({ path: p, message: `is ${kind}: generated/ holds regular files and folders only (Argo CD refuses links out of the repository; links are never followed)` });
      }
    }
  };
  walk(dir, '');
  return out;
}

/** Every regular file under a folder, keyed by relative path with forward slashes (links and other entries skipped). */
export function readTree(dir: string): Map<string, string> {
  return readTreeChecked(dir).files;
}
