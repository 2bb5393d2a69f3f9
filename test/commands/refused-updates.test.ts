/**
 * The API server's update rules through the real CLI, in a temp git repo (the review fixture
 * project): after a change to the model-cache PVC's access mode, a PostgreSQL storage shrink, or a
 * Job's pod template under the same name (a benchmark's image), `diff --base HEAD~1` prints
 * "refused by the API server" with the remedy and exits 1, and `check --base HEAD~1` exits 1 with
 * the same finding; a storage increase passes. The fill Job's image change is not refused: its
 * name hashes its pod template, so the change is a new Job (the refused case was the old
 * name, which hashed the model URI only; docs/API-SERVER.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { gitProject, type GitProject } from '../helpers/git-project.ts';

let t: GitProject;


beforeAll(() => {
  t = gitProject();
  // The base: a model cache (one model filled into it), PostgreSQL at 20Gi. A ReadWriteOnce cache
  // is only valid on one GPU node (a rollout's surge pod could wait on Multi-Attach on another),
  // so the base has one node of four GPUs.
  t.edit('environments/lab.yaml', /nodes: 4 .*\n(\s*)gpusPerNode: 1/, 'nodes: 1\n$1gpusPerNode: 4');
  t.edit('environments/lab.yaml', '  models:\n    shmSize: 4Gi\n', '  models:\n    cache: { claimName: model-cache, size: 100Gi, accessMode: ReadWriteOnce }\n    shmSize: 4Gi\n');
  t.edit('environments/lab.yaml', /(    servedName: Qwen\/Qwen3-8B\n)/, '$1    cache: true\n');
  t.commit('lab: model cache');
});
afterAll(() => t?.cleanup());

type Run = Awaited<ReturnType<typeof runMain>>;

/** Commit a change, then diff it (and check it, when asked) against the commit before. */
async function change(edit: () => void, message: string, withCheck = false): Promise<{ diff: Run; check?: Run }> {
  edit();
  t.commit(message);
  const diff = await runMain(t.root, ['diff', '--base', 'HEAD~1', '--env', 'lab']);
  const check = withCheck ? await runMain(t.root, ['check', '--base', 'HEAD~1', '--env', 'lab']) : undefined;
  return { diff, check };
}

describe('changes the API server refuses', () => {
  it('PVC access mode: refused, with the remedy', async () => {
    const r = await change(() => t.edit('environments/lab.yaml', 'accessMode: ReadWriteOnce', 'accessMode: ReadWriteMany'), 'cache RWX', true);
    // (the next changes start from here: the claim is ReadWriteMany from now on)
    expect(r.diff.code).toBe(1);
    expect(r.diff.stdout).toMatch(/\+ +- ReadWriteMany/);
    const all = r.diff.stdout + r.diff.stderr;
    expect(all).toMatch(/\[UPD001\] \/spec\/accessModes refused by the API server: spec\.accessModes of a bound PersistentVolumeClaim is immutable \(\["ReadWriteOnce"\] -> \["ReadWriteMany"\]\)\. Remedy: keep the old value/);
    expect(r.check!.code).toBe(1);
    expect(r.check!.stdout + r.check!.stderr).toMatch(/\[UPD001\][^\n]*refused by the API server: spec\.accessModes/);
  });

  it('PostgreSQL storage shrink: refused by the CloudNativePG webhook; an increase passes', async () => {
    const r = await change(() => t.edit('environments/lab.yaml', 'storage: { size: 20Gi }', 'storage: { size: 15Gi }'), 'pg shrink', true);
    expect(r.diff.code).toBe(1);
    expect(r.diff.stdout + r.diff.stderr).toMatch(/\[UPD008\] \/spec\/storage\/size refused by the API server: the CloudNativePG webhook refuses it: can't shrink existing storage from 20Gi to 15Gi\. Remedy: keep 20Gi/);
    expect(r.check!.code).toBe(1);
    expect(r.check!.stdout + r.check!.stderr).toMatch(/\[UPD008\]/);
    const up = await change(() => t.edit('environments/lab.yaml', 'storage: { size: 15Gi }', 'storage: { size: 30Gi }'), 'pg grow');
    expect(up.diff.stdout + up.diff.stderr).not.toMatch(/refused by the API server/);
    expect(up.diff.code).toBe(0);
  });

  it('fill Job image: a new Job name, not an update of the old Job', async () => {
    const r = await change(() => t.edit('environments/lab.yaml', 'accessMode: ReadWriteMany }', 'accessMode: ReadWriteMany, fillImage: "kserve/storage-initializer:v0.20.1" }'), 'fill image');
    expect(r.diff.stdout + r.diff.stderr).not.toMatch(/refused by the API server/);
    expect(r.diff.code).toBe(0);
    expect(r.diff.stdout).toMatch(/^ {2}- Job catalyst-inference\/fill-qwen3-8b-[0-9a-f]{8} \(batch\/v1\)/m);
    expect(r.diff.stdout).toMatch(/^ {2}\+ Job catalyst-inference\/fill-qwen3-8b-[0-9a-f]{8} \(batch\/v1\)/m);
  });

  it("a Job's pod template changed under the same name (a benchmark's image): refused, with the remedy", async () => {
    const r = await change(() => t.edit('environments/lab.yaml', 'benchmarks/travelplanner:0.1.0', 'benchmarks/travelplanner:0.1.1'), 'benchmark image', true);
    expect(r.diff.code).toBe(1);
    const all = r.diff.stdout + r.diff.stderr;
    expect(all).toMatch(/Job\/travelplanner-smoke-20261126 \[UPD002\] \/spec\/template refused by the API server: spec\.template of a Job is immutable\. Remedy: give the object a new name/);
    expect(r.check!.code).toBe(1);
    expect(r.check!.stdout + r.check!.stderr).toMatch(/\[UPD002\][^\n]*refused by the API server: spec\.template of a Job is immutable/);
  });

  it("check's ReadWriteMany advice, followed, is a new claim: nothing refused", async () => {
    const r = await change(() => {
      t.edit('environments/lab.yaml', 'claimName: model-cache', 'claimName: model-cache-rwx');
    }, 'new RWX claim');
    expect(r.diff.stdout + r.diff.stderr).not.toMatch(/refused by the API server/);
    expect(r.diff.stdout).toMatch(/^ {2}\+ PersistentVolumeClaim catalyst-inference\/model-cache-rwx/m);
  });

  it('check --base with an unknown ref is a usage error', async () => {
    const r = await runMain(t.root, ['check', '--base', 'no-such-ref', '--env', 'lab']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base "no-such-ref" is not a commit/);
  });
});
