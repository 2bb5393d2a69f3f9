/**
 * GPU accounting rules: every pod of every model (replicas or scaling.maxReplicas, prefill pods,
 * multi-node workers) fits one GPU node, all of them fit the env's nodes together
 * (cluster.gpu.nodes), per resource: whole GPUs and each MIG profile. Plus the node
 * prerequisites Argo CD cannot apply (MIG layout label, GPU taint, time-slicing).
 */
import { MODELS_APP, modelsOf } from '../components.ts';
import { componentSettings, type ResolvedEnv } from '../environment.ts';
import { demand, perNodeCapacity, podGroups, totalCapacity, WHOLE_GPU } from '../gpu-accounting.ts';
import type { Model } from '../schema-types/index.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

function served(env: ResolvedEnv): Model[] {
  return env.components.get(MODELS_APP)?.enabled ? modelsOf(env.config) : [];
}

/** Each pod's GPUs fit on one node (a pod never spans nodes; multi-node models split into pods). */
export const modelPodsFitNode: EnvRule = (env) => {
  const models = served(env);
  if (!models.length) return [];
  const gpu = env.config.cluster.gpu;
  if (!gpu) return [finding(env, '/models', `${models.length} model(s) need GPUs, but cluster.gpu is not set`, true)];
  const node = perNodeCapacity(gpu, true);
  const out: Finding[] = [];
  models.forEach((m, i) => {
    for (const g of podGroups(m, i)) {
      if (g.resource !== WHOLE_GPU && !(g.resource in node)) continue; // modelMigProfileOffered reports it
      const have = node[g.resource] ?? 0;
      if (g.perPod > have) {
        const what = g.part === 'prefill' ? `a prefill pod of model "${m.name}"` : `a pod of model "${m.name}"`;
        out.push(finding(env, g.pointer, `${what} needs ${g.perPod} ${g.resource}, but a node offers ${have} (cluster.gpu${gpu.mig ? '.mig' : ''})`));
      }
    }
  });
  return out;
};

/** All pods together fit the env's GPU nodes: the total per resource, at peak (scaling.maxReplicas). */
export const modelGpusFitEnv: EnvRule = (env) => {
  const models = served(env);
  const gpu = env.config.cluster.gpu;
  if (!models.length || !gpu) return [];
  const total = totalCapacity(gpu);
  if (!total) {
    return [finding(env, '/cluster/gpu', `cluster.gpu.nodes is not set: the ${models.length} model(s) cannot be checked against the GPUs the env has in total`)];
  }
  const out: Finding[] = [];
  for (const [resource, d] of demand(models)) {
    if (resource !== WHOLE_GPU && !(resource in total)) continue; // modelMigProfileOffered reports it
    const have = total[resource] ?? 0;
    if (d.total > have) {
      out.push(
        finding(env, '/models', `the models need ${d.total} ${resource} (${d.parts.join(', ')}; pods x per pod), but the env has ${have} (cluster.gpu.nodes ${gpu.nodes} x ${perNodeCapacity(gpu)[resource] ?? 0} per node)`, true),
      );
    }
  }
  return out;
};

/** A MIG profile must be offered by the nodes; MIG slices do not do tensor parallelism or multi-node. */
export const modelMigProfileOffered: EnvRule = (env) => {
  const out: Finding[] = [];
  const gpu = env.config.cluster.gpu;
  const offered = [...new Set([...(gpu?.migProfiles ?? []), ...Object.keys(gpu?.mig?.slicesPerNode ?? {})])];
  const strategy = env.components.get('gpu-operator')?.enabled ? componentSettings(env, 'gpu-operator')?.migStrategy : undefined;
  served(env).forEach((m, i) => {
    if (!m.mig) return;
    if (!offered.includes(m.mig)) {
      const have = offered.length ? offered.join(', ') : 'none';
      out.push(finding(env, `/models/${i}/mig`, `MIG profile "${m.mig}" of model "${m.name}" is not offered by the GPU nodes (cluster.gpu.migProfiles: ${have})`));
    }
    if (m.tensorParallelism !== 1) {
      out.push(finding(env, `/models/${i}/tensorParallelism`, `model "${m.name}" runs on a MIG slice: tensor parallelism must be 1 (NCCL cannot span MIG instances)`));
    }
    if (m.multiNode) out.push(finding(env, `/models/${i}/multiNode`, `model "${m.name}" runs on MIG slices: multi-node data parallelism needs whole GPUs`));
    if (strategy === 'single') {
      out.push(
        finding(
          env,
          `/models/${i}/mig`,
          `model "${m.name}" requests nvidia.com/mig-${m.mig}, which the GPU operator only advertises with migStrategy "mixed" (components.gpu-operator.migStrategy is "single")`,
        ),
      );
    }
  });
  if (gpu?.mig && strategy === 'single') {
    out.push(finding(env, '/cluster/gpu/mig', `MIG layout "${gpu.mig.layout}" keeps whole GPUs next to slices: components.gpu-operator.migStrategy must be "mixed"`));
  }
  return out;
};

