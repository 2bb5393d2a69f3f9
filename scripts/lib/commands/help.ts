/**
 * What `catalyst help [CMD]`, `catalyst CMD --help` and usage errors print: the global usage,
 * and per command its synopsis, what it does, its options and examples. Options here are the
 * only options a command accepts (cli.ts rejects the others, naming the commands that have them).
 */
export interface CommandHelp {
  synopsis: string;
  summary: string;
  /** Option -> description, in the order printed. */
  options: [string, string][];
  examples: [string, string][];
  /** Exit codes when they differ from the usual 0 ok / 1 findings / 2 usage. */
  exit?: string;
}

const ENV = ['--env NAME', 'act on this environment (repeatable; default: every env in environments/)'] as [string, string];
const MIRROR = ['--chart-mirror DIR', 'charts (DIR/<chart>-<version>.tgz) and git sources (DIR/git/<host>/<owner>/<repo>/<rev>/) come only from DIR (default: $CATALYST_CHART_MIRROR, else package.json catalyst.chartMirror when that folder exists, else the chart cache)'] as [string, string];
const FETCH = ['--fetch', 'pull charts missing from the cache (never implicit)'] as [string, string];
const fmt = (...f: string[]): [string, string] => ['--format ' + f.join('|'), `output format (default text; json: one JSON document on stdout, see README "JSON output")`];

export const COMMANDS: Record<string, CommandHelp> = {
  render: {
    synopsis: 'catalyst render [--env NAME]... [--format text|json|github]',
    summary: 'validate every environment and write generated/<env>/ (all or nothing; unchanged files keep their mtime)',
    options: [ENV, fmt('text', 'json', 'github')],
    examples: [['npm run render', 'render every env'], ['npm run render -- --env prod', 'render prod only']],
  },
  validate: {
    synopsis: 'catalyst validate [--env NAME]... [--format text|json|github]',
    summary: 'validate environment files and the component catalog, including identities two envs must not share; write nothing',
    options: [ENV, fmt('text', 'json', 'github')],
    examples: [['npm run validate', 'every env'], ['npm run validate -- --env perf --format json', 'one env, as JSON']],
  },
  check: {
    synopsis: 'catalyst check [--env NAME]... [--format text|json|github] [--kubeconform] [--chart-mirror DIR | --fetch] [--require-all] [--base REF]',
    summary: 'what CI runs: validate, compare generated/ with what the config produces, hydrate every Application (kustomize, helm, git), run every output rule, the CRDs\' CEL rules and the bootstrap simulation; write nothing',
    options: [
      ENV,
      fmt('text', 'json', 'github'),
      ['--kubeconform', 'also run kubeconform from PATH over the hydrated output'],
      MIRROR,
      FETCH,
      ['--require-all', 'an Application that could not be hydrated is an error, not a warning (always so when CI is set)'],
      ['--base REF', 'also apply the API server\'s update rules against the objects at git REF (docs/API-SERVER.md)'],
    ],
    examples: [['npm run check', 'the whole platform, charts from the project\'s mirror or the cache'], ['npm run check -- --chart-mirror ../charts --require-all', 'the whole platform, as CI does'], ['npm run check -- --base origin/main', 'and what the API server would refuse to update']],
    exit: '0 ok (warnings allowed), 1 findings, 2 usage',
  },
  graph: {
    synopsis: 'catalyst graph [--env NAME]... [--format text|json]',
    summary: 'the sync waves, dependencies and declared flows of each environment',
    options: [ENV, fmt('text', 'json')],
    examples: [['npm run graph -- --env dev', 'waves of dev'], ['npm run graph -- --format json', 'every env as {envs:[{env, components:[{name, wave, layer, dependsOn}]}]}']],
  },
  diff: {
    synopsis: 'catalyst diff --base REF [--env NAME]... [--affected] [--allow-new-hosts] [--format text|json|markdown] [--chart-mirror DIR]',
    summary: 'what the working tree changes in the cluster compared with git REF: components, security-relevant changes (grouped per AppProject), hydrated objects (a unified diff each)',
    options: [
      ['--base REF', 'the git ref to compare with (required)'],
      ENV,
      ['--affected', 'print only `env: app app ...` for the envs whose hydrated output changes'],
      ['--allow-new-hosts', 'hosts added to apps/_hosts.yaml are accepted (otherwise each is a finding)'],
      fmt('text', 'json', 'markdown'),
      MIRROR,
    ],
    examples: [['npm run diff -- --base origin/main', 'review a branch'], ['npm run diff -- --base HEAD~1 --format markdown', 'the pull-request comment']],
  },
  hydrate: {
    synopsis: 'catalyst hydrate --env NAME [--app NAME]... [--expanded] [--format text|json] [--chart-mirror DIR | --fetch]',
    summary: 'print every object the Applications of an env stand for (local, chart or git), each headed by the tool that hydrated it',
    options: [ENV, ['--app NAME', 'only this Application (<env>-<component>) or component (repeatable)'], ['--expanded', 'also the objects the operators create from the custom resources (pods of models, Llama Stack), each headed by its custom resource'], fmt('text', 'json'), MIRROR, FETCH],
    examples: [['npm run hydrate -- --env dev --app postgres', 'the objects of dev-postgres, as YAML'], ['npm run hydrate -- --env dev --app postgres --format json', 'the same as JSON']],
    exit: '0 ok, 1 an Application not hydrated, 2 usage',
  },
  charts: {
    synopsis: 'catalyst charts [--env NAME]... [--to DIR] [--lock | --verify] [--chart-mirror DIR]',
    summary: 'fetch every pinned chart and git source into the cache, or build a chart mirror in DIR, then compare each with charts.lock.yaml; the only command that uses the network',
    options: [
      ENV,
      ['--to DIR', 'build a chart mirror in DIR instead of filling the cache'],
      ['--lock', 'write charts.lock.yaml from the mirror (or the cache): the content digest of every pinned source; fetch nothing'],
      ['--verify', 'compare the mirror (or the cache) with charts.lock.yaml; fetch nothing'],
      MIRROR,
      fmt('text', 'json', 'github'),
    ],
    examples: [['npm run charts', 'fill the cache, then compare what upstream served with the lock'], ['npm run charts -- --to ../charts', 'build a mirror for CI or an air-gapped site'], ['npm run charts -- --lock', 'record the digests after reviewing a chart change']],
    exit: '0 ok, 1 a fetch failed or a source differs from the lock, 2 usage',
  },
  env: {
    synopsis: 'catalyst env add NAME --from ENV [--instance I] [--format text|json]',
    summary: 'add an environment: copy ENV with every per-env identity (project, domain, cluster, secret key prefix, Vault role, SSO issuer, cluster credentials key) derived from NAME, validate it, and print what an admin must do',
    options: [['--from ENV', 'the environment to copy (required)'], ['--instance I', 'the Argo CD instance (argocd.instance) the new env joins (default: that of ENV)'], fmt('text', 'json')],
    examples: [['npm run env -- add perf --from staging', 'a perf env shaped like staging, on its Argo CD'], ['npm run env -- add lab2 --from dev --instance lab2', 'a dev-like env with an Argo CD of its own']],
  },
  component: {
    synopsis: 'catalyst component add NAME (--chart REPO/CHART@VERSION [--layer L] [--namespace NS] | --mcp-server) [--chart-mirror DIR | --fetch]',
    summary: 'scaffold apps/NAME/, one folder per component: the catalog entry, a strict settings schema from the chart\'s values.yaml, the CRD groups it installs and the kinds it creates (read with helm from the chart mirror or cache); or an MCP server on the family\'s shared templates',
    options: [
      ['--chart REPO/CHART@VERSION', 'the Helm chart (https:// or oci:// repository)'],
      ['--layer L', 'platform (default), storage, observability, inference, mcp, agents or benchmarks'],
      ['--namespace NS', 'the namespace it deploys to (default NAME-system)'],
      ['--mcp-server', 'an MCP server component on overlays/_shared/mcp-server, shaped like the existing ones'],
      MIRROR,
      FETCH,
    ],
    examples: [['npm run component -- add kueue --chart oci://registry.k8s.io/kueue/charts/kueue@0.14.1', 'scaffold apps/kueue/'], ['npm run component -- add mcp-slack --mcp-server', 'scaffold apps/mcp-slack/']],
  },
  prerequisites: {
    synopsis: 'catalyst prerequisites [--env NAME]... [--format text|json]',
    summary: 'what must exist outside the env before Argo CD syncs it (the same as generated/<env>/PREREQUISITES.md): Argo CD, secret-store keys, DNS, ingress, storage, GPU nodes, CRDs and operators',
    options: [ENV, fmt('text', 'json')],
    examples: [['npm run prerequisites -- --env prod', 'as Markdown'], ['npm run prerequisites -- --env prod --format json', 'as JSON']],
  },
  simulate: {
    synopsis: 'catalyst simulate [--env NAME]... [--format text|json|github] [--chart-mirror DIR]',
    summary: 'predict Argo CD bootstrapping each env from its root.yaml: the timeline wave by wave and a finding for every stall, failure or ungated wave (docs/SIMULATION.md)',
    options: [ENV, fmt('text', 'json', 'github'), MIRROR],
    examples: [['npm run simulate', 'every env'], ['npm run simulate -- --env prod', 'prod and the envs sharing its Argo CD']],
    exit: '0 every env converges, 1 a stall or failure, 2 usage',
  },
  help: {
    synopsis: 'catalyst help [COMMAND]',
    summary: 'the usage of every command, or of one',
    options: [],
    examples: [['npx catalyst help diff', 'diff\'s options and examples']],
  },
};

