/** Shared set-up for the hydration tests: isolated helm home, packaged fixture charts, Applications. */
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { K8sObject } from '../../../../scripts/lib/findings.ts';
import { runHelm } from '../../../../scripts/lib/tools/helm.ts';
import { mirrorGitPath } from '../../../../scripts/lib/verify/hydration/argocd-source/chart-mirror.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures');
export const DEMO_CHART = path.join(FIXTURES, 'charts', 'demo');

const HELM_HOMES = ['HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME'] as const;

/** A temp dir, and helm's cache/config/data homes inside it so tests never touch ~/.cache/helm. */
export async function sandbox(): Promise<{ dir: string; restore: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-hydrate-test-'));
  const saved = Object.fromEntries([...HELM_HOMES, 'HELM'].map((k) => [k, process.env[k]]));
  for (const k of HELM_HOMES) process.env[k] = path.join(dir, 'helm-home', k.toLowerCase());
  return {
    dir,
    restore: async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `helm package <chart> --destination <dest>` with the real helm; returns the .tgz path. */
export async function packageChart(chartDir: string, dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  const before = new Set(await readdir(dest));
  await runHelm(['package', chartDir, '--destination', dest]);
  const made = (await readdir(dest)).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (made.length !== 1 || !made[0]) throw new Error(`helm package made ${made.length} files`);
  return path.join(dest, made[0]);
}

/** Copy a fixture git tree into `mirror` at the layout for (repoURL, revision). */
export async function mirrorGitFixture(mirror: string, fixture: string, repoURL: string, revision: string): Promise<string> {
  const target = mirrorGitPath(mirror, repoURL, revision);
  await mkdir(path.dirname(target), { recursive: true });
  await cp(path.join(FIXTURES, 'git', fixture), target, { recursive: true });
  return target;
}

export function application(name: string, source: Record<string, unknown>, namespace = 'demo-ns'): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { project: 'default', source, destination: { server: 'https://kubernetes.default.svc', namespace } },
  };
}

export const KUBE = { kubeVersion: '1.35.0', apiVersions: [] as string[] };

/** Run `fn` with `process.env[name] = value`, then put the old value back. */
export async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}
