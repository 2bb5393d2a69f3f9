/**
 * Hash a folder tree into a running sha256: every entry in sorted order with its relative path
 * and kind; a file with its bytes (`content`) or its size and mtime (`stat`, for large caches
 * whose files never change in place); a symlink with its target (never followed).
 */
import type { Hash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type TreeHashMode = 'content' | 'stat';

/** `skip`: names left out at the top level only (a derived sub-cache, say). */
export function hashTree(h: Hash, dir: string, prefix: string, mode: TreeHashMode = 'content', skip: readonly string[] = []): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    // A folder that does not exist hashes as an empty one: a cache folder appears on first use.
    return;
  }
  for (const e of entries.filter((x) => !skip.includes(x.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = join(dir, e.name);
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory()) hashTree(h, abs, `${rel}/`, mode);
    else if (e.isSymbolicLink()) h.update(`${rel}\0link\0${readlinkSync(abs)}\0`);
    else if (!e.isFile()) h.update(`${rel}\0other\0`);
    else if (mode === 'stat') {
      const st = lstatSync(abs);
      h.update(`${rel}\0${st.size}\0${st.mtimeMs}\0`);
    } else h.update(`${rel}\0`).update(readFileSync(abs)).update('\0');
  }
}
