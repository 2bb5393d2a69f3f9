/** Rendering: Applications, AppProject, overlays, templates and determinism. */
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadProject, renderOne } from '../scripts/lib/render/environment.ts';
import { compileTemplate } from '../scripts/lib/render/handlebars.ts';
import { formatFinding } from '../scripts/lib/findings.ts';
import { tempProject, type TempProject } from './helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

function render(env = 'prod') {
  const out = renderOne(loadProject(tp!.paths), env);
  if (out.findings.length) throw new Error(out.findings.map(formatFinding).join('\n'));
  return out;
}

function doc(files: Map<string, string>, path: string): Record<string, any> {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} not rendered`);
  return parse(text) as Record<string, any>;
}

describe('child Applications', () => {
  it('carry the wave, the finalizer, the env sync policy, retry and the component source', () => {
    tp = tempProject();
    const { files, plan } = render('prod');
    const app = doc(files, 'apps/postgres.yaml');
    expect(app.metadata.name).toBe('prod-postgres');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(plan!.byName.get('postgres')!.wave));
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.spec.project).toBe('catalyst-prod');
    expect(app.spec.source).toEqual({ repoURL: 'https://github.com/catalyst-lab/catalyst-gitops.git', targetRevision: plan!.env.config.argocd.targetRevision, path: 'generated/prod/postgres' });
    expect(app.spec.destination).toEqual({ server: 'https://prod.k8s.catalyst.example.com:6443', namespace: 'catalyst-data' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    const r = plan!.env.config.sync.retry;
    expect(app.spec.syncPolicy.retry).toEqual({ limit: r.limit, refresh: r.refresh ?? true, backoff: r.backoff });
  });

  it('follow the environment: dev does not self-heal', () => {
    tp = tempProject();
    expect(doc(render('dev').files, 'apps/postgres.yaml').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
  });

  it('render Helm components with a pinned chart, values and server-side apply', () => {
    tp = tempProject();
    const app = doc(render('prod').files, 'apps/cert-manager.yaml');
    expect(app.spec.source).toMatchObject({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.21.1' });
    expect(app.spec.source.helm.valuesObject.crds).toEqual({ enabled: true, keep: true });
    expect(app.spec.source.helm.valuesObject.replicaCount).toBe(2);
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
    const oci = doc(render('prod').files, 'apps/kserve.yaml');
    expect(oci.spec.source).toMatchObject({ repoURL: 'oci://ghcr.io/kserve/charts/kserve-resources', path: '.', targetRevision: 'v0.20.0' });
  });

  it('render Git components at a pinned tag', () => {
    tp = tempProject();
    const app = doc(render('prod').files, 'apps/gateway-api-crds.yaml');
    expect(app.spec.source).toEqual({ repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git', targetRevision: 'v1.5.1', path: 'config/crd/standard' });
  });
});

describe('root.yaml and argocd-cm', () => {
  it('holds the AppProject limited to the catalog, and the root Application on apps/', () => {
    tp = tempProject();
    const { files, plan } = render('dev');
    const objs = parseAllDocuments(files.get('root.yaml')!).map((d) => d.toJS() as Record<string, any>);
    const project = objs.find((o) => o.kind === 'AppProject' && o.metadata.name === plan!.env.config.argocd.project);
    const root = objs.find((o) => o.kind === 'Application');
    expect(project!.kind).toBe('AppProject');
    expect(project!.spec.sourceRepos).toContain('https://charts.jetstack.io');
    expect(project!.spec.sourceRepos).not.toContain('*');
    const namespaces = new Set(project!.spec.destinations.map((d: { namespace: string }) => d.namespace));
    for (const a of plan!.apps) expect(namespaces.has(a.app.namespace)).toBe(true);
    expect(project!.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
    expect(project!.spec.clusterResourceWhitelist).not.toContainEqual({ group: '*', kind: '*' });
    expect(root!.kind).toBe('Application');
    expect(root!.spec.source.path).toBe('generated/dev/apps');
    expect(root!.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  it('ships the Application health check applied server-side, never pruned', () => {
    tp = tempProject();
    const cm = doc(render('dev').files, 'apps/argocd-cm.yaml');
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(cm.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(cm.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    const lua = cm.data['resource.customizations.health.argoproj.io_Application'];
    expect(lua).toContain('obj.status.health.status');
    expect(lua).toContain('hs.status = "Progressing"');
  });
});

describe('overlays', () => {
  it('build on the base and list rendered resources and patches', () => {
    tp = tempProject();
    const k = doc(render('prod').files, 'postgres/kustomization.yaml');
    expect(k.resources[0]).toBe('../../../base/postgres');
    expect(k.resources).toContain('databases.yaml');
    expect(k.patches).toEqual([{ path: 'patch-cluster.yaml' }]);
    const agg = doc(render('prod').files, 'kustomization.yaml');
    expect(agg.resources).toContain('postgres');
    expect(agg.resources).toEqual([...agg.resources].sort());
  });

  it('render the storage layer: instances, pgvector databases, no plaintext credential', () => {
    tp = tempProject();
    const { files } = render('prod');
    expect(doc(files, 'postgres/patch-cluster.yaml').spec.instances).toBe(3);
    const dbs = parseAllDocuments(files.get('postgres/databases.yaml')!).map((d) => d.toJS() as Record<string, any>);
    expect(dbs.map((d) => d.spec.name)).toEqual(['vectors', 'llamastack', 'mlflow', 'benchmarks']);
    expect(dbs[0]!.spec.extensions).toEqual([{ name: 'vector', ensure: 'present' }]);
    for (const text of files.values()) expect(text).not.toMatch(/^kind: Secret$/m);
  });

  it('are byte-for-byte identical when rendered twice', () => {
    tp = tempProject();
    const a = render('prod').files;
    const b = render('prod').files;
    expect([...b.entries()]).toEqual([...a.entries()]);
    for (const text of a.values()) {
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toContain('\r');
    }
  });

  it('report a missing template variable at the template line, and write nothing', () => {
    tp = tempProject();
    tp.edit('overlays/postgres/patch-cluster.yaml.hbs', 'instances: {{json settings.instances}}', 'instances: {{json settings.instancez}}');
    const out = renderOne(loadProject(tp.paths), 'dev');
    expect(out.findings.map(formatFinding)).toEqual([expect.stringMatching(/^overlays\/postgres\/patch-cluster\.yaml\.hbs:7:\d+ \/ template error: json: the value is undefined \(a missing setting or a misspelled name\)/)]);
  });
});

describe('template helpers', () => {
  it('json quotes a value so that it cannot break out of its field', () => {
    const evil = 'x\n---\nkind: Secret\nfoo: {{bar}}: baz';
    const text = compileTemplate('a: {{json v}}\nb: 1\n')({ v: evil });
    const docs = parseAllDocuments(text);
    expect(docs).toHaveLength(1);
    expect((docs[0]!.toJS() as { a: string }).a).toBe(evil);
  });

  it('yaml emits an indented block that parses back to the value', () => {
    const value = { list: [1, 'two', { three: 'line\nbreak' }], s: 'a: b' };
    const text = compileTemplate('outer:\n  inner:\n{{yaml v indent=4}}\n')({ v: value });
    expect(parse(text)).toEqual({ outer: { inner: value } });
  });

  it('checksum is stable across key order', () => {
    const t = compileTemplate('{{checksum v}}');
    expect(t({ v: { a: 1, b: 2 } })).toBe(t({ v: { b: 2, a: 1 } }));
    expect(t({ v: { a: 1 } })).not.toBe(t({ v: { a: 2 } }));
  });
});
