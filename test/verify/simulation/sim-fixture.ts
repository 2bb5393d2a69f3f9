/**
 * Small envs for the simulation tests, built in memory: a root with child Applications in waves,
 * each child with its objects, the project's argocd-cm (the real Lua scripts: base/argocd-health and apps/<name>/health).
 */
import { toolPaths } from '../../helpers/project.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { healthScriptFiles } from '../../../scripts/lib/render/argocd.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import type { LocatedObject } from '../../../scripts/lib/verify/hydration/collect.ts';
import type { AppHydration } from '../../../scripts/lib/verify/hydration/env-apps.ts';
import { simulate, type EnvSimulation, type SimulateEnv, type StorageClass } from '../../../scripts/lib/verify/simulation/index.ts';

export type Obj = K8sObject & Record<string, unknown>;

/** The project's argocd-cm health keys; `patch` rewrites a script (to simulate a reverted fix). */
export function argocdCm(patch?: (script: string, name: string) => string): Obj {
  const data: Record<string, string> = {};
  for (const file of healthScriptFiles(toolPaths())) {
    const f = file.slice(file.lastIndexOf('/') + 1);
    const text = readFileSync(join(ROOT, file), 'utf8');
    data[`resource.customizations.health.${f.slice(0, -4)}`] = patch ? patch(text, f.slice(0, -4)) : text;
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }, data };
}

export const wave = (w: number, extra: Record<string, string> = {}): Record<string, string> => ({ 'argocd.argoproj.io/sync-wave': String(w), ...extra });

export function ns(name: string): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function pvc(name: string, namespace: string, opts: { wave?: number; storageClass?: string; accessModes?: string[] } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, ...(opts.wave !== undefined ? { annotations: wave(opts.wave) } : {}) },
    spec: { accessModes: opts.accessModes ?? ['ReadWriteOnce'], ...(opts.storageClass ? { storageClassName: opts.storageClass } : {}), resources: { requests: { storage: '1Gi' } } },
  };
}

export function job(name: string, namespace: string, opts: { wave?: number; sa?: string; claim?: string; secret?: string; deadline?: number; annotations?: Record<string, string> } = {}): Obj {
  const annotations = { ...(opts.wave !== undefined ? wave(opts.wave) : {}), ...(opts.annotations ?? {}) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      ...(opts.deadline ? { activeDeadlineSeconds: opts.deadline } : {}),
      template: {
        spec: {
          restartPolicy: 'Never',
          ...(opts.sa ? { serviceAccountName: opts.sa } : {}),
          containers: [{ name: 'main', image: 'busybox', ...(opts.secret ? { env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: opts.secret, key: 'token' } } }] } : {}) }],
          ...(opts.claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: opts.claim } }] } : {}),
        },
      },
    },
  };
}

export function sa(name: string, namespace: string, w?: number): Obj {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, ...(w !== undefined ? { annotations: wave(w) } : {}) } };
}

export interface ChildSpec {
  name: string;
  wave: number;
  namespace: string;
  objects: Obj[];
  /** Helm chart pinned to a version (default: a path in the project's repository on `main`). */
  chart?: string;
  syncOptions?: string[];
  ignoreDifferences?: Record<string, unknown>[];
}

const located = (obj: K8sObject, file: string, line = 1): LocatedObject => ({ obj, file, line });

export interface EnvSpec {
  env: string;
  instance?: string;
  children: ChildSpec[];
  /** argocd-cm in apps/ (synced by the root at wave -1): default true. */
  cmInApps?: boolean;
  /** argocd-cm in root.yaml (applied by the admin before the root syncs). */
  cmInRootYaml?: boolean;
  /** The root Application in root.yaml (default); false: made by another env's ApplicationSet. */
  ownRoot?: boolean;
  /** Envs whose roots this env's root.yaml ApplicationSet makes. */
  appSetFor?: string[];
  storageClasses?: StorageClass[];
  luaPatch?: (script: string, name: string) => string;
  /** Extra objects of root.yaml (the child AppProject). */
  rootYamlExtra?: Obj[];
}

function application(env: string, c: ChildSpec): Obj {
  const source = c.chart ? { repoURL: 'https://charts.example.com', chart: c.chart, targetRevision: '1.2.3' } : { repoURL: 'https://github.com/catalyst-lab/catalyst-gitops.git', targetRevision: 'main', path: `generated/${env}/${c.name}` };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${env}-${c.name}`, namespace: 'argocd', labels: { 'catalyst.dev/component': c.name }, annotations: wave(c.wave) },
    spec: {
      project: `catalyst-${env}`,
      source,
      destination: { server: 'https://kubernetes.default.svc', namespace: c.namespace },
      syncPolicy: { automated: { prune: true }, ...(c.syncOptions ? { syncOptions: c.syncOptions } : {}), retry: { limit: 10 } },
      ...(c.ignoreDifferences ? { ignoreDifferences: c.ignoreDifferences } : {}),
    },
  };
}

export function envOf(spec: EnvSpec): SimulateEnv {
  const env = spec.env;
  const rootFile = `generated/${env}/root.yaml`;
  const rootYaml: LocatedObject[] = [];
  if (spec.ownRoot !== false) {
    rootYaml.push(located({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${env}-root`, namespace: 'argocd' }, spec: { destination: { namespace: 'argocd' }, syncPolicy: { automated: {}, retry: { limit: 10 } } } } as Obj, rootFile, 10));
  }
  for (const o of spec.rootYamlExtra ?? []) rootYaml.push(located(o, rootFile, 70));
  if (spec.cmInRootYaml) rootYaml.push(located(argocdCm(spec.luaPatch), rootFile, 30));
  if (spec.appSetFor?.length) {
    rootYaml.push(located({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'roots', namespace: 'argocd' },
      spec: { generators: [{ list: { elements: spec.appSetFor.map((e) => ({ env: e, project: `catalyst-${e}-root`, revision: 'main', path: `generated/${e}/apps`, syncPolicy: { automated: {}, retry: { limit: 10 } } })) } }] },
    } as Obj, rootFile, 50));
  }
  const apps = spec.children.map((c) => located(application(env, c), `generated/${env}/apps/${c.name}.yaml`));
  const cm = spec.cmInApps === false ? [] : [located(argocdCm(spec.luaPatch), `generated/${env}/apps/argocd-cm.yaml`)];
  const hydrations: AppHydration[] = spec.children.map((c, i) => ({
    app: `${env}-${c.name}`,
    component: c.name,
    application: apps[i]!,
    project: `catalyst-${env}`,
    destination: { server: 'https://kubernetes.default.svc', namespace: c.namespace },
    status: 'local',
    objects: c.objects.map((o, j) => located(o, `generated/${env}/${c.name}/objects.yaml`, j * 10 + 1)),
  }));
  return { env, instance: spec.instance ?? env, located: [...rootYaml, ...apps, ...cm], apps: hydrations, storageClasses: spec.storageClasses ?? [] };
}

export function run(...specs: EnvSpec[]): EnvSimulation[] {
  return simulate(specs.map(envOf));
}

export const rules = (r: EnvSimulation): string[] => r.findings.filter((f) => f.severity !== 'warning').map((f) => f.rule ?? '');
