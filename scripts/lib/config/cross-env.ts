/**
 * Rules across environments. Two kinds of identity must not be shared:
 * - inside one Argo CD (same argocd.instance): AppProjects, Applications and cluster Secrets are
 *   objects in one namespace there, and argocd-cm is one object, so a name two envs both use is
 *   overwritten by whichever root syncs last;
 * - anywhere: what names an outside system per env (its DNS domain, its cluster, its SSO issuer,
 *   its Vault role and secret keys on one secret backend, its cluster credentials in Argo CD's
 *   store), so a copied env file never runs on another env's credentials.
 * A copied env file is the usual cause; each finding names both files and the field, and is
 * reported once, at the env that borrowed the value (`blamed`), never at the env it came from.
 */
import type { ResolvedEnv } from './environment.ts';
import type { Finding } from '../findings.ts';
import { finding } from './rules/types.ts';

/** The Argo CD an env's root lives in: argocd.instance, by default one of its own. */
export const instanceOf = (env: ResolvedEnv): string => env.config.argocd.instance ?? env.name;
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Another env of the project whose config did not resolve: its instance when it could be read. */
export interface UnresolvedPeer {
  name: string;
  /** argocd.instance as written (undefined: unknown, it may share this env's Argo CD). */
  instance?: string;
}

export interface Identity {
  pointer: string;
  what: string;
  value: (env: ResolvedEnv) => string | undefined;
  /** Two envs conflict only when their scopes are equal too (e.g. the same Argo CD, the same Vault). */
  scope: (env: ResolvedEnv) => string;
  /** How the shared scope reads in the message. */
  where: (env: ResolvedEnv) => string;
  /** A message of its own for this pair (the generic one when undefined). */
  message?: (env: ResolvedEnv, peer: ResolvedEnv, value: string) => string | undefined;
}

const sameArgo = { scope: (e: ResolvedEnv) => `argocd:${instanceOf(e)}`, where: (e: ResolvedEnv) => `share the Argo CD instance "${instanceOf(e)}"` };
const anywhere = { scope: () => '', where: () => 'are two environments' };
const vaultOf = (e: ResolvedEnv): { server?: string; role?: string } | undefined =>
  (e.config.secrets.store.provider as { vault?: { server?: string; role?: string } } | undefined)?.vault;
const issuerOf = (e: ResolvedEnv): string | undefined => {
  const gw = e.components.get('mcp-gateway');
  return gw?.enabled ? (gw.settings as { auth?: { issuerUrl?: string } }).auth?.issuerUrl : undefined;
};

/**
 * The secret backend an env's store reads: its provider block, and for the kubernetes provider
 * without a server (external-secrets reads the Secrets of the cluster it runs in) that cluster:
 * the remote server, or for in-cluster envs the Argo CD instance (one per cluster then).
 */
function backendOf(e: ResolvedEnv): string {
  const provider = e.config.secrets.store.provider as { kubernetes?: { server?: { url?: string } } } | undefined;
  const local = provider?.kubernetes && !provider.kubernetes.server?.url;
  const cluster = e.config.cluster.server === IN_CLUSTER ? `argocd:${instanceOf(e)}` : e.config.cluster.server;
  return `${JSON.stringify(provider ?? e.config.secrets.store.name)}${local ? `@${cluster}` : ''}`;
}

/** Every per-env identity, in the order findings are reported. `env add` derives each of them from the new name. */
export const IDENTITIES: Identity[] = [
  { pointer: '/argocd/project', what: 'AppProject', value: (e) => e.config.argocd.project, ...sameArgo },
  { pointer: '/argocd/project', what: 'root AppProject', value: (e) => `${e.config.argocd.project}-root`, ...sameArgo },
  { pointer: '/name', what: 'root Application', value: (e) => `${e.name}-root`, ...sameArgo },
  {
    pointer: '/argocd/cluster/key',
    what: 'cluster credentials key argocd.cluster.key',
    value: (e) => e.config.argocd.cluster?.key,
    scope: (e) => `argocd:${instanceOf(e)}:${e.config.argocd.cluster?.store.name ?? ''}`,
    where: (e) => `read cluster credentials from the store "${e.config.argocd.cluster?.store.name}" of the Argo CD instance "${instanceOf(e)}"`,
  },
  { pointer: '/cluster/domain', what: 'cluster.domain', value: (e) => e.config.cluster.domain, ...anywhere },
  {
    pointer: '/cluster/server',
    what: 'cluster.server',
    value: (e) => (e.config.cluster.server === IN_CLUSTER ? undefined : e.config.cluster.server),
    ...anywhere,
    message: (env, peer, server) => (instanceOf(env) === instanceOf(peer) ? undefined : twoInstances(env, peer, server)),
  },
  {
    pointer: '/secrets/keyPrefix',
    what: 'secrets.keyPrefix',
    value: (e) => e.config.secrets.keyPrefix ?? '',
    scope: (e) => `store:${backendOf(e)}`,
    where: () => 'read the same secret backend (secrets.store.provider)',
  },
  {
    pointer: '/secrets/store/provider/vault/role',
    what: 'Vault role',
    value: (e) => vaultOf(e)?.role,
    scope: (e) => `vault:${vaultOf(e)?.server ?? ''}`,
    where: (e) => `log in to the Vault ${vaultOf(e)?.server}`,
  },
  { pointer: '/components/mcp-gateway/auth/issuerUrl', what: 'SSO issuer', value: issuerOf, ...anywhere },
];

