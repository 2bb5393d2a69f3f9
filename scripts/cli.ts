/**
 * catalyst: render | validate | check | graph | diff | hydrate | charts | simulate | env | prerequisites | help.
 * Exit codes: 0 ok, 1 findings (invalid config, drift, invalid output), 2 usage or environment errors.
 * Usage errors are one line with a hint (`catalyst help CMD`); with --format json every outcome,
 * errors included, is one JSON document of the shape documented in README ("JSON output").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_USAGE, type CommandOptions } from './lib/commands/common.ts';
import { projectPaths, ROOT } from './lib/paths.ts';
import { asFsError } from './lib/fs/errors.ts';
import { LockBusyError } from './lib/render/lock.ts';
import type { Format } from './lib/commands/report.ts';
import { UsageError } from './lib/findings.ts';
import { didYouMean } from './lib/suggest.ts';
import { COMMANDS, GLOBAL_USAGE, commandHelp, flagsOf, formatsOf } from './lib/commands/help.ts';
import { logSafe } from './lib/log-safe.ts';
import { onCacheNote } from './lib/cache-entry.ts';

type Command = (opts: CommandOptions) => number | Promise<number>;

const OPTIONS = {
  env: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  kubeconform: { type: 'boolean', default: false },
  'chart-mirror': { type: 'string' },
  fetch: { type: 'boolean', default: false },
  'require-all': { type: 'boolean', default: false },
  lock: { type: 'boolean', default: false },
  verify: { type: 'boolean', default: false },
  expanded: { type: 'boolean', default: false },
  'allow-new-hosts': { type: 'boolean', default: false },
  app: { type: 'string', multiple: true },
  to: { type: 'string' },
  base: { type: 'string' },
  affected: { type: 'boolean', default: false },
  from: { type: 'string' },
  instance: { type: 'string' },
  chart: { type: 'string' },
  layer: { type: 'string' },
  namespace: { type: 'string' },
  'mcp-server': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

const LOADERS: Record<string, () => Promise<Command>> = {
  // Loaded on demand: a command pays only for its own code (a reused render or check loads
  // neither the renderer nor the checker).
  render: async () => (await import('./lib/commands/render-command.ts')).renderCli,
  validate: async () => (await import('./lib/commands/validate.ts')).validateCommand,
  graph: async () => (await import('./lib/commands/graph.ts')).graphCommand,
  check: async () => (await import('./lib/commands/check-command.ts')).checkCommand,
  hydrate: async () => (await import('./lib/commands/hydrate.ts')).hydrateCommand,
  charts: async () => (await import('./lib/commands/charts.ts')).chartsCommand,
  diff: async () => (await import('./lib/commands/diff.ts')).diffCommand,
  env: async () => (await import('./lib/commands/env.ts')).envCommand,
  prerequisites: async () => (await import('./lib/commands/prerequisites.ts')).prerequisitesCommand,
  simulate: async () => (await import('./lib/commands/simulate.ts')).simulateCommand,
  component: async () => (await import('./lib/commands/component.ts')).componentCommand,
};

/** `CI` set to anything but '' / 0 / false (GitHub Actions, GitLab and most runners set CI=true). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/** The version of catalyst (package.json). */
export function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** node:util's parse errors, as one plain sentence with a suggestion. */
function parseError(err: Error, argv: string[]): UsageError {
  const m = /Unknown option '([^']+)'/.exec(err.message);
  if (m) return new UsageError(`unknown option ${m[1]}${didYouMean(m[1]!, Object.keys(OPTIONS).map((o) => `--${o}`))}`);
  const v = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(err.message);
  if (v) return new UsageError(`${v[1]} needs a value`);
  const b = /Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(err.message);
  if (b) return new UsageError(`${b[1]} takes no value`);
  return new UsageError(err.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') || `cannot read the arguments ${argv.join(' ')}`);
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
  let cmd: string | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    } catch (err) {
      cmd = argv.find((a) => !a.startsWith('-'));
      if (cmd && !COMMANDS[cmd]) cmd = undefined;
      throw (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? parseError(err as Error, argv) : err;
    }
    const { positionals, values } = parsed;
    const [first, ...rest] = positionals;
    cmd = first && COMMANDS[first] ? first : undefined;
    if (values.version) {
      io.out(values.format === 'json' ? `${JSON.stringify({ command: 'version', ok: true, findings: [], summary: { text: `catalyst ${version()}`, findings: 0, warnings: 0 }, version: version() }, null, 2)}\n` : `catalyst ${version()}\n`);
      return EXIT_OK;
    }
    if (first === 'help' || (!first && values.help)) {
      const topic = first === 'help' ? (rest[0] ?? (values.help ? 'help' : undefined)) : undefined;
      if (topic !== undefined && !COMMANDS[topic]) throw new UsageError(`help: unknown command "${topic}"${didYouMean(topic, Object.keys(COMMANDS))}`);
      io.out(topic ? commandHelp(topic) : GLOBAL_USAGE);
      return EXIT_OK;
    }
    if (!first) throw new UsageError('no command given');
    if (!cmd) throw new UsageError(`unknown command "${first}"${didYouMean(first, Object.keys(COMMANDS))}`);
    if (values.help) {
      io.out(commandHelp(cmd));
      return EXIT_OK;
    }
    if (rest.length && cmd !== 'env' && cmd !== 'component') throw new UsageError(`unexpected argument "${rest[0]}"`);
    const format = values.format as Format;
    const formats = formatsOf(cmd);
    if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}, not "${format}"${didYouMean(format, formats)}`);
    // An option given to a command that does not take it: name the commands that do.
    const given = argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!);
    for (const flag of new Set(given)) {
      if (flag === '--format' || flag === '--help' || flag === '--' || flagsOf(cmd).includes(flag)) continue;
      const owners = Object.keys(COMMANDS).filter((c) => flagsOf(c).includes(flag));
      if (owners.length) throw new UsageError(`${flag} is an option of ${owners.length > 1 ? `${owners.slice(0, -1).join(', ')} and ${owners.at(-1)}` : owners[0]}, not of ${cmd}`);
    }
    const run = await LOADERS[cmd]!();
    return await run({
      paths: projectPaths(process.env.CATALYST_ROOT || undefined),
      envs: values.env,
      format,
      kubeconform: values.kubeconform ?? false,
      chartMirror: values['chart-mirror'],
      fetch: values.fetch ?? false,
      // In CI every Application is required: a check there never passes on what it could not see.
      requireAll: values['require-all'] === true || inCi(),
      lock: values.lock === true,
      verify: values.verify === true,
      expanded: values.expanded ?? false,
      allowNewHosts: values['allow-new-hosts'] ?? false,
      apps: values.app,
      to: values.to,
      base: values.base,
      affected: values.affected ?? false,
      args: rest,
      from: values.from,
      instance: values.instance,
      chart: values.chart,
      layer: values.layer,
      namespace: values.namespace,
      mcpServer: values['mcp-server'] === true,
      out: io.out,
      err: io.err,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const usage = err instanceof UsageError;
    const hint = usage ? (cmd && cmd !== 'help' ? `catalyst help ${cmd}` : 'catalyst help') : undefined;
    if (wantsJson(argv)) {
      const kind = usage ? 'usage' : err instanceof LockBusyError ? 'busy' : 'internal';
      io.out(`${JSON.stringify(errorDocument(cmd, kind, message, hint), null, 2)}\n`);
      return EXIT_USAGE;
    }
    if (usage) {
      io.err(`catalyst: ${message} (see: ${hint})\n`);
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

/**
 * The JSON document of a command that did not run: the shape of every outcome (command, ok,
 * findings, summary) plus `error` {kind, message, hint}.
 */
export function errorDocument(cmd: string | undefined, kind: string, message: string, hint?: string): Record<string, unknown> {
  return { command: cmd ?? null, ok: false, findings: [], summary: { text: message, findings: 0, warnings: 0 }, error: { kind, message, hint: hint ?? null } };
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
