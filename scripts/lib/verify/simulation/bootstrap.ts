/**
 * The bootstrap of every env of one Argo CD instance: an admin applies each env's root.yaml,
 * the root syncs generated/<env>/apps/ wave by wave, each child Application it creates syncs its
 * hydrated objects, and the instance's argocd-cm health checks decide when a root's wave is done.
 * Stepped to a fixpoint: every operation advances as far as the cluster allows; then deadlines
 * expire (Deployment, Job) and operations still failing spend their retries; repeat until nothing
 * changes. What is left waiting waits forever; what failed stays failed.
 */
import type { K8sObject } from '../../findings.ts';
import { AppRun, clusterScopeOf, isApplication, type SimObject, type Task } from './app-sync.ts';
import { Cluster, Instance, World, type StorageClass } from './cluster.ts';
import type { Health } from './health.ts';
import { predictHealth } from './health.ts';
import { runHealthScript } from './lua-vm.ts';
import { objKey } from './objects.ts';

export interface ChildInput {
  /** The Application's destination namespace (objects without one go there). */
  namespace: string;
  /** Hydrated objects, or undefined when the Application could not be hydrated. */
  objects?: SimObject[];
  reason?: string;
}

export interface EnvInput {
  env: string;
  /** Objects of root.yaml an admin applies with kubectl (AppProjects, ApplicationSet, argocd-cm…). */
  rootYaml: SimObject[];
  /** The root Application (from root.yaml, or made by the instance's ApplicationSet). */
  root: SimObject;
  /** Objects under generated/<env>/apps/ (child Applications, argocd-cm). */
  rootObjects: SimObject[];
  /** Child Application name -> what it deploys. */
  children: Map<string, ChildInput>;
  storageClasses: StorageClass[];
}

export interface UngatedWave {
  root: string;
  wave: number;
  child: string;
}

export interface EnvRun {
  env: string;
  root: AppRun;
  children: Map<string, AppRun>;
  notHydrated: Map<string, string>;
  ungated: UngatedWave[];
  healthAtStart: string[];
  healthAdded: { key: string; by: string }[];
  luaErrors: string[];
}

export const ARGOCD_NS = 'argocd';
const isArgocdCm = (o: K8sObject): boolean => o.kind === 'ConfigMap' && o.apiVersion === 'v1' && o.metadata.name === 'argocd-cm';

