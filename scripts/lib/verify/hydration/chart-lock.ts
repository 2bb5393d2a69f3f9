/**
 * charts.lock.yaml: the content digest of every pinned chart and git source, as hydrated. A pin
 * (chart + version, repository + revision) names bytes that can change behind it (a re-pushed
 * tag, a rebuilt mirror, a stand-in archive): the lock records what was checked, and `check`
 * and `npm run charts` compare what they hydrate with it, so a reviewer sees when the bytes
 * behind a pin change.
 *
 * The digest is over content, not archive bytes: a chart's files (path and bytes, sorted) after
 * gunzip and untar, so the same chart packaged twice (other timestamps, other gzip level) has
 * one digest; a git source's tree under the Application's path (the only part Argo CD reads).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { hashTree } from '../../fs/tree-hash.ts';
import { untarGz } from './chart-archive.ts';

export const LOCK_FILE = 'charts.lock.yaml';
export const HYD003 = 'HYD003';

export interface LockedChart {
  repoURL: string;
  chart: string;
  version: string;
  digest: string;
  /** Why these bytes (a stand-in archive, say); kept by --lock while the digest stays the same. */
  note?: string;
}

export interface LockedGit {
  repoURL: string;
  revision: string;
  path: string;
  digest: string;
  note?: string;
}

export interface ChartLock {
  charts: LockedChart[];
  git: LockedGit[];
}

/** sha256 over a chart archive's files (path and bytes, in path order). */
export async function chartDigest(tgz: string): Promise<string> {
  const files = untarGz(await readFile(tgz));
  const h = createHash('sha256');
  for (const name of [...files.keys()].sort()) h.update(`${name}\0${files.get(name)!.length}\0`).update(files.get(name)!).update('\0');
  return `sha256:${h.digest('hex')}`;
}

/** sha256 over the tree an Application reads (`root/path`): names, kinds and bytes, links never followed. */
export function gitDigest(root: string, path: string): string {
  const h = createHash('sha256');
  hashTree(h, resolve(root, path || '.'), '', 'content');
  return `sha256:${h.digest('hex')}`;
}

export function chartKey(c: Pick<LockedChart, 'repoURL' | 'chart' | 'version'>): string {
  return `helm ${c.repoURL} ${c.chart} ${c.version}`;
}

export function gitKey(g: Pick<LockedGit, 'repoURL' | 'revision' | 'path'>): string {
  return `git ${g.repoURL} ${g.revision} ${g.path || '.'}`;
}

/** The project's lock, or undefined when it has none. A malformed lock is an error naming the file. */
export function readLock(root: string): ChartLock | undefined {
  const file = join(root, LOCK_FILE);
  if (!existsSync(file)) return undefined;
  const data = parse(readFileSync(file, 'utf8'), { maxAliasCount: 0 }) as Partial<ChartLock> | null;
  const ok = (x: unknown): x is Record<string, unknown>[] => Array.isArray(x) && x.every((e) => typeof e === 'object' && e !== null && typeof (e as { digest?: unknown }).digest === 'string');
  if (!data || typeof data !== 'object' || !ok(data.charts ?? []) || !ok(data.git ?? [])) {
    throw new Error(`${LOCK_FILE}: not a chart lock (expected charts: and git: lists of entries with a digest); write it again with npm run charts -- --lock`);
  }
  return { charts: (data.charts ?? []) as LockedChart[], git: (data.git ?? []) as LockedGit[] };
}

/** Write the lock, sorted, with a header saying how it is made. */
export function writeLock(root: string, lock: ChartLock): void {
  const charts = [...lock.charts].sort((a, b) => chartKey(a).localeCompare(chartKey(b)));
  const git = [...lock.git].sort((a, b) => gitKey(a).localeCompare(gitKey(b)));
  const header =
    '# The content digest of every pinned chart and git source, as `check` hydrates them.\n' +
    '# Written by `npm run charts -- --lock`; `check` and `npm run charts` compare with it (HYD003).\n' +
    '# A changed digest means the bytes behind a pin changed: review why before you write it again.\n';
  writeFileSync(join(root, LOCK_FILE), header + stringify({ charts, git }, { lineWidth: 0 }));
}

/** Carry each note of `old` over to the entry of `next` with the same key and digest. */
export function keepNotes(next: ChartLock, old: ChartLock | undefined): ChartLock {
  if (!old) return next;
  const notes = new Map([...old.charts.map((c) => [`${chartKey(c)} ${c.digest}`, c.note] as const), ...old.git.map((g) => [`${gitKey(g)} ${g.digest}`, g.note] as const)]);
  const withNote = <T extends { digest: string; note?: string }>(e: T, key: string): T => {
    const note = notes.get(`${key} ${e.digest}`);
    return note ? { ...e, note } : e;
  };
  return { charts: next.charts.map((c) => withNote(c, chartKey(c))), git: next.git.map((g) => withNote(g, gitKey(g))) };
}

export type Verdict = { ok: true } | { ok: false; message: string };

/** Compare one hydrated source's digest with the lock. */
export function verdict(lock: ChartLock, key: string, digest: string, label: string): Verdict {
  const entry = [...lock.charts.map((c) => [chartKey(c), c.digest] as const), ...lock.git.map((g) => [gitKey(g), g.digest] as const)].find(([k]) => k === key);
  if (!entry) return { ok: false, message: `${label} is not in ${LOCK_FILE} (its content digest is ${digest}): review it, then record it with npm run charts -- --lock` };
  if (entry[1] !== digest) return { ok: false, message: `${label}: its content differs from ${LOCK_FILE} (locked ${entry[1]}, hydrated ${digest}): the bytes behind this pin changed; review the change, then record it with npm run charts -- --lock` };
  return { ok: true };
}
