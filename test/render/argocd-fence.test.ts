/**
 * The child AppProject fence, computed from the catalog: exactly the union of what the enabled
 * components declare, no destination in the Argo CD namespace or kube-system, and chart values
 * that keep charts in their own namespaces. The last test runs the real helm on a fixture chart
 * with the same gates as cert-manager and kube-prometheus-stack and admits its objects with the
 * project's port of Argo CD's project check (PLAT001). Fixture envs in a temp project.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { argoProject, IN_CLUSTER } from '../helpers/argo-fixture.ts';
import { renderOk, type Obj } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';
import { unionKinds } from '../../scripts/lib/render/argocd-fence.ts';
import { runHelm } from '../../scripts/lib/tools/helm.ts';
import { checkProjectAdmission } from '../../scripts/lib/verify/admission/project-admission.ts';
import { clusterScopedKindsFrom } from '../../scripts/lib/verify/admission/kind-scope.ts';
import { deepMerge } from '../../scripts/lib/config/merge.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import type { K8sObject, PlatformInput } from '../../scripts/lib/verify/admission/types.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const SERVER = 'https://alpha.k8s.fixture.example.com:6443';
const REGISTER = ['  cluster:', '    store: { name: hub-vault }', '    key: fixture/argocd/clusters/alpha'];
const docs = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o && o.kind);

function render(edit?: (t: TempProject) => void): { child: Obj; files: Map<string, string>; plan: NonNullable<ReturnType<typeof renderOk>['plan']> } {
  tp = argoProject([{ name: 'alpha', server: SERVER, argocd: REGISTER }]);
  edit?.(tp);
  const out = renderOk(tp, 'alpha');
  const child = docs(out.files.get('root.yaml')!).find((o) => o.kind === 'AppProject' && o.metadata.name === 'fixture-alpha')!;
  return { child, files: out.files, plan: out.plan! };
}
const values = (files: Map<string, string>, app: string): Obj => docs(files.get(`apps/${app}.yaml`)!)[0]!.spec.source.helm?.valuesObject ?? {};

describe('unionKinds', () => {
  it('merges, sorts, and lets an unnamed entry cover the named ones of its kind', () => {
    expect(
      unionKinds([
        { group: 'b', kind: 'K', name: 'x' },
        { group: 'a', kind: 'K' },
        { group: 'b', kind: 'K' },
        { group: 'c', kind: 'N', name: 'y' },
        { group: 'a', kind: 'K' },
      ]),
    ).toEqual([{ group: 'a', kind: 'K' }, { group: 'b', kind: 'K' }, { group: 'c', kind: 'N', name: 'y' }]);
  });
});

describe('the child project', () => {
  it('permits exactly the kinds the enabled components declare, in their namespaces on the env cluster only', () => {
    const { child, plan } = render();
    const want = unionKinds(plan.apps.flatMap((a) => a.app.namespacedResources));
    expect(child.spec.namespaceResourceWhitelist).toEqual(want);
    expect(child.spec.clusterResourceWhitelist).toEqual(unionKinds(plan.apps.flatMap((a) => a.app.clusterResources)));
    const namespaces = [...new Set(plan.apps.map((a) => a.app.namespace))].sort();
    expect(child.spec.destinations).toEqual(namespaces.map((namespace) => ({ server: SERVER, namespace })));
    for (const d of child.spec.destinations as Obj[]) {
      expect(['argo-fixture', 'kube-system', '*']).not.toContain(d.namespace);
      expect(d.server).not.toBe(IN_CLUSTER);
    }
  });

  it('widens only through the catalog, so a wider fence shows in the diff of root.yaml', () => {
    const before = render().child.spec.namespaceResourceWhitelist as Obj[];
    expect(before).not.toContainEqual({ group: 'batch', kind: 'CronJob' });
    tp!.cleanup();
    const after = render((t) => t.edit('apps/lws/app.yaml', 'namespacedResources:\n', 'namespacedResources:\n  - { group: batch, kind: CronJob }\n')).child.spec.namespaceResourceWhitelist as Obj[];
    expect(after).toContainEqual({ group: 'batch', kind: 'CronJob' });
  });

  it('name-scopes the gateway-api admission policy', () => {
    const { child } = render();
    for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
      expect(child.spec.clusterResourceWhitelist).toContainEqual({ group: 'admissionregistration.k8s.io', kind, name: 'safe-upgrades.gateway.networking.k8s.io' });
    }
  });
});

describe('chart values that keep charts in their namespaces and give each object one owner', () => {
  it('cert-manager leader election and kube-prometheus-stack exporters stay out of kube-system', () => {
    const { files } = render();
    expect(values(files, 'cert-manager').global.leaderElection.namespace).toBe('cert-manager');
    const kps = values(files, 'kube-prometheus-stack');
    for (const c of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) expect(kps[c], c).toEqual({ enabled: false });
    expect(kps.coreDns.service.enabled).toBe(false);
  });

  it('istiod gives gateway pods a RuntimeDefault seccomp profile and leaves their securityContext alone', () => {
    const gw = values(render().files, 'istiod').gateways;
    expect(gw.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(gw.securityContext).toBeUndefined();
  });

  it('KServe: the kserve app owns the shared objects, llmisvc CRDs come from the kustomization, presets after the llmisvc controller', () => {
    const { files, plan } = render();
    expect(values(files, 'kserve-llmisvc').kserve).toEqual({ createSharedResources: false, llmisvc: { createGIECRDs: false } });
    expect(values(files, 'kserve').kserve.createSharedResources).toBeUndefined();
    expect(docs(files.get('apps/kserve-llmisvc-crds.yaml')!)[0]!.spec.source).toMatchObject({ repoURL: 'https://github.com/kserve/kserve.git', path: 'config/crd/full/llmisvc' });
    expect(values(files, 'kserve-runtime-configs')).toEqual({ kserve: { llmisvcConfigs: { enabled: true } } });
    const wave = (n: string): number => plan.apps.find((a) => a.name === n)!.wave;
    expect(wave('kserve-runtime-configs')).toBeGreaterThan(wave('kserve-llmisvc'));
    expect(wave('models')).toBeGreaterThan(wave('kserve-runtime-configs'));
  });
});

describe('admission with the real helm', () => {
  const chart = join(ROOT, 'test/fixtures/argo/charts/out-of-namespace');

  async function admit(child: Obj, chartValues: Obj): Promise<string[]> {
    const args = ['template', 'fixture', chart, '--namespace', 'cert-manager', '--set-json', `global=${JSON.stringify(chartValues.global ?? {})}`];
    for (const [k, v] of Object.entries(chartValues)) if (k !== 'global') args.push('--set-json', `${k}=${JSON.stringify(v)}`);
    const objects = docs((await runHelm(args)).stdout) as K8sObject[];
    const input: PlatformInput = {
      apps: [{ app: 'alpha-fixture', project: child.metadata.name, destination: { server: SERVER, namespace: 'cert-manager' }, objects: objects.map((obj) => ({ obj, file: 'fixture', line: 1 })) }],
      projects: [child as K8sObject],
      namespaces: [],
      clusterScopedKinds: clusterScopedKindsFrom(objects),
    };
    return checkProjectAdmission(input).map((f) => f.message);
  }

  it('with the values the generator emits nothing lands in kube-system and every object is admitted; with chart defaults it is refused', async () => {
    const { child, files } = render();
    const emitted = deepMerge(values(files, 'kube-prometheus-stack'), values(files, 'cert-manager')) as Obj;
    expect(await admit(child, emitted)).toEqual([]);
    const refused = await admit(child, {});
    expect(refused.length).toBe(6);
    for (const m of refused) expect(m).toContain('namespace "kube-system" on server');
  });
});