/** Simulate the envs of one instance together (they share its argocd-cm); the order is the order roots step in. */
export function bootstrapInstance(name: string, envs: EnvInput[]): EnvRun[] {
  const instance = new Instance(name);
  const world = new World();
  const runs: { run: EnvRun; cluster: Cluster; input: EnvInput }[] = [];
  for (const input of envs) {
    for (const o of input.rootYaml) if (isArgocdCm(o.obj)) instance.applyArgocdCm(o.obj, `${input.env} root.yaml`);
  }
  const healthAtStart = [...instance.health.keys()].sort();
  const isClusterScoped = clusterScopeOf(envs.flatMap((input) => [...input.children.values()].flatMap((c) => (c.objects ?? []).map((o) => o.obj))));
  for (const input of envs) {
    const cluster = new Cluster(input.storageClasses, ARGOCD_NS, world);
    for (const child of input.children.values()) {
      for (const o of child.objects ?? []) cluster.know(o.obj, o.obj.metadata.namespace ?? (isClusterScoped(o.obj) ? '' : child.namespace));
    }
    for (const o of input.rootYaml) cluster.apply(o.obj, o.obj.metadata.namespace ?? '', 'admin');
    const root = new AppRun(`${input.env}-root`, input.root, input.rootObjects, ARGOCD_NS, 0, isClusterScoped);
    root.start();
    runs.push({ run: { env: input.env, root, children: new Map(), notHydrated: new Map(), ungated: [], healthAtStart, healthAdded: [], luaErrors: [] }, cluster, input });
  }
  const all = (): AppRun[] => runs.flatMap((r) => [r.run.root, ...r.run.children.values()]);
  const stepAll = (): boolean => {
    let any = false;
    for (const { run, cluster, input } of runs) {
      const applied = (owner: AppRun) => (t: Task): void => {
        cluster.apply(t.obj, t.ns, owner.name);
        if (isArgocdCm(t.obj)) {
          for (const key of instance.applyArgocdCm(t.obj, owner.name)) {
            run.healthAdded.push({ key, by: owner.name });
            world.bump();
          }
        }
        if (owner === run.root && isApplication(t.obj)) {
          const name = t.obj.metadata.name ?? '';
          if (run.children.has(name) || run.notHydrated.has(name)) return;
          const child = input.children.get(name);
          if (!child?.objects) {
            run.notHydrated.set(name, child?.reason ?? 'no hydration');
            return;
          }
          const spec = (t.obj.spec ?? {}) as Record<string, unknown>;
          const dest = (spec.destination ?? {}) as Record<string, unknown>;
          const c = new AppRun(name, t, child.objects, typeof dest.namespace === 'string' ? dest.namespace : '', t.wave, isClusterScoped);
          c.start();
          run.children.set(name, c);
        }
      };
      const view = (appObj: K8sObject): Health => {
        const name = appObj.metadata.name ?? '';
        const lua = instance.health.get('argoproj.io_Application');
        if (!lua) {
          const child = run.children.get(name);
          run.ungated.push({ root: run.root.name, wave: child?.wave ?? 0, child: name });
          return { status: 'None' };
        }
        const status = statusOf(run.children.get(name), run.notHydrated.has(name), cluster, instance);
        try {
          const r = runHealthScript(lua.script, { ...appObj, status: status.status, ...(status.operation ? { operation: status.operation } : {}) });
          const verdict = r.status === 'Healthy' ? 'Healthy' : r.status === 'Degraded' ? 'Degraded' : r.status === 'Progressing' || r.status === 'Suspended' || r.status === 'Missing' || r.status === 'Unknown' ? 'Progressing' : 'Progressing';
          return { status: verdict, reason: `${name}: ${r.message}`, rule: `argocd-cm resource.customizations.health.argoproj.io_Application (from ${lua.from}; base/argocd-health/argoproj.io_Application.lua)` };
        } catch (err) {
          run.luaErrors.push(`${name}: ${(err as Error).message}`);
          return { status: 'Progressing', reason: `${name}: Lua error`, rule: 'argo-cd@v3.3.14:util/lua/lua.go' };
        }
      };
      for (const r of [run.root, ...run.children.values()]) {
        const before = r.status;
        if (r.step(cluster, instance, view, applied(r))) any = true;
        if (r.status !== before) world.bump();
      }
    }
    return any;
  };
  let steps = 0;
  for (;;) {
    while (stepAll()) {
      if (++steps > 100_000) throw new Error(`simulation of instance ${name} does not settle (a bug in the model)`);
    }
    if (all().map((r) => r.expireDeadline(world)).some(Boolean)) continue;
    if (all().map((r) => r.exhaust(world)).some(Boolean)) continue;
    break;
  }
  return runs.map((r) => r.run);
}

interface AppStatusObject {
  status: Record<string, unknown>;
  operation?: Record<string, unknown>;
}

/**
 * The status the controller writes for a child (argo-cd@v3.3.14:controller/appcontroller.go and
 * controller/state.go): operationState.phase Running while the operation or its retries last,
 * Failed after the last retry, Succeeded; sync Synced once succeeded; health the worst of its
 * resources' (Missing when none exists).
 */
function statusOf(run: AppRun | undefined, notHydrated: boolean, cluster: Cluster, instance: Instance): AppStatusObject {
  if (!run) {
    if (notHydrated) return { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } } };
    return { status: {}, operation: { sync: {} } };
  }
  const phase = run.status === 'failed' ? 'Failed' : run.status === 'succeeded' ? 'Succeeded' : 'Running';
  const resources = run.tasks.filter((t) => !t.hook);
  const live = resources.filter((t) => cluster.objects.has(keyOfTask(t)));
  let health = live.length === 0 && resources.length > 0 ? 'Missing' : 'Healthy';
  let detail = '';
  if (health === 'Healthy') {
    for (const t of live) {
      const h = predictHealth(t.obj, t.ns, cluster, instance);
      const what = `${t.obj.kind}/${t.obj.metadata.name}: ${h.reason ?? h.status}`;
      if (h.status === 'Degraded' && health !== 'Degraded') [health, detail] = ['Degraded', what];
      else if (h.status === 'Progressing' && health === 'Healthy') [health, detail] = ['Progressing', what];
    }
    if (live.length < resources.length && health === 'Healthy') health = 'Missing';
  }
  const message = run.blocked ? `${run.blocked.reason}${run.status === 'failed' ? ` (retried ${run.retryLimit} times).` : ''}` : '';
  return {
    status: {
      sync: { status: run.status === 'succeeded' ? 'Synced' : 'OutOfSync' },
      health: { status: health, ...(detail ? { message: detail } : {}) },
      operationState: { phase, message },
    },
  };
}

const keyOfTask = (t: Task): string => objKey(t.obj, t.ns);
