/**
 * One Application's sync operation, stepped the way gitops-engine runs it
 * (argoproj/argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go `Sync`):
 * - every attempt first validates all tasks (`getSyncTasks`): a custom kind the API server does
 *   not serve fails the attempt unless SkipDryRunOnMissingResource is set or its CRD is in the
 *   same sync ("one or more synchronization tasks are not valid"); then a dry run, which needs
 *   each object's namespace;
 * - tasks run by phase (PreSync, Sync, PostSync), then wave, lowest first; a wave is applied at
 *   once and, when the sync has more than one step, the next starts only when every task of it
 *   is Healthy or has no health; Degraded fails the operation; hooks are always waited for;
 * - "if it is the last phase/wave and the only remaining tasks are non-hooks, then we are
 *   successful EVEN if those objects subsequently degraded": the last wave is never waited for.
 * A failed attempt is retried by the controller (controller/appcontroller.go
 * processRequestedAppOperation); the operation stays Running until the last retry.
 */
import type { K8sObject } from '../../findings.ts';
import { builtinClusterScoped, crdScopes } from '../../config/kube/builtin-scopes.ts';
import { crdKeyOf, isBuiltinGroup, refKey, type Cluster, type Instance, type World } from './cluster.ts';
import { predictHealth, type Health } from './health.ts';
import { groupKind, groupOf, hookInfo, PHASES, podRefs, podSpecOf, syncOptions, waveOf, type Phase } from './objects.ts';

export const SYNC_CONTEXT = 'argoproj/argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go';

export interface SimObject {
  obj: K8sObject;
  file: string;
  line: number;
}

export interface Task extends SimObject {
  ns: string;
  phase: Phase;
  wave: number;
  hook: boolean;
  state: 'pending' | 'applied' | 'done';
  health?: Health;
}

export type OpStatus = 'not-created' | 'running' | 'waiting' | 'retrying' | 'failed' | 'succeeded';

export interface Blocked {
  task?: Task;
  reason: string;
  rule: string;
  /** `apply`: the attempt failed (retried); `health`: the wave waits. */
  on: 'apply' | 'health';
}

export interface TimelineStep {
  phase: Phase;
  wave: number;
  applied: string[];
  note?: string;
}

/** How a root sees one of its children: an Application object with the status the controller would write. */
export type ChildView = (app: K8sObject) => Health;

export class AppRun {
  status: OpStatus = 'not-created';
  tasks: Task[];
  blocked?: Blocked;
  attempts = 0;
  steps: TimelineStep[] = [];
  /** Longest a non-final wave of this operation waits on a run-to-completion task (seconds). */
  holds: { task: Task; seconds: number }[] = [];
  private validated = false;
  /** World version when the last attempt failed: the next attempt waits for a change. */
  private failedAt = -1;
  readonly options: string[];

