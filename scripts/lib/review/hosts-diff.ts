/**
 * The allow-list of network hosts (apps/_hosts.yaml, config/hosts.ts) compared between the base
 * ref and the working tree: hosts added and removed are the diff's first security-relevant lines,
 * and each added host is a finding at its line unless `--allow-new-hosts` is given (CI passes it
 * only when a maintainer labels the pull request), so a pull request cannot widen where CI
 * connects on its own.
 */
import type { Finding } from '../findings.ts';
import { HOSTS_FILE, loadAllowedHosts } from '../config/hosts.ts';
import { projectPaths } from '../paths.ts';

export interface HostsDiff {
  added: string[];
  removed: string[];
}

export function diffHosts(baseRoot: string, headRoot: string): HostsDiff & { lines: Map<string, number> } {
  const base = loadAllowedHosts(projectPaths(baseRoot)).hosts;
  const head = loadAllowedHosts(projectPaths(headRoot)).hosts;
  return {
    added: [...head.keys()].filter((h) => !base.has(h)).sort(),
    removed: [...base.keys()].filter((h) => !head.has(h)).sort(),
    lines: head,
  };
}

/** One line per change, for the report's security section. */
export function hostLines(d: HostsDiff): string[] {
  return [...d.added.map((h) => `${HOSTS_FILE}: network host ${h} added: charts and git sources may now be fetched from it`), ...d.removed.map((h) => `${HOSTS_FILE}: network host ${h} removed`)];
}

/** Each added host, as a finding, unless the run allows new hosts. */
export function newHostFindings(d: HostsDiff & { lines: Map<string, number> }, allow: boolean): Finding[] {
  if (allow) return [];
  return d.added.map((h) => ({
    file: HOSTS_FILE,
    line: d.lines.get(h) ?? 0,
    col: d.lines.get(h) ? 1 : 0,
    path: '/hosts',
    message: `host ${h} is new in the allow-list: CI may connect to it only once a maintainer accepts it (diff --allow-new-hosts; in CI the pull-request label allow-new-hosts)`,
  }));
}
