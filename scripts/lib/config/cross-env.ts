/**
 * Rules across the environments that share one Argo CD (same argocd.instance): AppProjects,
 * Applications and cluster Secrets are objects in one namespace there, and argocd-cm is one
 * object, so a name two envs both use is overwritten by whichever root syncs last. A copied
 * env file is the usual cause; each finding names both files.
 */
import type { ResolvedEnv } from './environment.ts';
import type { Finding } from '../findings.ts';
import { finding } from './rules/types.ts';

/** The Argo CD an env's root lives in: argocd.instance, by default one of its own. */
export const instanceOf = (env: ResolvedEnv): string => env.config.argocd.instance ?? env.name;
const IN_CLUSTER = 'https://kubernetes.default.svc';

interface Unique {
  pointer: string;
  what: string;
  value: (env: ResolvedEnv) => string | undefined;
}

const UNIQUE: Unique[] = [
  { pointer: '/argocd/project', what: 'AppProject', value: (e) => e.config.argocd.project },
  { pointer: '/argocd/project', what: 'root AppProject', value: (e) => `${e.config.argocd.project}-root` },
  { pointer: '/name', what: 'root Application', value: (e) => `${e.name}-root` },
  { pointer: '/cluster/domain', what: 'cluster.domain', value: (e) => e.config.cluster.domain },
  { pointer: '/secrets/keyPrefix', what: 'secrets.keyPrefix', value: (e) => e.config.secrets.keyPrefix ?? '' },
  { pointer: '/cluster/server', what: 'registered cluster server', value: (e) => (e.config.cluster.server === IN_CLUSTER ? undefined : e.config.cluster.server) },
];

/** Findings about `env` (located in its files) against the other envs of the same Argo CD. */
export function crossEnvFindings(env: ResolvedEnv, all: readonly ResolvedEnv[]): Finding[] {
  const instance = instanceOf(env);
  const peers = all.filter((e) => e.name !== env.name && instanceOf(e) === instance).sort((a, b) => a.name.localeCompare(b.name));
  const shared = `share the Argo CD instance "${instance}"`;
  const out: Finding[] = [];
  for (const u of UNIQUE) {
    const mine = u.value(env);
    if (mine === undefined) continue;
    for (const p of peers.filter((q) => u.value(q) === mine)) {
      out.push(finding(env, u.pointer, `${env.file} and ${p.file} ${shared} and both use ${u.what} ${JSON.stringify(mine)}: the later sync overwrites the other (set a different value, or a different argocd.instance)`));
    }
  }
  if (!peers.length) return out;
  const managers = [env, ...peers].filter((e) => e.config.argocd.manager === true);
  if (!managers.length) {
    out.push(finding(env, '/argocd', `${env.file} and ${peers[0]!.file} ${shared}, and none of them sets argocd.manager: true: each root would sync argocd-cm (one object); make one env the manager (its root.yaml creates every root through an ApplicationSet and owns argocd-cm), or set a different argocd.instance`));
  } else if (env.config.argocd.manager === true && managers.length > 1) {
    const other = managers.find((m) => m.name !== env.name)!;
    out.push(finding(env, '/argocd/manager', `${env.file} and ${other.file} ${shared} and both set argocd.manager: true: argocd-cm and the ApplicationSet need exactly one owner`));
  }
  return out;
}

/** A remote cluster needs a way for Argo CD to reach it (argocd.cluster), in-cluster needs none. */
export function clusterRegistrationFindings(env: ResolvedEnv): Finding[] {
  if (env.config.cluster.server === IN_CLUSTER || env.config.argocd.cluster) return [];
  return [
    finding(env, '/cluster/server', `cluster.server ${env.config.cluster.server} is not in-cluster, so Argo CD needs a cluster Secret for it: set argocd.cluster (store and key of its token and CA), or use https://kubernetes.default.svc when Argo CD runs in this cluster`),
  ];
}

/** Every Argo CD rule for `env`, given all the valid envs of the project. */
export function argoEnvFindings(env: ResolvedEnv, all: readonly ResolvedEnv[]): Finding[] {
  return [...clusterRegistrationFindings(env), ...crossEnvFindings(env, all)];
}
