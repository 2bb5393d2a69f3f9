/**
 * catalyst: render | validate | check | graph | diff | hydrate | charts | simulate.
 * Exit codes: 0 ok, 1 findings (invalid config, drift, invalid output), 2 usage or environment errors.
 */
import { parseArgs } from 'node:util';
import { EXIT_USAGE, type CommandOptions } from './lib/commands/common.ts';
import { projectPaths, ROOT } from './lib/paths.ts';
import { asFsError } from './lib/fs/errors.ts';
import { LockBusyError } from './lib/render/lock.ts';
import type { Format } from './lib/commands/report.ts';
import { UsageError } from './lib/findings.ts';
import { didYouMean } from './lib/suggest.ts';
import { logSafe } from './lib/log-safe.ts';
import { onCacheNote } from './lib/cache-entry.ts';

const USAGE = `usage: catalyst <command> [--env NAME]... [--format text|json|github|markdown] [options]
       catalyst diff --base REF [--affected] [--allow-new-hosts] [--chart-mirror DIR]
  render     validate every environment and write generated/<env>/ (all or nothing)
  validate   validate environment files and the component catalog; write nothing
  check      validate, compare generated/ with what the config produces, hydrate every Application
             (kustomize, helm, git) and run every output rule over the whole platform (what CI runs)
             [--kubeconform] [--chart-mirror DIR] [--fetch] [--require-all] [--base REF]
  graph      print the sync waves and dependencies of each environment
  diff       what changes in the cluster between git REF and the working tree: components,
             hydrated objects (a unified diff each), security-relevant changes; --affected lists
             only the envs and apps whose output changes; --format markdown for a PR comment
  hydrate    print the objects each Application stands for, as YAML [--app NAME]... [--chart-mirror DIR] [--fetch]
             [--expanded: also the objects the operators create from them (pods of models, Llama Stack)]
  charts     fetch every pinned chart into the cache, or build a chart mirror with --to DIR
  simulate   predict Argo CD bootstrapping each env from its root.yaml: the timeline wave by wave and
             a finding for every stall, failure or ungated wave (docs/SIMULATION.md) [--chart-mirror DIR]
options:
  --chart-mirror DIR  charts (DIR/<chart>-<version>.tgz) and git sources (DIR/git/<host>/<owner>/<repo>/<rev>/)
                      come only from DIR (default: $CATALYST_CHART_MIRROR)
  --fetch             pull charts missing from the cache (check and hydrate never fetch otherwise)
  --require-all       an Application that could not be hydrated is an error, not a warning
  --allow-new-hosts   diff: hosts added to apps/_hosts.yaml are accepted (otherwise each is a finding)
`;

type Command = (opts: CommandOptions) => number | Promise<number>;

