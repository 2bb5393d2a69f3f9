/** Where pod specs live in the kinds the platform renders, and walking their containers. */
import { isPlainObject } from '../../config/merge.ts';
import type { K8sObject } from '../../findings.ts';

export interface PodSpecAt {
  /** JSON pointer of the pod spec inside the object. */
  path: string;
  spec: Record<string, unknown>;
  /** A long-running workload (probes expected), not a run-to-completion Job. */
  longRunning: boolean;
  /** A pod template we render in full (core kinds), not a fragment an operator completes. */
  complete: boolean;
}

export interface ContainerAt {
  path: string;
  container: Record<string, unknown>;
  init: boolean;
}

const TEMPLATE_PATHS: Record<string, { path: string[]; longRunning: boolean; complete: boolean }[]> = {
  'apps/Deployment': [{ path: ['spec', 'template', 'spec'], longRunning: true, complete: true }],
  'apps/StatefulSet': [{ path: ['spec', 'template', 'spec'], longRunning: true, complete: true }],
  'apps/DaemonSet': [{ path: ['spec', 'template', 'spec'], longRunning: true, complete: true }],
  'batch/Job': [{ path: ['spec', 'template', 'spec'], longRunning: false, complete: true }],
  'batch/CronJob': [{ path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], longRunning: false, complete: true }],
  '/Pod': [{ path: ['spec'], longRunning: true, complete: true }],
  'serving.kserve.io/LLMInferenceService': [
    { path: ['spec', 'template'], longRunning: true, complete: false },
    { path: ['spec', 'worker'], longRunning: true, complete: false },
    { path: ['spec', 'prefill', 'template'], longRunning: true, complete: false },
    { path: ['spec', 'router', 'scheduler', 'template'], longRunning: true, complete: false },
  ],
};

export function groupKind(obj: K8sObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `${group}/${obj.kind}`;
}

export function podSpecs(obj: K8sObject): PodSpecAt[] {
  const out: PodSpecAt[] = [];
  for (const t of TEMPLATE_PATHS[groupKind(obj)] ?? []) {
    let cur: unknown = obj;
    for (const seg of t.path) cur = isPlainObject(cur) ? cur[seg] : undefined;
    if (isPlainObject(cur)) out.push({ path: `/${t.path.join('/')}`, spec: cur, longRunning: t.longRunning, complete: t.complete });
  }
  return out;
}

export function containers(pod: PodSpecAt): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    const list = pod.spec[key];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isPlainObject(c)) out.push({ path: `${pod.path}/${key}/${i}`, container: c, init });
    });
  }
  return out;
}

/** A security setting of a container, falling back to the pod-level securityContext. */
export function effective(pod: PodSpecAt, c: ContainerAt, key: string): unknown {
  const own = isPlainObject(c.container.securityContext) ? c.container.securityContext[key] : undefined;
  if (own !== undefined) return own;
  return isPlainObject(pod.spec.securityContext) ? pod.spec.securityContext[key] : undefined;
}