export const GLOBAL_USAGE = `usage: catalyst <command> [options]        (catalyst help <command>, catalyst <command> --help)
${Object.entries(COMMANDS)
  .map(([n, h]) => `  ${n.padEnd(14)}${h.summary.split(/[:;(]/)[0]!.trim()}`)
  .join('\n')}
global options:
  --help, -h    this text, or a command's with a command
  --version     the version of catalyst
  --format FMT  text (default), json (one JSON document on stdout, errors included), github, markdown (diff)
exit codes: 0 ok, 1 findings, 2 usage or environment
`;

export function commandHelp(cmd: string): string {
  const h = COMMANDS[cmd]!;
  const width = Math.max(0, ...h.options.map(([o]) => o.length));
  return [
    `usage: ${h.synopsis}`,
    '',
    h.summary,
    ...(h.options.length ? ['', 'options:', ...h.options.map(([o, d]) => `  ${o.padEnd(width)}  ${d}`)] : []),
    '',
    'examples:',
    ...h.examples.map(([c, d]) => `  ${c}\n      ${d}`),
    '',
    `exit codes: ${h.exit ?? '0 ok, 1 findings, 2 usage'}`,
    '',
  ].join('\n');
}

/** The flags of each command (without --help); cli.ts rejects any other. */
export function flagsOf(cmd: string): string[] {
  return (COMMANDS[cmd]?.options ?? []).map(([o]) => o.split(' ')[0]!);
}

/** The values --format takes for a command. */
export function formatsOf(cmd: string): string[] {
  const opt = COMMANDS[cmd]?.options.find(([o]) => o.startsWith('--format '));
  return opt ? opt[0].slice('--format '.length).split('|') : ['text', 'json'];
}
