/**
 * kustomize errors, explained: the file a failing build points at (relative to the
 * project) and a short message, instead of kustomize's nested accumulation trace.
 */
import { join } from 'node:path';
import { rel } from '../../paths.ts';
import type { Finding } from '../../findings.ts';

/** A kustomize build failure as a finding (thrown by hydrate, reported by check). */
export class KustomizeBuildError extends Error {
  /** Every finding that stopped the build (the first is `finding`). */
  readonly findings: Finding[];
  constructor(public readonly finding: Finding, more: Finding[] = []) {
    super(finding.message);
    this.name = 'KustomizeBuildError';
    this.findings = [finding, ...more];
  }
}

/**
 * `root` is the project, `tempRoot` the temp dir holding generated/<env> during the build.
 */
export function kustomizeErrorFinding(root: string, tempRoot: string, env: string, stderr: string): Finding {
  const toProject = (p: string): string => (p.startsWith(tempRoot) ? rel(tempRoot, p) : p.startsWith(root) ? rel(root, p) : p);
  const dirs = [...stderr.matchAll(/recursed accumulation of path '([^']+)'/g)].map((m) => m[1]!);
  const dir = dirs[dirs.length - 1];
  const dup = /merging resources from '([^']+)': may not add resource with an already registered id: ([^':]+)/.exec(stderr);
  if (dup && dir) {
    const message = `duplicate object ${dup[2]} (kustomize: may not add resource with an already registered id)`;
    return { file: toProject(join(dir, dup[1]!)), line: 1, col: 1, path: '', message };
  }
  const inner = /err="(.*)"/s.exec(stderr)?.[1] ?? stderr;
  const parts = inner.split(/: (?=[a-z'])/).filter((s) => !/^(accumulat|recursed|must build|merging|couldn't make target)/.test(s));
  const last = (parts[parts.length - 1] ?? inner).split(tempRoot).join('').trim();
  const file = dir ? `${toProject(dir)}/kustomization.yaml` : `generated/${env}/kustomization.yaml`;
  return { file, line: 0, col: 0, path: '', message: `kustomize build failed: ${last}` };
}
