/**
 * The health Argo CD will read for an applied object, predicted from what exists in the
 * simulated cluster (no live status): gitops-engine's Go checks for native kinds
 * (argoproj/argo-cd@v3.3.14:gitops-engine/pkg/health/health.go GetHealthCheckFunc and the
 * health_*.go it names), an argocd-cm key or a built-in Lua check (resource_customizations) for
 * the rest; no check at all: no health (sync_context.go counts it successful once applied).
 */
import type { K8sObject } from '../../findings.ts';
import { ARGO_BUILTIN_LUA_HEALTH } from './builtin-health.ts';
import { refKey, type Cluster, type Instance } from './cluster.ts';
import { groupOf, isObj, podRefs, podSpecOf, producedBy } from './objects.ts';

export type Verdict = 'Healthy' | 'Progressing' | 'Degraded' | 'None';

export interface Health {
  status: Verdict;
  /** Why it is not Healthy (or what it holds for). */
  reason?: string;
  /** The upstream file that decides it. */
  rule?: string;
  /** A Progressing object that turns Degraded after a deadline (Deployment progressDeadlineSeconds, Job activeDeadlineSeconds). */
  deadline?: string;
  /** How long it may stay Progressing before it is done (a running Job): seconds, or Infinity when unbounded. */
  holdSeconds?: number;
}