  constructor(
    readonly name: string,
    readonly application: SimObject,
    objects: SimObject[],
    readonly destNamespace: string,
    readonly wave: number,
    isClusterScoped: ClusterScoped,
  ) {
    const spec = (application.obj.spec ?? {}) as Record<string, unknown>;
    const policy = (spec.syncPolicy ?? {}) as Record<string, unknown>;
    this.options = Array.isArray(policy.syncOptions) ? policy.syncOptions.filter((s): s is string => typeof s === 'string') : [];
    this.tasks = [];
    for (const o of objects) {
      const h = hookInfo(o.obj);
      const ns = o.obj.metadata.namespace ?? (isClusterScoped(o.obj) ? '' : destNamespace);
      for (const phase of h.phases) this.tasks.push({ ...o, ns, phase, wave: waveOf(o.obj), hook: h.hook, state: 'pending' });
    }
    this.tasks.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.wave - b.wave || kindOrder(a.obj) - kindOrder(b.obj));
  }

  get retryLimit(): number {
    const spec = (this.application.obj.spec ?? {}) as Record<string, unknown>;
    const retry = ((spec.syncPolicy ?? {}) as Record<string, unknown>).retry as Record<string, unknown> | undefined;
    return typeof retry?.limit === 'number' ? retry.limit : 5;
  }

  start(): void {
    this.status = 'running';
    this.attempts = 1;
  }

  /** A new attempt: tasks pending again, objects stay in the cluster. */
  private retry(b: Blocked, version: number): void {
    this.failedAt = version;
    this.blocked = b;
    this.status = 'retrying';
    this.validated = false;
    for (const t of this.tasks) t.state = 'pending';
  }

  /** Advance as far as the cluster allows; true when something changed. */
  step(cluster: Cluster, instance: Instance, view: ChildView, applied: (t: Task) => void): boolean {
    if (this.status !== 'running' && this.status !== 'waiting' && this.status !== 'retrying') return false;
    let progress = false;
    if (this.status === 'retrying' && this.failedAt === cluster.world.version) return false;
    if (!this.validated) {
      const v = this.validate(cluster);
      if (v) {
        const changed = this.blocked?.reason !== v.reason;
        this.retry(v, cluster.world.version);
        return changed;
      }
      this.validated = true;
      if (this.status === 'retrying') {
        this.attempts++;
        this.status = 'running';
        progress = true;
      }
    }
    for (;;) {
      const open = this.tasks.filter((t) => t.state !== 'done');
      if (!open.length) {
        this.status = 'succeeded';
        this.blocked = undefined;
        return true;
      }
      const first = open[0]!;
      const group = open.filter((t) => t.phase === first.phase && t.wave === first.wave);
      const last = this.tasks[this.tasks.length - 1]!;
      const finalWave = first.phase === last.phase && first.wave === last.wave;
      const pending = group.filter((t) => t.state === 'pending');
      if (pending.length) {
        // In kind order (namespaces and CRDs first, sync_tasks.go), so a wave may create the
        // namespace or the CRD its other objects need.
        for (const t of pending) {
          const why = applyBlocker(t, cluster);
          if (why) {
            this.retry({ task: t, reason: why.reason, rule: why.rule, on: 'apply' }, cluster.world.version);
            return true;
          }
          t.state = 'applied';
          applied(t);
        }
        this.steps.push({ phase: first.phase, wave: first.wave, applied: pending.map((t) => `${t.obj.kind}/${t.obj.metadata.name}${t.hook ? ' (hook)' : ''}`) });
        progress = true;
      }
      const multiStep = this.tasks.some((t) => t.phase !== first.phase || t.wave !== first.wave);
      let waiting: Blocked | undefined;
      for (const t of group) {
        if (!multiStep && !t.hook) {
          t.state = 'done';
          continue;
        }
        if (finalWave && !t.hook) {
          t.state = 'done';
          continue;
        }
        const h = isApplication(t.obj) ? view(t.obj) : predictHealth(t.obj, t.ns, cluster, instance);
        t.health = h;
        if (h.status === 'Degraded') {
          this.retry({ task: t, reason: `${t.obj.kind}/${t.obj.metadata.name} is Degraded${h.reason ? `: ${h.reason}` : ''}`, rule: h.rule ?? SYNC_CONTEXT, on: 'apply' }, cluster.world.version);
          return true;
        }
        if (h.status === 'Progressing') {
          waiting ??= { task: t, reason: `${t.obj.kind}/${t.obj.metadata.name} is Progressing${h.reason ? `: ${h.reason}` : ''}`, rule: h.rule ?? SYNC_CONTEXT, on: 'health' };
          continue;
        }
        if (h.holdSeconds) this.holds.push({ task: t, seconds: h.holdSeconds });
        t.state = 'done';
        progress = true;
      }
      if (waiting) {
        const changed = this.status !== 'waiting' || this.blocked?.reason !== waiting.reason;
        this.status = 'waiting';
        this.blocked = waiting;
        return progress || changed;
      }
      this.status = 'running';
      this.blocked = undefined;
    }
  }

  /** getSyncTasks and the dry run: every kind served (or skippable), every namespace there. */
  private validate(cluster: Cluster): Blocked | undefined {
    const crdsHere = new Set(this.tasks.filter((t) => t.obj.kind === 'CustomResourceDefinition').map((t) => crdKeyOf(t.obj)));
    for (const t of this.tasks) {
      const g = groupOf(t.obj);
      if (isBuiltinGroup(g) || cluster.servesKind(g, t.obj.kind) || crdsHere.has(`crd/${g}/${t.obj.kind}`)) continue;
      if (syncOptions(t.obj, this.options).has('SkipDryRunOnMissingResource=true')) continue;
      return { task: t, reason: `the server could not find the requested resource ${g}/${t.obj.kind} (its CRD is not installed yet; no SkipDryRunOnMissingResource)`, rule: `${SYNC_CONTEXT} (getSyncTasks)`, on: 'apply' };
    }
    const nsHere = new Set(this.tasks.filter((t) => t.obj.kind === 'Namespace' && groupOf(t.obj) === '').map((t) => t.obj.metadata.name ?? ''));
    for (const t of this.tasks) {
      if (t.ns && !cluster.namespaceExists(t.ns) && !nsHere.has(t.ns) && !syncOptions(t.obj, this.options).has('CreateNamespace=true')) {
        return { task: t, reason: `namespaces "${t.ns}" not found (dry run)`, rule: `${SYNC_CONTEXT} (Sync: dry run)`, on: 'apply' };
      }
    }
    return undefined;
  }

  /** At a fixpoint: a retrying operation has spent its retries. */
  exhaust(world: World): boolean {
    if (this.status !== 'retrying') return false;
    this.status = 'failed';
    world.bump();
    return true;
  }

  /** At a fixpoint: a task waiting past its deadline turns Degraded, failing the attempt. */
  expireDeadline(world: World): boolean {
    if (this.status !== 'waiting' || !this.blocked?.task?.health?.deadline) return false;
    const t = this.blocked.task;
    this.retry({ task: t, reason: `${t.obj.kind}/${t.obj.metadata.name} turned Degraded after ${t.health!.deadline}: ${t.health!.reason ?? ''}`, rule: t.health!.rule ?? SYNC_CONTEXT, on: 'apply' }, -1);
    world.bump();
    return true;
  }
}

