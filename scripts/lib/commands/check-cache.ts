/**
 * What a `check` reads, stamped (result-store.ts): the code, the project and generated/, the
 * tools (kustomize, kubectl, helm as found: path, size, mtime, inode and ctime) and the charts it
 * may read (the chart mirror and the chart cache: every file's path and bytes, so a chart archive
 * swapped for another of the same size and mtime is a change). Not cached: `--fetch`
 * (it changes the cache it reads), `--kubeconform` (an outside binary) and `--base` (a git revision).
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir } from '../cache-dir.ts';
import { hashTree } from '../fs/tree-hash.ts';
import { ROOT } from '../paths.ts';
import type { CommandOptions } from './common.ts';
import type { EnvOutput } from '../render/environment.ts';
import type { Finding } from '../findings.ts';
import type { CelSummary } from '../verify/api-server/index.ts';
import { LOCK_FILE, type AppStatus } from '../verify/hydration/index.ts';
import { resultsCached, stampOf } from '../result-store.ts';

const TOOLS = ['kustomize', 'kubectl', 'helm'];

/** Path, size and mtime of each tool on PATH and of the bundled binaries. */
function toolStamp(): string {
  const out: string[] = [];
  const stamp = (file: string): void => {
    try {
      const st = statSync(file);
      out.push(`${file}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0${st.ctimeMs}`);
    } catch {
      // absent
    }
  };
  for (const dir of (process.env.PATH ?? '').split(delimiter)) for (const t of TOOLS) if (dir) stamp(join(dir, t));
  for (const t of ['kubectl', 'helm']) stamp(join(ROOT, 'node_modules', '.cache', 'catalyst-gitops', `${t}-v35`, t));
  for (const v of [process.env.KUSTOMIZE, process.env.HELM]) if (v) stamp(v);
  return out.join('\n');
}

/** The charts a check may read: the mirror and the chart cache (path and bytes of each file; 8 MB for every chart of the platform). */
function chartsInto(h: Hash, mirror: string | undefined): void {
  if (mirror) hashTree(h, mirror, 'mirror/', 'content');
  // rendered/: helm output the run itself keeps, by the bytes of the chart and the values.
  hashTree(h, cacheDir('charts'), 'charts/', 'content', ['rendered']);
}

/** charts.lock.yaml as text ('' when there is none): a changed lock is a changed check. */
function lockStamp(root: string): string {
  const f = join(root, LOCK_FILE);
  return `lock ${existsSync(f) ? readFileSync(f, 'utf8') : ''}`;
}

/** What a check reads, hashed: the project and tools (`inputs`) apart from the charts (`charts`). */
export interface CheckStamp {
  inputs: string;
  charts: string;
}

/** The stamp of this check, or undefined when the run must not be cached. */
export function checkStamp(opts: CommandOptions, envs: string[], mirror: string | undefined): CheckStamp | undefined {
  if (!resultsCached() || opts.fetch || opts.kubeconform || opts.base) return undefined;
  const dirs = ['environments', 'apps', 'base', 'overlays', 'schemas', 'generated'] as const;
  const h = stampOf('check', opts.paths, dirs, `root ${opts.paths.root}\0envs ${envs.join(',')}\0requireAll ${opts.requireAll === true}\0cel ${process.env.CATALYST_CEL ?? ''}\0${toolStamp()}\0${lockStamp(opts.paths.root)}`);
  const c = createHash('sha256');
  chartsInto(c, mirror);
  return { inputs: h.digest('hex'), charts: c.digest('hex') };
}

export const stampKey = (s: CheckStamp): string => createHash('sha256').update(`${s.inputs}\0${s.charts}`).digest('hex');

/** One env's part of a check, as stored: what checkEnv returns. */
export interface EnvCheck {
  findings: Finding[];
  apps: AppSummary[];
  objects: number;
  /** The env's CEL validation tally (verify/api-server). */
  cel?: CelSummary;
}

/** An Application of an env and how it was hydrated. */
export interface AppSummary {
  env: string;
  app: string;
  status: AppStatus;
  tool?: string;
  reason?: string;
  objects: number;
}

/**
 * What every env's check shares: the code, apps/, base/, overlays/, schemas/, the tools, the
 * charts and the options (not the envs, not generated/: drift is computed each time).
 * Undefined when results are not reused.
 */
export function envCheckBase(opts: CommandOptions, mirror: string | undefined): string | undefined {
  if (!resultsCached() || opts.fetch || opts.kubeconform || opts.base) return undefined;
  const h = stampOf('check', opts.paths, ['apps', 'base', 'overlays', 'schemas'], `env check\0root ${opts.paths.root}\0requireAll ${opts.requireAll === true}\0cel ${process.env.CATALYST_CEL ?? ''}\0${toolStamp()}\0${lockStamp(opts.paths.root)}`);
  chartsInto(h, mirror);
  return h.digest('hex');
}

/** One env's key: the shared part, its resolved config and every file rendered for it. */
export function envCheckKey(base: string, out: EnvOutput): string {
  const h = createHash('sha256').update(`${base}\0${out.env}\0${JSON.stringify(out.plan?.env.config ?? null)}\0`);
  for (const [path, text] of out.files) h.update(`${path}\0${text}\0`);
  return h.digest('hex');
}
