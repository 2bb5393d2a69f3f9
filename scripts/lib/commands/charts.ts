/**
 * `charts [--env NAME]... [--to DIR]`: fetch every pinned remote source of the selected envs
 * (all by default) — the one explicit network step.
 * - Without --to: charts into the chart cache (`helm pull`, the flags Argo CD uses), git sources
 *   into `<cache>/git/<host>/<owner>/<repo>/<rev>/` (`git clone --depth 1 --branch <rev>`, .git removed).
 * - With --to DIR: the same into a chart mirror folder (`DIR/<chart>-<version>.tgz`, `DIR/git/...`)
 *   for `--chart-mirror DIR` / CATALYST_CHART_MIRROR, e.g. for CI or an air-gapped site.
 * What is already there is kept.
 */
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadProject, renderOne } from '../render/environment.ts';
import { formatFinding, UsageError } from '../findings.ts';
import { objectsOfFile } from '../verify/collect.ts';
import { cacheDir } from '../cache-dir.ts';
import { isApplication } from '../verify/platform-apps.ts';
import { fetchChart, locateChart, mirrorChartPath, mirrorGitPath, readAppSource, runTool, type ApplicationSource } from '../verify/platform/index.ts';
import { isDir, isFile } from '../verify/platform/chart-mirror.ts';
import { guardConnection } from '../verify/platform/network-guard.ts';
import { loadAllowedHosts } from '../config/hosts.ts';
import { EXIT_FINDINGS, EXIT_OK, selectEnvs, type CommandOptions } from './common.ts';

type Remote = Extract<ApplicationSource, { kind: 'helm' } | { kind: 'git' }>;

/** The distinct remote sources of the selected envs. */
function remoteSources(opts: CommandOptions): Remote[] {
  const project = loadProject(opts.paths);
  const seen = new Map<string, Remote>();
  for (const env of selectEnvs(opts)) {
    const out = renderOne(project, env);
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

export async function chartsCommand(opts: CommandOptions): Promise<number> {
  const cache = cacheDir('charts');
  const to = opts.to ? path.resolve(opts.to) : undefined;
  if (to) await mkdir(to, { recursive: true });
  let failed = 0;
  const allowed = loadAllowedHosts(opts.paths).hosts;
  for (const src of remoteSources(opts)) {
    const label = src.kind === 'helm' ? `${src.chart} ${src.version} (${src.repoURL})` : `${src.repoURL}@${src.revision}`;
    try {
      if (src.kind === 'helm') {
        const target = to ? mirrorChartPath(to, src.chart, src.version) : undefined;
        if (target && (await isFile(target))) {
          opts.out(`have    ${label}\n`);
          continue;
        }
        const cached = await locateChart(src, { cacheDir: cache, fetch: false });
        const tgz = 'path' in cached ? cached.path : await fetchChart(src, cache, { allowedHosts: allowed });
        if (target) await copyFile(tgz, target);
        opts.out(`${'path' in cached ? 'cached ' : 'fetched'} ${label}${target ? ` -> ${target}` : ''}\n`);
      } else {
        const target = mirrorGitPath(to ?? cache, src.repoURL, src.revision);
        if (await isDir(target)) {
          opts.out(`have    ${label}\n`);
          continue;
        }
        await fetchGit(src, target, allowed);
        opts.out(`fetched ${label} -> ${target}\n`);
      }
    } catch (err) {
      failed++;
      opts.err(`charts: ${label}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  opts.out(`charts: ${to ? `mirror ${to}` : `cache ${cache}`}${failed ? `, ${failed} failed` : ''}\n`);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
