/**
 * Simulation of Argo CD v3.3.14 bootstrapping each env (`kubectl apply -f generated/<env>/root.yaml`)
 * over the hydrated objects of every Application: waves, phases, Helm hooks, sync options, health,
 * PVC binding, the references a pod needs, retries and shared instances. docs/SIMULATION.md
 * describes the model and cites each rule.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import type { LocatedObject, AppHydration } from '../hydration/index.ts';
import type { SimObject } from './app-sync.ts';
import { bootstrapInstance, type ChildInput, type EnvInput, type EnvRun } from './bootstrap.ts';
import type { StorageClass } from './cluster.ts';
import { deletionFindings } from './deletion.ts';
import { orphanFindings } from './orphans.ts';
import { envFindings, timeline, type SimulateOptions } from './report.ts';

export type { StorageClass } from './cluster.ts';
export type { SimulateOptions } from './report.ts';
export { runHealthScript } from './lua-vm.ts';
export { hookInfo } from './objects.ts';

export interface SimulateEnv {
  env: string;
  /** `argocd.instance` (default: the env's name). */
  instance: string;
  /** The env's Argo CD objects and local objects (collectObjects). */
  located: LocatedObject[];
  /** Every Application of the env, hydrated (hydrateEnvApps). */
  apps: AppHydration[];
  storageClasses: StorageClass[];
}

export interface EnvSimulation {
  env: string;
  instance: string;
  converged: boolean;
  timeline: string[];
  findings: Finding[];
}

/** One hour: the longest a non-final wave may wait on a run (the sync timeout docs/SIMULATION.md recommends). */
export const DEFAULT_HOLD_LIMIT_SECONDS = 3600;

const toSim = (o: LocatedObject): SimObject => ({ obj: o.obj, file: o.file, line: o.line });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The root Application of an env: in its root.yaml, or made by an ApplicationSet of its instance from a list element `env: <env>`. */
function rootOf(env: string, all: SimulateEnv[]): SimObject | undefined {
  const mine = all.find((e) => e.env === env)!;
  const own = mine.located.find((o) => o.file === `generated/${env}/root.yaml` && o.obj.kind === 'Application');
  if (own) return toSim(own);
  for (const other of all.filter((e) => e.instance === mine.instance)) {
    for (const o of other.located.filter((x) => x.file === `generated/${other.env}/root.yaml` && x.obj.kind === 'ApplicationSet')) {
      const spec = isObj(o.obj.spec) ? o.obj.spec : {};
      for (const g of Array.isArray(spec.generators) ? spec.generators.filter(isObj) : []) {
        const list = isObj(g.list) && Array.isArray(g.list.elements) ? g.list.elements.filter(isObj) : [];
        const el = list.find((e) => e.env === env);
        if (!el) continue;
        const obj: K8sObject = {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: `${env}-root`, namespace: o.obj.metadata.namespace ?? 'argocd' },
          spec: { project: el.project, source: { targetRevision: el.revision, path: el.path }, destination: { namespace: 'argocd' }, syncPolicy: el.syncPolicy },
        } as K8sObject;
        return { obj, file: o.file, line: o.line };
      }
    }
  }
  return undefined;
}

function envInput(e: SimulateEnv, all: SimulateEnv[]): EnvInput | undefined {
  const root = rootOf(e.env, all);
  if (!root) return undefined;
  const children = new Map<string, ChildInput>();
  for (const a of e.apps) {
    if (a.component === 'root') continue;
    const hydrated = a.status === 'local' || a.status === 'hydrated';
    children.set(a.app, { namespace: a.destination.namespace, ...(hydrated ? { objects: a.objects.map(toSim) } : { reason: a.reason ?? a.status }) });
  }
  return {
    env: e.env,
    rootYaml: e.located.filter((o) => o.file === `generated/${e.env}/root.yaml` && o.obj.kind !== 'Application').map(toSim),
    root,
    rootObjects: e.located.filter((o) => o.file.startsWith(`generated/${e.env}/apps/`)).map(toSim),
    children,
    storageClasses: e.storageClasses,
  };
}

/**
 * Simulate the envs, grouped by instance. Within an instance the roots race; the envs whose
 * root.yaml holds no ApplicationSet step first (the worst order for health checks a manager adds).
 */
export function simulate(envs: SimulateEnv[], opts: SimulateOptions = { holdLimitSeconds: DEFAULT_HOLD_LIMIT_SECONDS }): EnvSimulation[] {
  const out: EnvSimulation[] = [];
  const instances = [...new Set(envs.map((e) => e.instance))];
  for (const instance of instances) {
    const members = envs.filter((e) => e.instance === instance);
    const holdsSet = (e: SimulateEnv): boolean => e.located.some((o) => o.file === `generated/${e.env}/root.yaml` && o.obj.kind === 'ApplicationSet');
    const ordered = [...members.filter((e) => !holdsSet(e)), ...members.filter(holdsSet)];
    const inputs: EnvInput[] = [];
    for (const e of ordered) {
      const input = envInput(e, envs);
      if (input) inputs.push(input);
      else out.push({ env: e.env, instance, converged: false, timeline: [], findings: [{ file: `generated/${e.env}/root.yaml`, line: 0, col: 0, path: '', rule: 'SIM008', message: `${e.env}: no root Application: neither its root.yaml nor an ApplicationSet of instance ${instance} makes ${e.env}-root` }] });
    }
    for (const run of bootstrapInstance(instance, inputs)) {
      const r = report(run, instance, opts);
      const input = inputs.find((i) => i.env === run.env)!;
      const orphans = orphanFindings(input);
      const deletion = deletionFindings(input);
      const more = [...orphans, ...deletion.findings];
      out.push({ ...r, timeline: [...r.timeline, ...deletion.timeline], findings: [...r.findings, ...more], converged: r.converged && !more.some((f) => f.severity !== 'warning') });
    }
  }
  const order = new Map(envs.map((e, i) => [e.env, i]));
  return out.sort((a, b) => order.get(a.env)! - order.get(b.env)!);
}

function report(run: EnvRun, instance: string, opts: SimulateOptions): EnvSimulation {
  const findings = envFindings(run, opts);
  return { env: run.env, instance, converged: !findings.some((f) => f.severity !== 'warning'), timeline: timeline(run), findings };
}
