/**
 * Replacing generated/ as a whole: the new tree (every environment: the rendered ones, and the
 * others carried over when only some were rendered) is built in a staging folder next to
 * generated/, then swapped in with two renames. A render killed at any point leaves the old tree
 * or the new one for every environment: before the swap nothing has changed; between the two
 * renames generated/ is parked and the next command puts it back (recoverAbandoned).
 * Staging and parked folders carry their owner's pid; only those of dead owners are touched.
 * Call with the lock held (lock.ts).
 */
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './lock.ts';

export interface EnvFiles {
  env: string;
  files: Map<string, string>;
}

const STAGING = 'staging';
const PARKED = 'old';

/** `.generated.staging-<pid>-<n>` / `.generated.old-<pid>-<n>` next to generated/. */
function sibling(generatedDir: string, kind: string): string {
  return join(dirname(generatedDir), `.${basename(generatedDir)}.${kind}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
}

/** Our folders next to generated/ of `kind`, with their owner pid. */
function siblings(generatedDir: string, kind: string): { path: string; pid: number }[] {
  const parent = dirname(generatedDir);
  const prefix = `.${basename(generatedDir)}.${kind}-`;
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((n) => n.startsWith(prefix))
    .map((n) => ({ path: join(parent, n), pid: Number(n.slice(prefix.length).split('-')[0]) }));
}

/**
 * Put back what a killed render left (call with the lock held): a parked tree when generated/ is
 * missing, and remove the staging and parked folders of dead owners. A live owner's folders are
 * never touched. Legacy per-env temp folders (`.tmp-<env>-<pid>`, `.old-<env>`) inside generated/
 * are handled the same way.
 */
export function recoverAbandoned(generatedDir: string): void {
  const parked = siblings(generatedDir, PARKED).filter((s) => !isAlive(s.pid));
  if (!existsSync(generatedDir) && parked.length) {
    const newest = parked.sort((a, b) => statSync(b.path).mtimeMs - statSync(a.path).mtimeMs)[0]!;
    renameSync(newest.path, generatedDir);
  }
  for (const s of [...parked, ...siblings(generatedDir, STAGING)]) {
    if (s.pid !== process.pid && !isAlive(s.pid) && existsSync(s.path)) rmSync(s.path, { recursive: true, force: true });
  }
  if (!existsSync(generatedDir)) return;
  for (const e of readdirSync(generatedDir)) {
    const tmp = /^\.tmp-.*-(\d+)$/.exec(e);
    if (tmp) {
      if (!isAlive(Number(tmp[1]))) rmSync(join(generatedDir, e), { recursive: true, force: true });
    } else if (e.startsWith('.old-')) {
      const target = join(generatedDir, e.slice('.old-'.length));
      if (!existsSync(target)) renameSync(join(generatedDir, e), target);
      else rmSync(join(generatedDir, e), { recursive: true, force: true });
    }
  }
}

/** Put file `rel` into the staging tree: a hard link to the current file when it is unchanged (mtime kept), else written. */
function place(staging: string, current: string | undefined, rel: string, text: string): boolean {
  const abs = join(staging, rel);
  mkdirSync(dirname(abs), { recursive: true });
  if (current) {
    const cur = join(current, rel);
    try {
      const st = lstatSync(cur);
      if (st.isFile() && st.size === Buffer.byteLength(text) && readFileSync(cur, 'utf8') === text) {
        linkSync(cur, abs);
        return false;
      }
    } catch {
      // absent or unreadable: written below
    }
  }
  writeFileSync(abs, text);
  return true;
}

/** Copy a carried-over folder (regular files and folders only; links and devices are dropped) by hard links. */
function carry(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) carry(join(from, e.name), join(to, e.name));
    else if (e.isFile()) linkSync(join(from, e.name), join(to, e.name));
  }
}

export interface SwapResult {
  /** Top-level entries of the old generated/ that the new tree does not have (stale envs, links). */
  removed: string[];
  /** Files written because they are new or their bytes differ. */
  changed: number;
  /** Files whose bytes were already right: hard-linked, so their inode and mtime are kept. */
  unchanged: number;
  /** Files of a written env that it no longer produces (gone with the swap). */
  removedFiles: number;
}

/** Relative paths of the regular files under a folder (links and devices are not followed). */
function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * Make generated/ hold exactly `outputs` for their environments; the other top-level entries
 * (regular files and folders) are kept when `keepOthers`, else only regular files are kept.
 */
export function swapGenerated(generatedDir: string, outputs: EnvFiles[], keepOthers: boolean): SwapResult {
  const staging = sibling(generatedDir, STAGING);
  const current = existsSync(generatedDir) ? generatedDir : undefined;
  const removed: string[] = [];
  let changed = 0;
  let unchanged = 0;
  let removedFiles = 0;
  try {
    mkdirSync(staging, { recursive: true });
    const rendered = new Set(outputs.map((o) => o.env));
    if (current) {
      for (const e of readdirSync(current, { withFileTypes: true })) {
        if (rendered.has(e.name) || e.name.startsWith('.tmp-') || e.name.startsWith('.old-')) continue;
        if (e.isFile()) linkSync(join(current, e.name), join(staging, e.name));
        else if (e.isDirectory() && keepOthers) carry(join(current, e.name), join(staging, e.name));
        else removed.push(e.name);
      }
    }
    for (const o of outputs) {
      const old = current && join(current, o.env);
      if (old && existsSync(old) && lstatSync(old).isDirectory()) removedFiles += filesUnder(old).filter((f) => !o.files.has(f)).length;
      mkdirSync(join(staging, o.env), { recursive: true });
      for (const [rel, text] of o.files) {
        if (place(join(staging, o.env), current && join(current, o.env), rel, text)) changed++;
        else unchanged++;
      }
    }
  } catch (err) {
    // ENOSPC and the like: nothing has changed; the half-built tree goes now, not at the next render.
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  if (current) {
    const parked = sibling(generatedDir, PARKED);
    renameSync(generatedDir, parked);
    renameSync(staging, generatedDir);
    rmSync(parked, { recursive: true, force: true });
  } else {
    renameSync(staging, generatedDir);
  }
  return { removed: removed.sort(), changed, unchanged, removedFiles };
}
