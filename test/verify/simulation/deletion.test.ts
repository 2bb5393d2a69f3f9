/**
 * Delete hooks (scripts/lib/verify/simulation/deletion.ts): Argo CD v3.3.14 runs pre-delete and
 * post-delete hooks when an Application is deleted, all of a type at once, and waits for them
 * (controller/hook.go executeHooks, controller/appcontroller.go finalizeApplicationDeletion).
 * Shapes after gpu-operator v26.7.0's cleanup hooks (templates/cleanup_gpucluster.yaml,
 * cleanup_crd.yaml: pre-delete Jobs running as the chart's own ServiceAccount).
 */
import { describe, expect, it } from 'vitest';
import { job, run, sa, type Obj } from './sim-fixture.ts';

const hook = (type: string, weight: number, policy = 'hook-succeeded,before-hook-creation') => ({ 'helm.sh/hook': type, 'helm.sh/hook-weight': String(weight), 'helm.sh/hook-delete-policy': policy });
const cleanup = (name: string, weight: number, type = 'pre-delete', account = 'gpu-operator'): Obj => job(name, 'gpu-operator', { sa: account, annotations: hook(type, weight) });
const env = (objects: Obj[]) => run({ env: 'prod', children: [{ name: 'gpu-operator', wave: 1, namespace: 'gpu-operator', chart: 'gpu-operator', objects }] })[0]!;
const codes = (r: ReturnType<typeof env>) => r.findings.map((f) => `${f.rule}${f.severity === 'warning' ? ' (warning)' : ''}`);

describe('delete hooks', () => {
  it("gpu-operator's shape: a pre-delete Job as the chart's ServiceAccount runs on deletion, not in a sync; no finding", () => {
    const r = env([sa('gpu-operator', 'gpu-operator'), cleanup('gpu-operator-cleanup-gpucluster', 0)]);
    expect(codes(r)).toEqual([]);
    expect(r.converged).toBe(true);
    expect(r.timeline).toContain('  prod-gpu-operator on deletion: PreDelete Job/gpu-operator-cleanup-gpucluster created at once before any of its resources is deleted; the Application stays until they complete');
    expect(r.timeline.join('\n')).not.toMatch(/Sync wave 0: .*gpu-operator-cleanup/);
  });

  it('hooks of one type with different weights run at once (operator.cleanupCRD: true): a warning on the later one', () => {
    const r = env([sa('gpu-operator', 'gpu-operator'), cleanup('gpu-operator-cleanup-gpucluster', 0), cleanup('gpu-operator-cleanup-crd', 1)]);
    expect(codes(r)).toEqual(['SIM012 (warning)']);
    expect(r.converged).toBe(true);
    const f = r.findings[0]!;
    expect(f.name).toBe('gpu-operator-cleanup-crd');
    expect(f.message).toContain('weights 0, 1, but Argo CD creates them all at once');
    expect(f.message).toContain('controller/hook.go executeHooks');
  });

  it('a pre-delete hook running as a pre-install hook ServiceAccount deleted after it succeeded never gets a pod', () => {
    const hookSa: Obj = { ...sa('cleanup', 'gpu-operator'), metadata: { name: 'cleanup', namespace: 'gpu-operator', annotations: hook('pre-install', -1) } };
    const r = env([hookSa, cleanup('gpu-operator-cleanup-gpucluster', 0, 'pre-delete', 'cleanup')]);
    expect(codes(r)).toEqual(['SIM011']);
    expect(r.converged).toBe(false);
    const f = r.findings[0]!;
    expect([f.kind, f.name]).toEqual(['Job', 'gpu-operator-cleanup-gpucluster']);
    expect(f.message).toContain('deleting prod-gpu-operator never finishes: its PreDelete hook Job/gpu-operator-cleanup-gpucluster needs ServiceAccount cleanup (serviceAccountName), a sync hook deleted after it succeeded');
    expect(f.message).toContain('finalizeApplicationDeletion');
  });

  it("a post-delete hook needs the Application's own ServiceAccount: gone before it runs, unless Delete=false", () => {
    const post = cleanup('gpu-operator-post', 0, 'post-delete');
    const r = env([sa('gpu-operator', 'gpu-operator'), post]);
    expect(codes(r)).toEqual(['SIM011']);
    expect(r.findings[0]!.message).toContain('deleted with the Application before PostDelete hooks run');
    const kept: Obj = { ...sa('gpu-operator', 'gpu-operator'), metadata: { name: 'gpu-operator', namespace: 'gpu-operator', annotations: { 'helm.sh/resource-policy': 'keep' } } };
    expect(codes(env([kept, post]))).toEqual([]);
  });

  it("a post-delete hook's ServiceAccount that is a post-delete hook too is created with it (node-feature-discovery's prune Job)", () => {
    const hookSa: Obj = { ...sa('nfd-prune', 'gpu-operator'), metadata: { name: 'nfd-prune', namespace: 'gpu-operator', annotations: hook('post-delete', 0) } };
    const r = env([hookSa, cleanup('nfd-prune', 0, 'post-delete', 'nfd-prune')]);
    expect(codes(r)).toEqual([]);
    expect(r.timeline.join('\n')).toContain('on deletion: PostDelete ServiceAccount/nfd-prune, Job/nfd-prune created at once after all of its resources are deleted');
  });

  it('a reference made outside the Application (another component, the cluster) is assumed present', () => {
    expect(codes(env([cleanup('gpu-operator-post', 0, 'post-delete', 'cluster-admin-sa')]))).toEqual([]);
  });
});
