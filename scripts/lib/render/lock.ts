/**
 * One writer of generated/ at a time: render holds `.generated.lock` (a folder made with mkdir,
 * which only one process can create, holding the owner's pid) while it swaps the tree, and check
 * holds it while it reads the tree. A lock whose owner is dead is taken over; the takeover itself
 * is serialised by a second folder so two waiters never both remove it.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How long a command waits for another one's lock before giving up. */
export const LOCK_WAIT_MS = 5 * 60_000;
/** A lock folder (or takeover folder) without an owner for longer than this was left by a kill. */
const OWNERLESS_STALE_MS = 10_000;

export class LockBusyError extends Error {
  constructor(readonly owner: number | undefined, waitedMs: number) {
    super(`generated/ is locked by another catalyst process${owner ? ` (pid ${owner})` : ''}; waited ${Math.round(waitedMs / 1000)} s`);
  }
}

export function lockPath(generatedDir: string): string {
  return join(dirname(generatedDir), `.${basename(generatedDir)}.lock`);
}

/** Is a process with this pid running (EPERM: it runs as another user)? */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function ownerOf(lock: string): number | undefined {
  try {
    const n = Number(readFileSync(join(lock, 'owner'), 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Remove the lock if (still) abandoned; only the holder of the takeover folder does this. */
function takeOverIfAbandoned(lock: string): void {
  const takeover = `${lock}.takeover`;
  try {
    mkdirSync(takeover);
  } catch {
    const age = ageMs(takeover);
    if (age !== undefined && age > OWNERLESS_STALE_MS) rmSync(takeover, { recursive: true, force: true });
    return;
  }
  try {
    const owner = ownerOf(lock);
    const abandoned = owner !== undefined ? !isAlive(owner) : (ageMs(lock) ?? 0) > OWNERLESS_STALE_MS;
    if (abandoned) rmSync(lock, { recursive: true, force: true });
  } finally {
    rmSync(takeover, { recursive: true, force: true });
  }
}

/** Take the lock of generated/ (waiting for another holder up to `waitMs`); returns the release. */
export function acquireLock(generatedDir: string, waitMs = LOCK_WAIT_MS): () => void {
  const lock = lockPath(generatedDir);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner'), `${process.pid}\n`);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (ownerOf(lock) === process.pid) rmSync(lock, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (ownerOf(lock) === process.pid) throw new Error('generated/ lock is already held by this process');
    takeOverIfAbandoned(lock);
    if (Date.now() - started > waitMs) throw new LockBusyError(ownerOf(lock), Date.now() - started);
    sleep(Math.min(25 * (attempt + 1), 200));
  }
}

/** Run `fn` holding the lock of generated/. */
export function withLock<T>(generatedDir: string, fn: () => T): T {
  const release = acquireLock(generatedDir);
  try {
    return fn();
  } finally {
    release();
  }
}