/**
 * One remote cluster registered by two Argo CD instances: each has a cluster Secret for it and a
 * root whose Applications sync and prune the same cluster, and nothing coordinates two instances.
 * Argo CD documents that one cluster managed from several instances needs an `installationID` per
 * instance in argocd-cm, or they conflict over what they track
 * (argoproj/argo-cd@v3.3.14:docs/user-guide/resource_tracking.md, "Installation ID"); the
 * project's argocd-cm sets none. Reported once, at the env that borrowed the server (`blamed`),
 * with the file and line of both sides.
 */
function twoInstances(env: ResolvedEnv, peer: ResolvedEnv, server: string): string {
  const here = finding(env, '/cluster/server', '');
  const there = finding(peer, '/cluster/server', '');
  return `cluster ${server} is registered by ${here.file}:${here.line} (Argo CD instance "${instanceOf(env)}") and by ${there.file}:${there.line} (Argo CD instance "${instanceOf(peer)}"): two Argo CDs would sync and prune the same cluster; give both envs one argocd.instance, or point this env at its own cluster`;
}

/** `value` names env `name` as a whole word (catalyst/staging/, catalyst-staging, staging.example.com). */
export function namesEnv(value: string, name: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${name.replace(/[-]/g, '\\-')}($|[^a-z0-9])`).test(value);
}

/**
 * Which of two envs sharing `value` reports it: the one that borrowed it. A value naming only
 * the other env was copied from it; otherwise the env that is not the manager, else the later name.
 */
function blamed(env: ResolvedEnv, peer: ResolvedEnv, value: string): boolean {
  const mine = namesEnv(value, env.name);
  const theirs = namesEnv(value, peer.name);
  if (theirs !== mine) return theirs;
  const mgr = (e: ResolvedEnv): boolean => e.config.argocd.manager === true;
  if (mgr(env) !== mgr(peer)) return mgr(peer);
  return env.name > peer.name;
}

/** Findings about `env` (located in its files) against the other envs of the project. */
export function crossEnvFindings(env: ResolvedEnv, all: readonly ResolvedEnv[], unresolved: readonly UnresolvedPeer[] = []): Finding[] {
  const others = all.filter((e) => e.name !== env.name).sort((a, b) => a.name.localeCompare(b.name));
  const out: Finding[] = [];
  for (const u of IDENTITIES) {
    const mine = u.value(env);
    if (mine === undefined) continue;
    for (const p of others.filter((q) => u.value(q) === mine && u.scope(q) === u.scope(env))) {
      if (!blamed(env, p, mine)) continue;
      const own = u.message?.(env, p, mine);
      out.push(
        finding(
          env,
          u.pointer,
          own ??
            `${env.file} and ${p.file} ${u.where(env)} and both use ${u.what} ${JSON.stringify(mine)}: each env needs its own (derive it from the env name, as \`catalyst env add\` does${u.scope === sameArgo.scope ? ', or set a different argocd.instance' : ''})`,
        ),
      );
    }
  }
  const instance = instanceOf(env);
  const peers = others.filter((e) => instanceOf(e) === instance);
  if (!peers.length) return out;
  const shared = `share the Argo CD instance "${instance}"`;
  const members = [env, ...peers].sort((a, b) => a.name.localeCompare(b.name));
  const managers = members.filter((e) => e.config.argocd.manager === true);
  // An env of this instance whose file does not resolve may be the manager: its own findings say what to fix.
  const maybeMember = unresolved.some((u) => u.instance === undefined || u.instance === instance);
  if (!managers.length && !maybeMember && members[0] === env) {
    out.push(finding(env, '/argocd', `${env.file} and ${peers[0]!.file} ${shared}, and none of them sets argocd.manager: true: each root would sync argocd-cm (one object); make one env the manager (its root.yaml creates every root through an ApplicationSet and owns argocd-cm), or set a different argocd.instance`));
  } else if (env.config.argocd.manager === true && managers.length > 1 && managers[0] !== env) {
    out.push(finding(env, '/argocd/manager', `${env.file} and ${managers[0]!.file} ${shared} and both set argocd.manager: true: argocd-cm and the ApplicationSet need exactly one owner`));
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

/** Every Argo CD rule for `env`, given all the valid envs of the project and those that did not resolve. */
export function argoEnvFindings(env: ResolvedEnv, all: readonly ResolvedEnv[], unresolved: readonly UnresolvedPeer[] = []): Finding[] {
  return [...clusterRegistrationFindings(env), ...crossEnvFindings(env, all, unresolved)];
}