/** `CI` set to anything but '' / 0 / false (GitHub Actions, GitLab and most runners set CI=true). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

export async function main(argv: string[], rawIo = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) }): Promise<number> {
  // Everything printed goes through the workflow-command defuse of its format (log-safe.ts):
  // CI prints it into a GitHub Actions log, where a config value must not run as a command.
  const fmt = formatOf(argv);
  const io = { out: logSafe(fmt, rawIo.out), err: logSafe(fmt, rawIo.err) };
  // A cache entry that fails its check is recomputed, and said once (not in JSON: stderr stays empty).
  const noted = new Set<string>();
  onCacheNote(
    fmt === 'json'
      ? undefined
      : (n) => {
          if (noted.has(n) || noted.size >= 20) return;
          noted.add(n);
          io.err(`note: ${n}\n`);
        },
  );
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string', multiple: true },
        format: { type: 'string', default: 'text' },
        kubeconform: { type: 'boolean', default: false },
        'chart-mirror': { type: 'string' },
        fetch: { type: 'boolean', default: false },
        'require-all': { type: 'boolean', default: false },
        lock: { type: 'boolean', default: false },
        verify: { type: 'boolean', default: false },
        app: { type: 'string', multiple: true },
        expanded: { type: 'boolean', default: false },
        to: { type: 'string' },
        base: { type: 'string' },
        affected: { type: 'boolean', default: false },
        'allow-new-hosts': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [cmd, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const format = values.format as Format;
    const formats = cmd === 'diff' ? ['text', 'json', 'markdown'] : ['text', 'json', 'github'];
    if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}, not "${format}"`);
    const commands: Record<string, () => Promise<Command>> = {
      // Loaded on demand: a command pays only for its own code (a reused render or check loads
      // neither the renderer nor the checker).
      render: async () => (await import('./lib/commands/render-command.ts')).renderCli,
      validate: async () => (await import('./lib/commands/validate.ts')).validateCommand,
      graph: async () => (await import('./lib/commands/graph.ts')).graphCommand,
      check: async () => (await import('./lib/commands/check-command.ts')).checkCommand,
      hydrate: async () => (await import('./lib/commands/hydrate.ts')).hydrateCommand,
      charts: async () => (await import('./lib/commands/charts.ts')).chartsCommand,
      diff: async () => (await import('./lib/commands/diff.ts')).diffCommand,
      simulate: async () => (await import('./lib/commands/simulate.ts')).simulateCommand,
    };
    const only: [string, unknown, string[]][] = [
      ['--app', values.app, ['hydrate']],
      ['--expanded', values.expanded || undefined, ['hydrate']],
      ['--to', values.to, ['charts']],
      ['--lock', values.lock || undefined, ['charts']],
      ['--verify', values.verify || undefined, ['charts']],
      ['--require-all', values['require-all'] || undefined, ['check']],
      ['--base', values.base, ['diff', 'check']],
      ['--affected', values.affected || undefined, ['diff']],
      ['--allow-new-hosts', values['allow-new-hosts'] || undefined, ['diff']],
      ['--chart-mirror', values['chart-mirror'], ['check', 'hydrate', 'diff', 'charts', 'simulate']],
      ['--fetch', values.fetch || undefined, ['check', 'hydrate']],
    ];
    for (const [flag, value, cmds] of only) {
      if (value !== undefined && cmd && !cmds.includes(cmd)) throw new UsageError(`${flag} is an option of ${cmds.length > 1 ? `${cmds.slice(0, -1).join(', ')} and ${cmds.at(-1)}` : cmds[0]}, not of ${cmd}`);
    }
    const pick = cmd ? commands[cmd] : undefined;
    if (!pick) throw new UsageError(cmd ? `unknown command "${cmd}"${didYouMean(cmd, Object.keys(commands))}` : 'no command given');
    const run = await pick();
    return await run({
      paths: projectPaths(process.env.CATALYST_ROOT || undefined),
      envs: values.env,
      format,
      kubeconform: values.kubeconform ?? false,
      chartMirror: values['chart-mirror'],
      fetch: values.fetch ?? false,
      requireAll: values['require-all'] === true || inCi(),
      lock: values.lock === true,
      verify: values.verify === true,
      apps: values.app,
      expanded: values.expanded ?? false,
      to: values.to,
      base: values.base,
      affected: values.affected ?? false,
      allowNewHosts: values['allow-new-hosts'] ?? false,
      // hydrate prints YAML for a pipe: its bytes are kept, except in a GitHub Actions log.
      out: cmd === 'hydrate' && !process.env.GITHUB_ACTIONS ? rawIo.out : io.out,
      err: io.err,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const usage = err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
    if (wantsJson(argv)) {
      io.out(`${JSON.stringify({ ok: false, error: usage ? 'usage' : 'internal', message }, null, 2)}\n`);
      return EXIT_USAGE;
    }
    if (usage) {
      io.err(`catalyst: ${message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (err instanceof LockBusyError) {
      io.err(`catalyst: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // A filesystem failure names the operation and the path: exit 1 in the user's tree, 2 in the tool's own files.
    const fsErr = asFsError(err, process.env.CATALYST_ROOT || ROOT);
    if (fsErr) {
      io.err(`catalyst: ${fsErr.message}\n`);
      return fsErr.exitCode;
    }
    io.err(`catalyst: internal error: ${message}${process.env.CATALYST_DEBUG ? `\n${(err as Error).stack ?? ''}` : ' (set CATALYST_DEBUG=1 for details)'}\n`);
    return EXIT_USAGE;
  }
}

/** --format json asks for one JSON document on stdout, errors included. */
function wantsJson(argv: string[]): boolean {
  return formatOf(argv) === 'json';
}

/** The --format asked for (the last one wins, as in parseArgs), before the arguments are parsed. */
function formatOf(argv: string[]): string {
  let f = 'text';
  argv.forEach((a, i) => {
    if (a.startsWith('--format=')) f = a.slice('--format='.length);
    else if (a === '--format' && argv[i + 1] !== undefined) f = argv[i + 1]!;
  });
  return f;
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
