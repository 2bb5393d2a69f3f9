/**
 * generated/<env>/root.yaml and argocd-cm (in every root.yaml, synced by no root), on fixture environments in a temp project:
 * the root's own project, the root Application, cluster registration, the ApplicationSet of a
 * shared Argo CD, the retry budget and the per-env revision.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { argoProject, IN_CLUSTER, type FixtureEnv } from '../helpers/argo-fixture.ts';
import { renderOk, renderTemp, type Obj } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const REMOTE = 'https://alpha.k8s.fixture.example.com:6443';
const REGISTER = ['  cluster:', '    store: { name: hub-vault }', '    key: fixture/argocd/clusters/alpha'];

function render(envs: FixtureEnv[], env: string): { root: Obj[]; files: Map<string, string> } {
  tp = argoProject(envs);
  const out = renderOk(tp, env);
  return { root: parseAllDocuments(out.files.get('root.yaml')!).map((d) => d.toJS() as Obj), files: out.files };
}
const byKind = (objs: Obj[], kind: string): Obj[] => objs.filter((o) => o.kind === kind);
const docs = (files: Map<string, string>, path: string): Obj[] => parseAllDocuments(files.get(path)!).map((d) => d.toJS() as Obj);

describe('root.yaml of an env with an Argo CD of its own', () => {
  it('puts the root in its own project that permits only Applications (no ConfigMap), and no cluster-scoped kind', () => {
    const { root } = render([{ name: 'alpha' }], 'alpha');
    const rootProject = byKind(root, 'AppProject').find((p) => p.metadata.name === 'fixture-alpha-root')!;
    expect(rootProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'Application' }]);
    expect(rootProject.spec.clusterResourceWhitelist).toEqual([]);
    expect(rootProject.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: 'argo-fixture' }]);
    const [app] = byKind(root, 'Application');
    expect(app!.spec.project).toBe('fixture-alpha-root');
    expect(app!.spec.syncPolicy.syncOptions).toBeUndefined();
  });

  it('follows argocd.targetRevision in the root and in every child built from this repository', () => {
    const { root, files } = render([{ name: 'alpha', argocd: ['  targetRevision: release/alpha'] }], 'alpha');
    expect(byKind(root, 'Application')[0]!.spec.source.targetRevision).toBe('release/alpha');
    const own = [...files].filter(([p]) => p.startsWith('apps/')).flatMap(([p]) => docs(files, p)).filter((o) => o.kind === 'Application');
    const local = own.filter((a) => a.spec.source.repoURL === byKind(root, 'Application')[0]!.spec.source.repoURL);
    expect(local.length).toBeGreaterThan(5);
    for (const a of local) expect(a.spec.source.targetRevision, a.metadata.name).toBe('release/alpha');
  });

  it('sizes the retry budget from sync.retry in the root and every child, refresh on unless turned off', () => {
    const retry = ['  retry:', '    limit: 12', '    refresh: false', '    backoff: { duration: 15s, factor: 2, maxDuration: 7m }'];
    const { root, files } = render([{ name: 'alpha', edits: [['sync:\n  automated: true\n', `sync:\n  automated: true\n${retry.join('\n')}\n`]] }], 'alpha');
    const want = { limit: 12, refresh: false, backoff: { duration: '15s', factor: 2, maxDuration: '7m' } };
    expect(byKind(root, 'Application')[0]!.spec.syncPolicy.retry).toEqual(want);
    expect(docs(files, 'apps/cert-manager.yaml')[0]!.spec.syncPolicy.retry).toEqual(want);
    // refresh set nowhere (neither _base.yaml nor the env): on.
    tp!.cleanup();
    tp = argoProject([{ name: 'alpha', edits: [['sync:\n  automated: true\n', `sync:\n  automated: true\n${retry.filter((l) => !l.includes('refresh')).join('\n')}\n`]] }]);
    tp.edit('environments/_base.yaml', /^ {4}refresh: true\n/m, '');
    const out = renderOk(tp, 'alpha');
    const unset = { ...want, refresh: true };
    expect(docs(out.files, 'root.yaml').find((o) => o.kind === 'Application')!.spec.syncPolicy.retry).toEqual(unset);
    expect(docs(out.files, 'apps/cert-manager.yaml')[0]!.spec.syncPolicy.retry).toEqual(unset);
  });

  it('in-cluster: registers no cluster', () => {
    const { root } = render([{ name: 'alpha' }], 'alpha');
    expect(byKind(root, 'ExternalSecret')).toEqual([]);
  });

  it('remote: an ExternalSecret writes the cluster Secret, labelled for Argo CD, for the exact destination server', () => {
    const { root, files } = render([{ name: 'alpha', server: REMOTE, argocd: REGISTER }], 'alpha');
    const [es] = byKind(root, 'ExternalSecret');
    expect(es!.metadata.namespace).toBe('argo-fixture');
    expect(es!.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'hub-vault' });
    const t = es!.spec.target.template;
    expect(t.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
    expect(t.data.server).toBe(REMOTE);
    for (const a of docs(files, 'apps/cert-manager.yaml')) expect(a.spec.destination.server).toBe(t.data.server);
    const config = JSON.parse(t.data.config.replace('{{ .token }}', 'tok').replace('{{ .caData }}', 'Y2E='));
    expect(config).toEqual({ bearerToken: 'tok', tlsClientConfig: { insecure: false, caData: 'Y2E=' } });
    expect(es!.spec.data.map((d: Obj) => d.remoteRef)).toEqual([
      { key: 'fixture/argocd/clusters/alpha', property: 'token' },
      { key: 'fixture/argocd/clusters/alpha', property: 'caData' },
    ]);
  });

  it('remote without argocd.cluster: a finding, nothing rendered', () => {
    tp = argoProject([{ name: 'alpha', server: REMOTE }]);
    const out = renderTemp(tp, 'alpha');
    expect(out.files.size).toBe(0);
    expect(out.findings.map((f) => `${f.file} ${f.path}`)).toEqual(['environments/alpha.yaml /cluster/server']);
    expect(out.findings[0]!.message).toContain('needs a cluster Secret');
  });
});

describe('envs sharing one Argo CD', () => {
  const hub: FixtureEnv[] = [
    { name: 'alpha', argocd: ['  instance: hub', '  manager: true', '  targetRevision: main'] },
    { name: 'beta', server: 'https://beta.k8s.fixture.example.com:6443', argocd: ['  instance: hub', '  targetRevision: release/beta', '  cluster:', '    store: { name: hub-vault }', '    key: fixture/argocd/clusters/beta'] },
  ];

  it('the manager creates every root through one ApplicationSet; no root syncs argocd-cm', () => {
    const { root, files } = render(hub, 'alpha');
    expect(byKind(root, 'Application')).toEqual([]);
    const [set] = byKind(root, 'ApplicationSet');
    expect(set!.spec.goTemplate).toBe(true);
    expect(set!.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    const elements = set!.spec.generators[0].list.elements as Obj[];
    expect(elements.map((e) => [e.env, e.project, e.revision, e.path])).toEqual([
      ['alpha', 'fixture-alpha-root', 'main', 'generated/alpha/apps'],
      ['beta', 'fixture-beta-root', 'release/beta', 'generated/beta/apps'],
    ]);
    expect(elements.map((e) => e.syncPolicy.syncOptions)).toEqual([undefined, undefined]);
    expect(set!.spec.templatePatch).toContain('toJson .syncPolicy');
    expect(files.has('apps/argocd-cm.yaml')).toBe(false);
    expect(byKind(root, 'ConfigMap').map((c) => c.metadata.name)).toEqual(['argocd-cm']);
  });

  it('another env of the instance: no root Application, argocd-cm only in root.yaml, its root project without ConfigMap', () => {
    const { root, files } = render(hub, 'beta');
    expect(byKind(root, 'Application')).toEqual([]);
    expect(byKind(root, 'ApplicationSet')).toEqual([]);
    expect(files.has('apps/argocd-cm.yaml')).toBe(false);
    const rootProject = byKind(root, 'AppProject').find((p) => p.metadata.name === 'fixture-beta-root')!;
    expect(rootProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'Application' }]);
  });
});
