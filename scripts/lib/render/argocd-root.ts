/**
 * The data of what an admin applies once per environment (generated/<env>/root.yaml, shaped
 * by overlays/_argocd/root.hbs): the root's own AppProject, the child project and its fence
 * (argocd-fence.ts), the cluster Secret registration of a remote cluster, and the root
 * Application or, where several envs share one Argo CD, the ApplicationSet that creates every
 * env's root.
 */
import type { ResolvedEnv } from '../config/environment.ts';
import type { Plan } from '../plan/plan.ts';
import { argoContext, IN_CLUSTER } from './argocd.ts';
import { fenceOf } from './argocd-fence.ts';
import { instanceOf } from '../config/cross-env.ts';

/** What this env's root.yaml and apps/ hold, given the envs that share its Argo CD. */
export interface ArgoRole {
  /** Envs (this one included) managed by the same Argo CD, sorted by name. */
  peers: ResolvedEnv[];
  /** root.yaml holds the ApplicationSet that creates every peer's root (argocd.manager). */
  applicationSet: boolean;
  /** root.yaml holds the root Application itself (no ApplicationSet creates it). */
  rootApplication: boolean;
}

export const rootProjectName = (env: ResolvedEnv): string => `${env.config.argocd.project}-root`;
export const rootName = (env: ResolvedEnv): string => `${env.name}-root`;
export const clusterSecretName = (env: ResolvedEnv): string => `cluster-${env.name}`;
const appsPath = (env: ResolvedEnv): string => `generated/${env.name}/apps`;
/**
 * No root syncs argocd-cm: the health keys are in every root.yaml (applied by the admin), and the
 * root project permits only Applications. Argo CD v3.3.14 cannot narrow a namespaced kind to a
 * name (AppProject namespaceResourceWhitelist is a list of GroupKinds:
 * pkg/apis/application/v1alpha1/types.go, app_project_types.go IsGroupKindNamePermitted), so a
 * ConfigMap grant would let a commit rewrite argocd-rbac-cm or argocd-cmd-params-cm too.
 */
const ROOT_SYNC_OPTIONS: string[] = [];

/** The role of `env` among all valid envs of the project. */
export function argoRole(env: ResolvedEnv, all: readonly ResolvedEnv[]): ArgoRole {
  const peers = [env, ...all.filter((e) => e.name !== env.name && instanceOf(e) === instanceOf(env))].sort((a, b) => a.name.localeCompare(b.name));
  const manager = env.config.argocd.manager === true;
  const managed = peers.some((p) => p.config.argocd.manager === true);
  return {
    peers,
    applicationSet: manager,
    rootApplication: !managed,
  };
}

/** The cluster Secret registration of a remote cluster (from argocd.cluster); undefined when in-cluster. */
function registration(env: ResolvedEnv): Record<string, unknown> | undefined {
  const cfg = env.config;
  const reg = cfg.argocd.cluster;
  if (cfg.cluster.server === IN_CLUSTER || !reg) return undefined;
  return {
    name: clusterSecretName(env),
    store: { kind: reg.store.kind ?? 'ClusterSecretStore', name: reg.store.name },
    key: reg.key,
    server: cfg.cluster.server,
    refreshInterval: cfg.secrets.refreshInterval,
  };
}

/**
 * The elements of the ApplicationSet's list generator, one per env of the shared Argo CD
 * (admin-controlled, as applicationset Security.md requires for a templated project), each
 * with its own sync policy.
 */
function rootElements(manager: ResolvedEnv, role: ArgoRole): Record<string, unknown>[] {
  return role.peers.map((env) => ({
    env: env.name,
    project: rootProjectName(env),
    revision: env.config.argocd.targetRevision,
    path: appsPath(env),
    sync: env.config.sync,
    syncOptions: ROOT_SYNC_OPTIONS,
  }));
}

/** The context of overlays/_argocd/root.hbs. */
export function rootData(plan: Plan, role: ArgoRole): Record<string, unknown> {
  const env = plan.env;
  return {
    ...argoContext(env),
    rootProject: rootProjectName(env),
    fence: fenceOf(plan),
    registration: registration(env),
    root: role.rootApplication ? { name: rootName(env), path: appsPath(env), syncOptions: ROOT_SYNC_OPTIONS } : undefined,
    appSet: role.applicationSet ? { name: `catalyst-roots-${instanceOf(env)}`, elements: rootElements(env, role) } : undefined,
  };
}
