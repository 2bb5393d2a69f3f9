/**
 * The lock side of hydration: the content digest of the chart or git tree each remote Application
 * was hydrated from, compared with charts.lock.yaml (HYD003, at the Application). Used by `check`
 * (every hydrated Application) and `npm run charts` (every pinned source).
 */
import type { Finding } from '../findings.ts';
import { chartDigest, chartKey, gitDigest, gitKey, HYD003, verdict, type ChartLock, type AppHydration, locateChart, readAppSource, type ApplicationSource, locateGitTree } from '../verify/hydration/index.ts';
import type { PlatformOptions } from './platform-options.ts';

export type RemoteSource = Extract<ApplicationSource, { kind: 'helm' } | { kind: 'git' }>;

export interface SourceDigest {
  key: string;
  label: string;
  digest: string;
  /** For the lock entry. */
  entry: { repoURL: string; chart: string; version: string } | { repoURL: string; revision: string; path: string };
}

// Per process: the same archive or tree is hashed once however many envs use it.
const memo = new Map<string, Promise<string>>();
const once = (where: string, f: () => Promise<string>): Promise<string> => {
  let p = memo.get(where);
  if (!p) memo.set(where, (p = f()));
  return p;
};

/** The digest of what a remote source hydrates from (mirror or cache; never fetched here); undefined when it is not there. */
export async function sourceDigest(src: RemoteSource, p: PlatformOptions): Promise<SourceDigest | undefined> {
  if (src.kind === 'helm') {
    const r = await locateChart(src, { mirror: p.mirror, cacheDir: p.cacheDir, fetch: false });
    if (!('path' in r)) return undefined;
    const digest = await once(`helm ${r.path}`, () => chartDigest(r.path));
    return { key: chartKey({ ...src }), label: `chart ${src.chart} ${src.version} (${src.repoURL})`, digest, entry: { repoURL: src.repoURL, chart: src.chart, version: src.version } };
  }
  const r = await locateGitTree(src, { mirror: p.mirror, cacheDir: p.cacheDir, kubeVersion: '', apiVersions: [] });
  if (!('root' in r)) return undefined;
  const path = src.path || '.';
  const digest = await once(`git ${r.root} ${path}`, async () => gitDigest(r.root, path));
  return { key: gitKey({ repoURL: src.repoURL, revision: src.revision, path }), label: `git source ${src.repoURL}@${src.revision} path ${path}`, digest, entry: { repoURL: src.repoURL, revision: src.revision, path } };
}

/** HYD003 for each hydrated remote Application whose source differs from the lock (or is not in it). */
export async function lockFindings(apps: AppHydration[], lock: ChartLock, p: PlatformOptions): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const a of apps.filter((x) => x.status === 'hydrated')) {
    const src = readAppSource(a.application.obj);
    if (src.kind !== 'helm' && src.kind !== 'git') continue;
    const d = await sourceDigest(src, p);
    if (!d) continue;
    const v = verdict(lock, d.key, d.digest, d.label);
    if (v.ok) continue;
    out.push({ file: a.application.file, line: a.application.line, col: a.application.line ? 1 : 0, kind: 'Application', name: a.app, path: '/spec/source', rule: HYD003, message: v.message });
  }
  return out;
}
