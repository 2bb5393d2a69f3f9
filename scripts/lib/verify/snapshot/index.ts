/**
 * The snapshot of a project tree, one side of a diff (`diff`, and the base revision of the API
 * server's update rules with `check --base`): every environment of a project rendered in memory
 * and hydrated with kustomize (local components), its components with their sync waves, and each
 * object keyed by group/kind/namespace/name with the component it belongs to.
 */
import { availableParallelism } from 'node:os';
import { collectObjects, KustomizeBuildError } from '../hydration/index.ts';
import { listEnvironments } from '../../config/load.ts';
import { catalogImages } from '../../config/family-versions.ts';
import { configWarnings, loadProject, renderOne } from '../../render/environment.ts';
import { projectPaths } from '../../paths.ts';
import type { Finding, K8sObject } from '../../findings.ts';

export interface SnapObject {
  component: string;
  obj: K8sObject;
  /** Where kustomize's output traced it (absent for chart objects). */
  file?: string;
  line?: number;
  /** Set for what an operator creates from a custom resource (`owner/repo@tag` of its operator). */
  operator?: string;
}

export interface EnvSnapshot {
  env: string;
  /** Findings that kept this env from rendering or hydrating (then it has no objects). */
  findings: Finding[];
  /** The config's warnings (settings of a disabled component): reported, never blocking. */
  warnings?: Finding[];
  /** Component name -> sync wave. */
  components: Map<string, number>;
  objects: Map<string, SnapObject>;
  /** The catalog's images by role (config/family-versions.ts catalogImages): the operators' defaults for the expansion. */
  images?: Record<string, string>;
}

export function objectKey(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core';
  return `${group}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** `Kind namespace/name` for people. */
export function objectLabel(o: K8sObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

/** The component a located object belongs to: its catalyst.dev/component label, else the file it was traced to. */
export function componentOf(env: string, file: string, obj?: K8sObject): string {
  const label = obj?.metadata?.labels?.['catalyst.dev/component'];
  if (typeof label === 'string' && label) return label;
  const parts = file.split('/');
  if (parts[0] === 'generated' && parts[1] === env) {
    if (parts[2] === 'root.yaml') return 'root';
    if (parts[2] === 'apps' && parts[3]) return parts[3].replace(/\.yaml$/, '');
    if (parts.length > 3 && parts[2]) return parts[2];
  }
  // A base object (apps/<component>/base/...) belongs to its component.
  if (parts[0] === 'apps' && parts[2] === 'base' && parts[1]) return parts[1];
  // Only generated/<env>/kustomization.yaml itself is left: the aggregate of the local components.
  return 'local components';
}

export async function snapshotProject(root: string, onEnv: (env: string) => void = () => {}): Promise<Map<string, EnvSnapshot>> {
  const paths = projectPaths(root);
  const project = loadProject(paths);
  const out = new Map<string, EnvSnapshot>();
  const todo: (() => Promise<void>)[] = [];
  for (const env of listEnvironments(paths)) {
    onEnv(env);
    const rendered = renderOne(project, env);
    const snap: EnvSnapshot = { env, findings: rendered.findings, warnings: configWarnings(project, env), components: new Map(), objects: new Map() };
    out.set(env, snap);
    if (rendered.findings.length || !rendered.plan) continue;
    for (const a of rendered.plan.apps) snap.components.set(a.name, a.wave);
    snap.images = catalogImages([...rendered.plan.env.components.values()].map((c) => c.app));
    todo.push(async () => {
      try {
        for (const o of await collectObjects(paths, rendered)) {
          snap.objects.set(objectKey(o.obj), { component: componentOf(env, o.file, o.obj), obj: o.obj, file: o.file, line: o.line });
        }
      } catch (err) {
        if (!(err instanceof KustomizeBuildError)) throw err;
        snap.findings.push(...err.findings);
      }
    });
  }
  // kustomize builds are separate processes: as many at once as there are cores.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) await todo[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), todo.length) }, worker));
  return out;
}
