/** Argo CD objects: child Applications, the AppProject and root Application, argocd-cm. */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { AppSource } from '../../scripts/lib/config/catalog.ts';
import { fixtureProject, renderFixture } from '../helpers/render.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
function doc(files: Map<string, string>, path: string): Record<string, any> {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} not rendered`);
  return parse(text) as Record<string, any>;
}

/** A component's source as the catalog (apps/) pins it: versions are data, not test expectations. */
function source<T extends AppSource['type']>(name: string, type: T): Extract<AppSource, { type: T }> {
  const s = fixtureProject().project.catalog.get(name)!.source;
  if (s.type !== type) throw new Error(`${name} is a ${s.type} component`);
  return s as Extract<AppSource, { type: T }>;
}

describe('child Applications', () => {
  it('carry the wave, the finalizer, the env sync policy, retry and the component source', () => {
    const { files, plan } = renderFixture('prod');
    const app = doc(files, 'apps/postgres.yaml');
    expect(app.metadata.name).toBe('prod-postgres');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(plan!.byName.get('postgres')!.wave));
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.spec.project).toBe('catalyst-prod');
    expect(app.spec.source).toEqual({ repoURL: 'https://github.com/catalyst-lab/catalyst-gitops.git', targetRevision: 'release/prod', path: 'generated/prod/postgres' });
    expect(app.spec.destination).toEqual({ server: 'https://prod.k8s.catalyst.example.com:6443', namespace: 'catalyst-data' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    expect(app.spec.syncPolicy.retry).toEqual({ limit: 10, refresh: true, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } });
  });

  it('follow the environment: dev does not self-heal', () => {
    expect(doc(renderFixture('dev').files, 'apps/postgres.yaml').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
  });

  it('render Helm components with the chart the catalog pins, values and server-side apply', () => {
    const files = renderFixture('prod').files;
    const app = doc(files, 'apps/cert-manager.yaml');
    const cm = source('cert-manager', 'helm');
    expect(app.spec.source).toMatchObject({ repoURL: cm.repoURL, chart: cm.chart, targetRevision: cm.version });
    expect(app.spec.source.helm.valuesObject.crds).toEqual({ enabled: true, keep: true });
    expect(app.spec.source.helm.valuesObject.replicaCount).toBe(2);
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
    // An OCI chart: the chart reference is the repo URL, at path '.'.
    const oci = doc(files, 'apps/kserve.yaml');
    const ks = source('kserve', 'helm');
    expect(ks.repoURL).toMatch(/^oci:\/\//);
    expect(oci.spec.source).toMatchObject({ repoURL: `${ks.repoURL}/${ks.chart}`, path: '.', targetRevision: ks.version });
  });

  it('render Git components at the tag the catalog pins', () => {
    const app = doc(renderFixture('prod').files, 'apps/gateway-api-crds.yaml');
    const g = source('gateway-api-crds', 'git');
    expect(app.spec.source).toEqual({ repoURL: g.repoURL, targetRevision: g.targetRevision, path: g.path });
  });
});

describe('root.yaml and argocd-cm', () => {
  it('holds the AppProject limited to the catalog, and the root Application on apps/', () => {
    const { files, plan } = renderFixture('prod');
    const objs = parseAllDocuments(files.get('root.yaml')!).map((d) => d.toJS() as Record<string, any>);
    const project = objs.find((o) => o.kind === 'AppProject' && o.metadata.name === 'catalyst-prod');
    expect(project).toBeDefined();
    expect(project!.spec.sourceRepos).toContain('https://charts.jetstack.io');
    expect(project!.spec.sourceRepos).not.toContain('*');
    const namespaces = new Set(project!.spec.destinations.map((d: { namespace: string }) => d.namespace));
    for (const a of plan!.apps) expect(namespaces.has(a.app.namespace)).toBe(true);
    expect(project!.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
    expect(project!.spec.clusterResourceWhitelist).not.toContainEqual({ group: '*', kind: '*' });
    // prod manages a shared Argo CD (argocd.instance): its root comes from the ApplicationSet on apps/.
    expect(objs.filter((o) => o.kind === 'Application')).toEqual([]);
    const set = objs.find((o) => o.kind === 'ApplicationSet')!;
    expect(set.spec.generators[0].list.elements.find((e: { env: string }) => e.env === 'prod').path).toBe('generated/prod/apps');
    // dev has an Argo CD of its own: its root.yaml holds the root Application on apps/.
    const root = parseAllDocuments(renderFixture('dev').files.get('root.yaml')!).map((d) => d.toJS() as Record<string, any>).find((o) => o.kind === 'Application');
    expect(root!.metadata.name).toBe('dev-root');
    expect(root!.spec.source.path).toBe('generated/dev/apps');
    expect(root!.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  it('ships the Application health check in root.yaml (applied by the admin), never in apps/ (no root may sync a ConfigMap)', () => {
    const { files } = renderFixture('dev');
    expect(files.has('apps/argocd-cm.yaml')).toBe(false);
    const cm = parseAllDocuments(files.get('root.yaml')!).map((d) => d.toJS() as Record<string, any>).find((o) => o.kind === 'ConfigMap')!;
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(cm.metadata.annotations).toBeUndefined();
    const lua = cm.data['resource.customizations.health.argoproj.io_Application'];
    expect(lua).toContain('obj.status.health.status');
    expect(lua).toContain('hs.status = "Progressing"');
  });
});
