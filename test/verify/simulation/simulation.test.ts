/**
 * The bootstrap simulation (scripts/lib/verify/simulation/) on small envs: each case is a rule of
 * the model (docs/SIMULATION.md) and, where the project fixed a stall, the shape before and after.
 */
import { describe, expect, it } from 'vitest';
import { ORPHANED_IGNORE } from '../../../scripts/lib/render/argocd-fence.ts';
import { job, ns, pvc, rules, run, sa, wave, type Obj } from './sim-fixture.ts';

const finding = (r: ReturnType<typeof run>[number], rule: string) => r.findings.find((f) => f.rule === rule);

describe('PVC binding (gitops-engine health_pvc.go: Pending is Progressing)', () => {
  const bench = (pvcWave: number, storageClasses = [] as { name: string; bindingMode: 'Immediate' | 'WaitForFirstConsumer'; accessModes?: string[] }[], accessModes?: string[]) =>
    run({
      env: 'dev',
      storageClasses,
      children: [{ name: 'benchmarks', wave: 9, namespace: 'bench', objects: [pvc('results', 'bench', { wave: pvcWave, storageClass: 'local-path', accessModes }), job('run-a', 'bench', { wave: 1, claim: 'results', deadline: 600 }), job('run-b', 'bench', { wave: 2, claim: 'results', deadline: 600 })] }],
    })[0]!;

  it('a WaitForFirstConsumer claim in a wave before its first consumer stalls the Application forever', () => {
    const r = bench(0);
    expect(r.converged).toBe(false);
    const f = finding(r, 'SIM001')!;
    expect(f.kind).toBe('PersistentVolumeClaim');
    expect(f.name).toBe('results');
    expect(f.message).toContain('Sync wave 0');
    expect(f.message).toContain('WaitForFirstConsumer (assumed: not configured)');
    expect(f.message).toContain('gitops-engine/pkg/health/health_pvc.go');
    expect(f.message).toContain('another operation is in progress');
  });

  it('the same claim in the wave of its first consumer converges', () => {
    const r = bench(1);
    expect(rules(r)).toEqual([]);
    expect(r.converged).toBe(true);
  });

  it('an Immediate class binds at once, in any wave', () => {
    expect(bench(0, [{ name: 'local-path', bindingMode: 'Immediate' }]).converged).toBe(true);
  });

  it('a class that does not offer the access mode never binds', () => {
    const r = bench(1, [{ name: 'local-path', bindingMode: 'Immediate', accessModes: ['ReadWriteOnce'] }], ['ReadWriteMany']);
    expect(finding(r, 'SIM001')?.message).toContain('does not offer ReadWriteMany');
  });
});

describe('references a pod needs, and the wave that creates them', () => {
  const cache = (saWave: number, secretWave: number) =>
    run({
      env: 'staging',
      children: [{
        name: 'models',
        wave: 5,
        namespace: 'inference',
        objects: [
          sa('model-server', 'inference', saWave),
          { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'hf-token', namespace: 'inference', annotations: wave(secretWave) }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } } } as Obj,
          pvc('model-cache', 'inference', { wave: -1, storageClass: 'fast-ssd' }),
          job('fill', 'inference', { wave: -1, sa: 'model-server', claim: 'model-cache', secret: 'hf-token' }),
          { apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceService', metadata: { name: 'chat', namespace: 'inference' }, spec: {} } as Obj,
        ],
      }],
    })[0]!;

  it('a fill Job whose ServiceAccount comes a wave later never gets a pod: its claim and the wave wait forever', () => {
    const r = cache(0, 0);
    const f = finding(r, 'SIM001')!;
    expect(f.message).toContain('Sync wave -1');
    expect(f.message).toContain('ServiceAccount model-server does not exist yet');
  });

  it('a fill Job whose token Secret comes a wave later waits for it forever', () => {
    const r = cache(-2, 0);
    const f = finding(r, 'SIM001')!;
    expect(f.message).toContain('Job/fill');
    expect(f.message).toContain('Secret hf-token');
  });

  it('ServiceAccount and ExternalSecret before the fill Job: converges', () => {
    expect(rules(cache(-2, -2))).toEqual([]);
  });

  it('a Job whose secret arrives in the same wave (ExternalSecret synced) converges', () => {
    expect(rules(cache(-1, -1))).toEqual([]);
  });
});

