/**
 * `charts [--env NAME]... [--to DIR]`: fetch every pinned remote source of the selected envs
 * (all by default) — the one explicit network step.
 * - Without --to: charts into the chart cache (`helm pull`, the flags Argo CD uses), git sources
 *   into `<cache>/git/<host>/<owner>/<repo>/<rev>/` (`git clone --depth 1 --branch <rev>`, .git removed).
 * - With --to DIR: the same into a chart mirror folder (`DIR/<chart>-<version>.tgz`, `DIR/git/...`)
 *   for `--chart-mirror DIR` / CATALYST_CHART_MIRROR, e.g. for CI or an air-gapped site.
 * What is already there is kept. Then each source is compared with charts.lock.yaml.
 * - `--lock`: write charts.lock.yaml from the mirror (or the cache); `--verify`: compare only.
 */
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadProject, renderOne } from '../render/environment.ts';
import { formatFinding, UsageError } from '../findings.ts';
import { cacheDir } from '../cache-dir.ts';
import { loadAllowedHosts } from '../config/hosts.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';
import { objectsOfFile, isApplication, fetchChart, locateChart, mirrorChartPath, mirrorGitPath, readAppSource, type ApplicationSource, isDir, isFile, guardConnection, keepNotes, LOCK_FILE, readLock, verdict, writeLock, type ChartLock } from '../verify/hydration/index.ts';
import { runTool } from '../tools/run-tool.ts';
import { sourceDigest } from './chart-lock-check.ts';
import { platformOptions } from './platform-options.ts';
import { createProgress, type Progress } from './progress.ts';

type Remote = Extract<ApplicationSource, { kind: 'helm' } | { kind: 'git' }>;

/** The distinct remote sources of the selected envs. */
function remoteSources(opts: CommandOptions, progress: Progress): Remote[] {
  progress.step('charts: loading the catalog');
  const project = loadProject(opts.paths);
  const seen = new Map<string, Remote>();
  const envs = selectEnvs(opts);
  for (const [i, env] of envs.entries()) {
    progress.step(`charts: ${env} (${i + 1}/${envs.length}): rendering`);
    const out = renderOne(project, env);
    if (out.findings.length || !out.plan) progress.done();
    if (out.findings.length || !out.plan) throw new UsageError(`${env} does not render:\n${out.findings.map(formatFinding).join('\n')}`);
    for (const [file, text] of out.files) {
      if (!file.startsWith('apps/')) continue;
      for (const o of objectsOfFile(file, text).filter((x) => isApplication(x.obj))) {
        const src = readAppSource(o.obj, { projectRepoURL: out.plan.env.config.repo.url });
        if (src.kind === 'helm') seen.set(`helm ${src.repoURL} ${src.chart} ${src.version}`, src);
        if (src.kind === 'git') seen.set(`git ${src.repoURL} ${src.revision}`, src);
      }
    }
  }
  return [...seen.values()];
}

function labelOf(src: Remote): string {
  return src.kind === 'helm' ? `${src.chart} ${src.version} (${src.repoURL})` : `${src.repoURL}@${src.revision}`;
}

