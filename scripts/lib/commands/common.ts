/** What every command shares: options, the environments to act on, the exit codes. */
import { listEnvironments, ENV_NAME } from '../config/load.ts';
import type { ProjectPaths } from '../paths.ts';
import type { Format } from './report.ts';
import { UsageError } from '../findings.ts';
import { printable } from '../config/yaml-source.ts';
import { didYouMean } from '../suggest.ts';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CommandOptions {
  paths: ProjectPaths;
  envs: string[] | undefined;
  format: Format;
  kubeconform: boolean;
  /** `--chart-mirror DIR` (else CATALYST_CHART_MIRROR): charts and git trees come only from there. */
  chartMirror?: string;
  /** `--fetch`: pull charts missing from the cache (never implicit; never with a mirror). */
  fetch?: boolean;
  /** `--require-all`: an Application that could not be hydrated is an error, not a warning. */
  requireAll?: boolean;
  /** charts `--lock`: write charts.lock.yaml from the mirror or cache. */
  lock?: boolean;
  /** charts `--verify`: compare the mirror or cache with charts.lock.yaml, fetch nothing. */
  verify?: boolean;
  /** `--app NAME` (hydrate): Application names or components. */
  apps?: string[];
  /** `--expanded` (hydrate): also print what the operators create from the custom resources. */
  expanded?: boolean;
  /** `--to DIR` (charts): build a chart mirror there instead of filling the cache. */
  to?: string;
  /** diff: the git ref to compare the working tree with. */
  base?: string;
  /** diff: list only the envs and apps whose hydrated output changes. */
  affected?: boolean;
  /** diff: hosts added to apps/_hosts.yaml are accepted (CI passes it only when a maintainer says so). */
  allowNewHosts?: boolean;
  /** Positional arguments after the command (env: `add NAME`). */
  args?: string[];
  /** env add: the environment to copy. */
  from?: string;
  /** env add: the Argo CD instance the new env joins. */
  instance?: string;
  /** component add: the chart, REPO/CHART@VERSION. */
  chart?: string;
  /** component add: the layer (default platform). */
  layer?: string;
  /** component add: the namespace (default NAME-system). */
  namespace?: string;
  /** component add: an MCP server on the family's shared templates. */
  mcpServer?: boolean;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The environments named with --env, or all of them; unknown names are usage errors. */
export function selectEnvs(opts: CommandOptions): string[] {
  const all = listEnvironments(opts.paths);
  if (!opts.envs?.length) {
    if (!all.length) throw new UsageError('no environments found in environments/');
    return all;
  }
  for (const e of opts.envs) {
    if (!ENV_NAME.test(e)) throw new UsageError(`--env "${printable(e)}" is not a valid environment name (lowercase letters, digits and '-'); nothing was read`);
    if (!all.includes(e)) {
      throw new UsageError(`--env "${e}": environments/${e}.yaml does not exist${didYouMean(e, all)} (have: ${all.map((n) => printable(n)).join(', ')})`);
    }
  }
  return [...new Set(opts.envs)].sort();
}