describe('a child that fails for good (controller/appcontroller.go, Application Lua health)', () => {
  // Child "api" (root wave 0) puts objects in namespace "late", which child "namespaces" creates
  // in root wave 1: the dry run fails on every retry.
  const env = (luaPatch?: (s: string, name: string) => string, chart?: string) =>
    run({
      env: 'dev',
      luaPatch,
      children: [
        { name: 'api', wave: 0, namespace: 'late', chart, objects: [sa('api', 'late')] },
        { name: 'namespaces', wave: 1, namespace: 'late', objects: [ns('late')] },
      ],
    })[0]!;

  it('reads Degraded: the root fails after its retries instead of running forever', () => {
    const r = env();
    expect(rules(r)).toContain('SIM002');
    const root = r.findings.find((f) => f.rule === 'SIM002' && f.message.includes('dev-root'))!;
    expect(root.message).toContain('Last sync Failed');
    expect(root.message).toContain('health Missing');
    expect(r.findings.some((f) => f.rule === 'SIM001')).toBe(false);
  });

  it('with the Lua that read Failed+Missing as Progressing, the root never finishes', () => {
    const revert = (s: string, name: string): string =>
      name === 'argoproj.io_Application' ? s.replace(/if phase == "Failed" or phase == "Error" then[\s\S]*?\nend\n/, '') : s;
    const r = env(revert);
    const f = r.findings.find((x) => x.rule === 'SIM001' && x.message.includes('dev-root never finishes'))!;
    expect(f.message).toContain('Application/dev-api');
    expect(f.message).toContain('Application health is Missing');
  });

  it('a child pinned to a chart version names the operator recovery (no new commit retries it)', () => {
    const f = env(undefined, 'api-chart').findings.find((x) => x.rule === 'SIM002' && x.message.includes('dev-api fails'))!;
    expect(f.message).toContain('namespaces "late" not found');
    expect(f.message).toContain('alreadyAttemptedSync');
    expect(f.message).toContain('argocd app sync dev-api');
  });
});