async function fetchGit(src: Extract<Remote, { kind: 'git' }>, target: string, allowed: ReadonlyMap<string, number>): Promise<void> {
  await guardConnection(src.repoURL, allowed);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'catalyst-git-'));
  try {
    await runTool('git', ['-c', 'http.followRedirects=false', '-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always', 'clone', '--quiet', '--depth', '1', '--branch', src.revision, src.repoURL, path.join(tmp, 'tree')], { timeoutMs: 300_000 });
    await rm(path.join(tmp, 'tree', '.git'), { recursive: true, force: true });
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(tmp, 'tree'), target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * `charts --lock`: record the content digest of every pinned source, from the chart mirror (or
 * the cache), in charts.lock.yaml. `charts --verify`: compare them with the lock, fetching
 * nothing. Plain `charts` fetches what is missing into the cache, then verifies what upstream
 * served against the lock.
 */
async function lockOrVerify(opts: CommandOptions, write: boolean): Promise<number> {
  const platform = platformOptions(opts);
  const where = platform.mirror ? `the chart mirror ${platform.mirror}` : `the chart cache ${platform.cacheDir}`;
  const lock = write ? undefined : readLock(opts.paths.root);
  if (!write && !lock) throw new UsageError(`no ${LOCK_FILE} to verify against: write it with npm run charts -- --lock`);
  const next: ChartLock = { charts: [], git: [] };
  let bad = 0;
  const progress = createProgress(opts);
  const sources = remoteSources(opts, progress);
  for (const [i, src] of sources.entries()) {
    progress.step(`charts: digest of ${labelOf(src)} (${i + 1}/${sources.length})`);
    const d = await sourceDigest(src, platform);
    progress.done();
    if (!d) {
      bad++;
      opts.err(`charts: ${src.kind === 'helm' ? `${src.chart} ${src.version}` : `${src.repoURL}@${src.revision}`} is not in ${where}: get it with npm run charts (network) or --chart-mirror DIR\n`);
      continue;
    }
    if ('chart' in d.entry) next.charts.push({ ...d.entry, digest: d.digest });
    else next.git.push({ ...d.entry, digest: d.digest });
    if (lock) {
      const v = verdict(lock, d.key, d.digest, d.label);
      if (!v.ok) bad++;
      opts.out(v.ok ? `ok      ${d.label} ${d.digest}\n` : `CHANGED ${v.message}\n`);
    }
  }
  if (write) {
    if (bad) {
      opts.err(`charts: ${LOCK_FILE} not written: ${bad} source(s) missing\n`);
      return EXIT_FINDINGS;
    }
    let old: ChartLock | undefined;
    try {
      old = readLock(opts.paths.root);
    } catch {
      old = undefined;
    }
    writeLock(opts.paths.root, keepNotes(next, old));
    opts.out(`charts: wrote ${LOCK_FILE} (${next.charts.length} charts, ${next.git.length} git sources, from ${where})\n`);
    return EXIT_OK;
  }
  opts.out(`charts: ${bad ? `${bad} source(s) differ from ${LOCK_FILE} or are missing` : `every source matches ${LOCK_FILE}`} (${where})\n`);
  return bad ? EXIT_FINDINGS : EXIT_OK;
}

export async function chartsCommand(opts: CommandOptions): Promise<number> {
  if (opts.lock || opts.verify) return lockOrVerify(opts, opts.lock === true);
  const cache = cacheDir('charts');
  const to = opts.to ? path.resolve(opts.to) : undefined;
  if (to) await mkdir(to, { recursive: true });
  let failed = 0;
  const allowed = loadAllowedHosts(opts.paths).hosts;
  const progress = createProgress(opts);
  const sources = remoteSources(opts, progress);
  const say = (line: string): void => {
    progress.done();
    opts.out(line);
  };
  for (const [i, src] of sources.entries()) {
    const label = labelOf(src);
    // Cleared before each result line, so a terminal's status line never mixes with them.
    progress.step(`charts: ${label} (${i + 1}/${sources.length})`);
    try {
      if (src.kind === 'helm') {
        const target = to ? mirrorChartPath(to, src.chart, src.version) : undefined;
        if (target && (await isFile(target))) {
          say(`have    ${label}\n`);
          continue;
        }
        const cached = await locateChart(src, { cacheDir: cache, fetch: false });
        const tgz = 'path' in cached ? cached.path : await fetchChart(src, cache, { allowedHosts: allowed });
        if (target) await copyFile(tgz, target);
        say(`${'path' in cached ? 'cached ' : 'fetched'} ${label}${target ? ` -> ${target}` : ''}\n`);
      } else {
        const target = mirrorGitPath(to ?? cache, src.repoURL, src.revision);
        if (await isDir(target)) {
          say(`have    ${label}\n`);
          continue;
        }
        await fetchGit(src, target, allowed);
        say(`fetched ${label} -> ${target}\n`);
      }
    } catch (err) {
      failed++;
      progress.done();
      opts.err(`charts: ${label}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  progress.done();
  opts.out(`charts: ${to ? `mirror ${to}` : `cache ${cache}`}${failed ? `, ${failed} failed` : ''}\n`);
  if (failed) return EXIT_FINDINGS;
  // What upstream served, against what was checked (the lock): a pin whose bytes changed fails.
  if (!readLock(opts.paths.root)) return EXIT_OK;
  return lockOrVerify({ ...opts, chartMirror: to, fetch: !to }, false);
}