const ARGO = 'argoproj/argo-cd@v3.3.14:';
const HEALTH = `${ARGO}gitops-engine/pkg/health/`;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Which health check applies to a kind (null: none). */
export function healthSource(o: K8sObject, instance: Instance): 'go' | 'lua-cm' | 'lua-builtin' | null {
  const g = groupOf(o);
  const gk = `${g}/${o.kind}`;
  if (instance.health.has(`${g}_${o.kind}`)) return 'lua-cm';
  const go: Record<string, string[]> = { apps: ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'], '': ['Service', 'PersistentVolumeClaim', 'Pod'], batch: ['Job'], autoscaling: ['HorizontalPodAutoscaler'], 'networking.k8s.io': ['Ingress'], 'apiregistration.k8s.io': ['APIService'] };
  if (go[g]?.includes(o.kind)) return 'go';
  if (ARGO_BUILTIN_LUA_HEALTH.has(gk) || ARGO_BUILTIN_LUA_HEALTH.has(`${g}/_`) || [...ARGO_BUILTIN_LUA_HEALTH].some((k) => k.startsWith('_.') && g.endsWith(k.slice(1, k.indexOf('/'))))) return 'lua-builtin';
  return null;
}

/** What keeps a pod of this spec from being created or started, or undefined. */
export function podBlocker(spec: Record<string, unknown>, ns: string, cluster: Cluster): { reason: string; create: boolean } | undefined {
  for (const r of podRefs(spec)) {
    if (r.kind === 'PersistentVolumeClaim') continue;
    if (!cluster.has(refKey(r, ns))) {
      return { reason: `${r.kind} ${r.name} (${r.via}) does not exist yet`, create: r.blocks === 'create' };
    }
  }
  for (const r of podRefs(spec)) {
    if (r.kind !== 'PersistentVolumeClaim') continue;
    const pvc = pvcHealth(ns, r.name, cluster);
    if (pvc.status !== 'Healthy') return { reason: `PersistentVolumeClaim ${r.name} (${r.via}): ${pvc.reason ?? 'not bound'}`, create: false };
  }
  return undefined;
}

/** gitops-engine health_pvc.go: Bound Healthy, Pending Progressing, Lost Degraded. */
export function pvcHealth(ns: string, name: string, cluster: Cluster): Health {
  const rule = `${HEALTH}health_pvc.go`;
  const entry = cluster.objects.get(`/PersistentVolumeClaim/${ns}/${name}`);
  if (!entry) return cluster.has(`/PersistentVolumeClaim/${ns}/${name}`) ? { status: 'Healthy' } : { status: 'Progressing', reason: 'not created yet', rule };
  const spec = isObj(entry.obj.spec) ? entry.obj.spec : {};
  if (typeof spec.volumeName === 'string' && spec.volumeName) return { status: 'Healthy' };
  const className = typeof spec.storageClassName === 'string' ? spec.storageClassName : '';
  const sc = cluster.storageClass(className);
  const label = className ? `storage class ${className}` : 'the default storage class';
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes.filter((m): m is string => typeof m === 'string') : [];
  const unsupported = sc.accessModes ? modes.filter((m) => !sc.accessModes!.includes(m)) : [];
  if (unsupported.length) return { status: 'Progressing', reason: `Pending: ${label} does not offer ${unsupported.join(', ')} (ProvisioningFailed)`, rule };
  if (sc.bindingMode === 'Immediate') return { status: 'Healthy' };
  const users = cluster.claimUsers(ns, name);
  const admitted = users.find((u) => !u.blockedBy);
  if (admitted) return { status: 'Healthy', reason: `bound when ${admitted.name} is scheduled` };
  const wffc = `Pending: ${label} is WaitForFirstConsumer${cluster.storageClasses.some((c) => c.name === className) ? '' : ' (assumed: not configured)'}`;
  const blocked = users[0];
  return { status: 'Progressing', reason: blocked ? `${wffc} and its consumer ${blocked.name} cannot create a pod: ${blocked.blockedBy}` : `${wffc} and no pod that mounts it exists yet`, rule };
}

/** The predicted health of an applied object (not Applications: see app-sync.ts). */
export function predictHealth(o: K8sObject, ns: string, cluster: Cluster, instance: Instance): Health {
  const src = healthSource(o, instance);
  if (!src) return { status: 'None' };
  const g = groupOf(o);
  if (o.kind === 'PersistentVolumeClaim' && g === '') return pvcHealth(ns, o.metadata.name ?? '', cluster);
  const spec = podSpecOf(o);
  if (spec && src === 'go') {
    const s = isObj(o.spec) ? o.spec : {};
    const blocked = podBlocker(spec, ns, cluster);
    if (o.kind === 'Job') {
      const deadline = num(s.activeDeadlineSeconds);
      if (blocked) {
        return { status: 'Progressing', reason: `no pod runs: ${blocked.reason}`, rule: `${HEALTH}health_job.go`, ...(deadline ? { deadline: `activeDeadlineSeconds ${deadline} (DeadlineExceeded: Degraded)` } : {}) };
      }
      return { status: 'Healthy', holdSeconds: deadline ?? Infinity, reason: `runs to completion${deadline ? ` (activeDeadlineSeconds ${deadline})` : ' (no activeDeadlineSeconds)'}`, rule: `${HEALTH}health_job.go` };
    }
    if (blocked) {
      const rule = `${HEALTH}health_${o.kind === 'Pod' ? 'pod' : o.kind.toLowerCase()}.go`;
      if (o.kind === 'Deployment') {
        const pds = num(s.progressDeadlineSeconds) ?? 600;
        return { status: 'Progressing', reason: `pods ${blocked.create ? 'cannot be created' : 'cannot start'}: ${blocked.reason}`, rule, deadline: `progressDeadlineSeconds ${pds} (ProgressDeadlineExceeded: Degraded)` };
      }
      return { status: 'Progressing', reason: `pods ${blocked.create ? 'cannot be created' : 'cannot start'}: ${blocked.reason}`, rule };
    }
    return { status: 'Healthy' };
  }
  for (const p of producedBy(o, ns)) {
    if (p.needs && !cluster.has(p.needs.key)) {
      const es = g === 'external-secrets.io';
      return {
        status: es ? 'Degraded' : 'Progressing',
        reason: `${p.needs.what} does not exist yet`,
        rule: `${ARGO}resource_customizations/${g}/${o.kind}/health.lua`,
      };
    }
  }
  // Custom resources with a Lua check: their controller's behaviour is not simulated (docs/SIMULATION.md).
  return { status: 'Healthy' };
}