describe('waves and hooks (gitops-engine sync_context.go, hook/helm/type.go)', () => {
  it('the last wave is never waited for; a long run in an earlier wave holds the operation (a warning)', () => {
    const objects = [job('short', 'b', { wave: 1, deadline: 600 }), job('long', 'b', { wave: 2, deadline: 43200 }), job('last', 'b', { wave: 3, deadline: 86400 })];
    const r = run({ env: 'prod', children: [{ name: 'benchmarks', wave: 9, namespace: 'b', objects }] })[0]!;
    expect(r.converged).toBe(true);
    const holds = r.findings.filter((f) => f.rule === 'SIM005');
    expect(holds.map((f) => f.name)).toEqual(['long']);
    expect(holds[0]!.severity).toBe('warning');
    expect(holds[0]!.message).toContain('12 h');
  });

  it('a Helm pre-install hook runs in PreSync, before the Sync-phase ServiceAccount it needs', () => {
    const hook = job('migrate', 'x', { sa: 'runner', annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade' } });
    const r = run({ env: 'dev', children: [{ name: 'db', wave: 0, namespace: 'x', objects: [sa('runner', 'x'), hook] }] })[0]!;
    const f = finding(r, 'SIM001')!;
    expect(f.message).toContain('PreSync wave 0');
    expect(f.message).toContain('ServiceAccount runner (serviceAccountName) does not exist yet');
  });

  it('Helm test and delete hooks never run in a sync', () => {
    const test = job('smoke', 'x', { sa: 'nobody', annotations: { 'helm.sh/hook': 'test' } });
    const del = job('cleanup', 'x', { sa: 'nobody', annotations: { 'helm.sh/hook': 'pre-delete' } });
    const r = run({ env: 'dev', children: [{ name: 'db', wave: 0, namespace: 'x', objects: [test, del, sa('nobody', 'x', 5), sa('other', 'x', 6)] }] })[0]!;
    expect(rules(r)).toEqual([]);
  });
});

describe('shared instances: health checks before any root syncs', () => {
  const children = [{ name: 'a', wave: 0, namespace: 'x', objects: [sa('a', 'x')] }, { name: 'b', wave: 1, namespace: 'x', objects: [sa('b', 'x')] }];

  it('a root whose instance has no Application health check yet moves past its waves ungated', () => {
    const [prod, staging] = run(
      { env: 'prod', instance: 'central', ownRoot: false, appSetFor: ['prod', 'staging'], children },
      { env: 'staging', instance: 'central', ownRoot: false, cmInApps: false, children },
    );
    expect(rules(prod!)).toEqual([]);
    const f = finding(staging!, 'SIM004')!;
    expect(f.message).toContain('staging-root moves past wave 0 without waiting for staging-a');
    expect(f.file).toBe('generated/prod/root.yaml');
  });

  it('the checks in every root.yaml gate every root from its first wave', () => {
    const [prod, staging] = run(
      { env: 'prod', instance: 'central', ownRoot: false, appSetFor: ['prod', 'staging'], cmInRootYaml: true, children },
      { env: 'staging', instance: 'central', ownRoot: false, cmInApps: false, cmInRootYaml: true, children },
    );
    expect(rules(prod!)).toEqual([]);
    expect(rules(staging!)).toEqual([]);
    expect(staging!.timeline[0]).toContain('argoproj.io_Application');
  });
});

describe('ignoreDifferences (argo-cd sync-options.md, "Respect ignore differences configs")', () => {
  const ignore = [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy'] }];
  it('without RespectIgnoreDifferences=true every sync resets the ignored fields: a fight', () => {
    const r = run({ env: 'dev', children: [{ name: 'istiod', wave: 0, namespace: 'istio-system', ignoreDifferences: ignore, objects: [sa('istiod', 'istio-system')] }] })[0]!;
    expect(finding(r, 'SIM009')?.message).toContain('dev-istiod fights the cluster: ignoreDifferences (ValidatingWebhookConfiguration)');
  });
  it('with it, no fight', () => {
    const r = run({ env: 'dev', children: [{ name: 'istiod', wave: 0, namespace: 'istio-system', ignoreDifferences: ignore, syncOptions: ['RespectIgnoreDifferences=true'], objects: [sa('istiod', 'istio-system')] }] })[0]!;
    expect(rules(r)).toEqual([]);
  });
});

describe('orphaned resources (controller/appcontroller.go isKnownOrphanedResourceExclusion)', () => {
  const project = (ignore?: unknown[]): Obj => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'catalyst-dev', namespace: 'argocd' }, spec: { destinations: [{ namespace: 'web' }, { namespace: 'istio-system' }], orphanedResources: { warn: true, ...(ignore ? { ignore } : {}) } } });
  const ingress: Obj = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'web', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } }, spec: { tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }] } };
  const istiod: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istiod', namespace: 'istio-system' }, spec: { template: { spec: { containers: [{ name: 'discovery', image: 'istio/pilot' }] } } } };
  const env = (ignore?: unknown[]) => run({ env: 'dev', rootYamlExtra: [project(ignore)], children: [{ name: 'istiod', wave: 0, namespace: 'istio-system', objects: [istiod] }, { name: 'web', wave: 1, namespace: 'web', objects: [ingress] }] })[0]!;
  it('istio-ca-root-cert and cert-manager TLS Secrets warn for ever without an ignore', () => {
    const found = env().findings.filter((f) => f.rule === 'SIM010').map((f) => f.message);
    expect(found.some((m) => m.includes('ConfigMap istio-ca-root-cert'))).toBe(true);
    expect(found.some((m) => m.includes('Secret web-tls'))).toBe(true);
  });
  it("the project's ignore list covers them", () => {
    expect(rules(env(ORPHANED_IGNORE))).toEqual([]);
  });
});