export const isApplication = (o: K8sObject): boolean => o.apiVersion === 'argoproj.io/v1alpha1' && o.kind === 'Application';

/** What keeps an object from being applied now (kubectl apply in sync_context.go applyObject). */
function applyBlocker(t: Task, cluster: Cluster): { reason: string; rule: string } | undefined {
  const g = groupOf(t.obj);
  if (!isBuiltinGroup(g) && !cluster.servesKind(g, t.obj.kind)) {
    return { reason: `the server could not find the requested resource ${g}/${t.obj.kind} (CRD not installed)`, rule: `${SYNC_CONTEXT} (applyObject)` };
  }
  if (t.ns && !cluster.namespaceExists(t.ns)) return { reason: `namespaces "${t.ns}" not found`, rule: `${SYNC_CONTEXT} (applyObject)` };
  if (t.obj.kind === 'Pod' && g === '') {
    const spec = podSpecOf(t.obj)!;
    for (const r of podRefs(spec)) {
      if (r.blocks === 'create' && !cluster.has(refKey(r, t.ns))) return { reason: `pods "${t.obj.metadata.name}" is forbidden: ${r.kind} ${r.name} not found`, rule: `${SYNC_CONTEXT} (applyObject)` };
    }
  }
  return undefined;
}

/** Whether an object's kind is cluster-scoped (Argo CD leaves its namespace empty). */
export type ClusterScoped = (o: K8sObject) => boolean;

/**
 * The scope of every kind an instance syncs: the built-in kinds from the Kubernetes models
 * (config/kube/builtin-scopes.ts) and the custom kinds of the CRDs among the objects (spec.scope).
 */
export function clusterScopeOf(objects: Iterable<K8sObject>): ClusterScoped {
  const cluster = new Set(builtinClusterScoped());
  for (const [kind, isCluster] of crdScopes(objects)) if (isCluster) cluster.add(kind);
  return (o) => cluster.has(groupKind(o));
}

/** gitops-engine/pkg/sync/sync_tasks.go kindOrder (the kinds this platform uses): namespaces and CRDs first. */
const KIND_ORDER = ['Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService'];
function kindOrder(o: K8sObject): number {
  const i = KIND_ORDER.indexOf(o.kind);
  return i < 0 ? KIND_ORDER.length : i;
}