/** A MIG layout cannot split more GPUs than a node has. */
export const migLayoutFitsNode: EnvRule = (env) => {
  const gpu = env.config.cluster.gpu;
  if (!gpu?.mig) return [];
  if (gpu.mig.wholeGpusPerNode > gpu.gpusPerNode) {
    return [finding(env, '/cluster/gpu/mig/wholeGpusPerNode', `the MIG layout keeps ${gpu.mig.wholeGpusPerNode} whole GPUs, but a node has ${gpu.gpusPerNode}`)];
  }
  if (gpu.mig.wholeGpusPerNode === gpu.gpusPerNode) {
    return [finding(env, '/cluster/gpu/mig/slicesPerNode', `the MIG layout keeps all ${gpu.gpusPerNode} GPUs whole, so no GPU is left for its slices`)];
  }
  const sliced = gpu.gpusPerNode - gpu.mig.wholeGpusPerNode;
  return Object.entries(gpu.mig.slicesPerNode).flatMap(([p, n]) =>
    n % sliced === 0 ? [] : [finding(env, `/cluster/gpu/mig/slicesPerNode/${p}`, `${n} ${p} slices do not split evenly over the ${sliced} MIG GPUs of a node`)],
  );
};

/** Time-sliced GPUs share memory: each model on whole GPUs must cap its share (vLLM takes 0.9 by default). */
export const timeSlicedMemory: EnvRule = (env) => {
  const n = env.config.cluster.gpu?.timeSlicing;
  if (!n) return [];
  const cap = Math.floor((1 / n) * 100) / 100;
  const out: Finding[] = [];
  served(env).forEach((m, i) => {
    if (m.mig) return;
    if (m.tensorParallelism > 1) {
      out.push(finding(env, `/models/${i}/tensorParallelism`, `model "${m.name}" needs ${m.tensorParallelism} distinct GPUs, but time-sliced GPUs (cluster.gpu.timeSlicing ${n}) may hand it slices of one: use tensor parallelism 1`));
    }
    if (m.gpuMemoryUtilization === undefined || m.gpuMemoryUtilization > cap) {
      out.push(
        finding(
          env,
          m.gpuMemoryUtilization === undefined ? `/models/${i}` : `/models/${i}/gpuMemoryUtilization`,
          `model "${m.name}" shares time-sliced GPUs (cluster.gpu.timeSlicing ${n}): set gpuMemoryUtilization to at most ${cap} (${m.gpuMemoryUtilization === undefined ? 'unset, vLLM takes 0.9 of the GPU' : `it sets ${m.gpuMemoryUtilization}`})`,
        ),
      );
    }
  });
  return out;
};

const tolerates = (t: Record<string, unknown>, taint: { key: string; value?: string; effect: string }): boolean =>
  (t.key === undefined || t.key === taint.key) &&
  (t.effect === undefined || t.effect === taint.effect) &&
  (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? ''));

/** The GPU nodes' taint (a provisioning prerequisite) is tolerated by the model pods. */
export const gpuTaintTolerated: EnvRule = (env) => {
  const gpu = env.config.cluster.gpu;
  if (!gpu?.taint || !served(env).length) return [];
  const tols = (gpu.tolerations ?? []) as Record<string, unknown>[];
  if (tols.some((t) => tolerates(t, gpu.taint!))) return [];
  const t = gpu.taint;
  return [finding(env, '/cluster/gpu/taint', `the GPU nodes' taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} is not tolerated by cluster.gpu.tolerations: no model pod would schedule`)];
};

export const GPU_RULES: EnvRule[] = [modelPodsFitNode, modelGpusFitEnv, modelMigProfileOffered, migLayoutFitsNode, timeSlicedMemory, gpuTaintTolerated];
