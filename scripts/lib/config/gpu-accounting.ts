/**
 * GPU accounting: what each model's pods request (KServe v0.20 sets no GPU itself: the counts are
 * exactly the project's container resources) and what the env's GPU nodes offer. Rules check
 * every pod against one node and the sum against all nodes, per resource (`nvidia.com/gpu` and
 * each `nvidia.com/mig-<profile>`). Derivations use the same numbers for their comments.
 */
import type { EnvConfig } from './environment.ts';
import type { Model } from './schema-types/index.ts';

export const WHOLE_GPU = 'nvidia.com/gpu';
export const migResource = (profile: string): string => `nvidia.com/mig-${profile}`;

/** The resource one model's pods request. */
export function gpuResourceOf(m: Model): string {
  return m.mig ? migResource(m.mig) : WHOLE_GPU;
}

/** Pods the model runs at most: scaling.maxReplicas when it autoscales, else replicas (default 1). */
export function peakReplicas(m: Model): number {
  return m.scaling ? m.scaling.maxReplicas : (m.replicas ?? 1);
}

/** One group of identical pods of a model. */
export interface PodGroup {
  model: string;
  /** decode: the model's own pods (leaders and workers when multi-node); prefill: spec.prefill pods. */
  part: 'decode' | 'prefill';
  pods: number;
  resource: string;
  perPod: number;
  /** JSON pointer (under /models/<i>) of the setting that sizes a pod. */
  pointer: string;
}

/**
 * The pods of a model and their GPUs. Multi-node (LeaderWorkerSet): replicas groups of
 * data/dataLocal pods, each with tensor x dataLocal GPUs (KServe workload_multi_node.go, the
 * worker-data-parallel preset's --data-parallel-size-local).
 */
export function podGroups(m: Model, index: number): PodGroup[] {
  const resource = gpuResourceOf(m);
  const replicas = peakReplicas(m);
  const at = `/models/${index}`;
  const groups: PodGroup[] = [];
  if (m.multiNode) {
    const size = Math.max(1, Math.floor(m.multiNode.data / m.multiNode.dataLocal));
    groups.push({ model: m.name, part: 'decode', pods: replicas * size, resource, perPod: m.tensorParallelism * m.multiNode.dataLocal, pointer: `${at}/multiNode` });
  } else {
    groups.push({ model: m.name, part: 'decode', pods: replicas, resource, perPod: m.tensorParallelism, pointer: `${at}/tensorParallelism` });
  }
  if (m.prefill) {
    groups.push({ model: m.name, part: 'prefill', pods: m.prefill.replicas, resource, perPod: m.prefill.tensorParallelism, pointer: `${at}/prefill/tensorParallelism` });
  }
  return groups;
}

type Gpu = NonNullable<EnvConfig['cluster']['gpu']>;

/**
 * What one GPU node offers, by resource. Time-sliced whole GPUs count once per slice for
 * scheduling; `physical` counts real GPUs (what one pod's tensor parallelism can span).
 */
export function perNodeCapacity(gpu: Gpu, physical = false): Record<string, number> {
  const out: Record<string, number> = {};
  const whole = gpu.mig ? gpu.mig.wholeGpusPerNode : gpu.gpusPerNode;
  if (whole > 0) out[WHOLE_GPU] = whole * (physical ? 1 : (gpu.timeSlicing ?? 1));
  for (const [profile, n] of Object.entries(gpu.mig?.slicesPerNode ?? {})) out[migResource(profile)] = n;
  return out;
}

/** What all GPU nodes offer (undefined without cluster.gpu.nodes). */
export function totalCapacity(gpu: Gpu): Record<string, number> | undefined {
  if (gpu.nodes === undefined) return undefined;
  return Object.fromEntries(Object.entries(perNodeCapacity(gpu)).map(([r, n]) => [r, n * gpu.nodes!]));
}

/** Demand by resource over all models: total and the models that make it up. */
export function demand(models: Model[]): Map<string, { total: number; parts: string[] }> {
  const out = new Map<string, { total: number; parts: string[] }>();
  models.forEach((m, i) => {
    for (const g of podGroups(m, i)) {
      const d = out.get(g.resource) ?? { total: 0, parts: [] };
      d.total += g.pods * g.perPod;
      d.parts.push(`${g.model}${g.part === 'prefill' ? ' prefill' : ''} ${g.pods}x${g.perPod}`);
      out.set(g.resource, d);
    }
  });
  return out;
}
