/**
 * The mig-parted config of an env's MIG layout (cluster.gpu.mig), for the GPU operator's MIG
 * manager (gpu-operator v26.7.0 values `migManager.config {create, name, default, data}`, key
 * config.yaml; node label nvidia.com/mig.config selects the layout). The first
 * wholeGpusPerNode GPUs stay whole (tensor-parallel models), the others are split evenly into
 * the profiles of slicesPerNode. Labelling the nodes stays a prerequisite.
 */
import { stringify } from 'yaml';
import type { EnvConfig } from '../config/environment.ts';

export const MIG_PARTED_CONFIGMAP = 'catalyst-mig-parted-config';

export interface MigParted {
  name: string;
  layout: string;
  /** The config.yaml text. */
  text: string;
}

export function migParted(gpu: EnvConfig['cluster']['gpu']): MigParted | null {
  const mig = gpu?.mig;
  if (!gpu || !mig) return null;
  const sliced = gpu.gpusPerNode - mig.wholeGpusPerNode;
  if (sliced <= 0) return null;
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  const perGpu = Object.fromEntries(Object.entries(mig.slicesPerNode).map(([p, n]) => [p, Math.floor(n / sliced)]));
  const layout: Record<string, unknown>[] = [];
  if (mig.wholeGpusPerNode > 0) layout.push({ devices: range(0, mig.wholeGpusPerNode), 'mig-enabled': false });
  layout.push({ devices: range(mig.wholeGpusPerNode, gpu.gpusPerNode), 'mig-enabled': true, 'mig-devices': perGpu });
  const config = { version: 'v1', 'mig-configs': { 'all-disabled': [{ devices: 'all', 'mig-enabled': false }], [mig.layout]: layout } };
  return { name: MIG_PARTED_CONFIGMAP, layout: mig.layout, text: stringify(config) };
}
