/** Reading Application sources and building the `helm template` command as Argo CD 3.3 does (no helm run). */
import { describe, expect, it } from 'vitest';
import { readAppSource } from '../../../../scripts/lib/verify/hydration/argocd-source/app-source.ts';
import { pullArgs } from '../../../../scripts/lib/verify/hydration/argocd-source/chart-cache.ts';
import { cleanSetValue, normalizeKubeVersion, templateArgs } from '../../../../scripts/lib/verify/hydration/argocd-source/template.ts';
import { application } from './helpers.ts';

describe('readAppSource', () => {
  it('reads an https chart source with valuesObject, release name and destination namespace', () => {
    const src = readAppSource(
      application('dev-demo', {
        repoURL: 'https://charts.example/repo',
        chart: 'demo',
        targetRevision: '0.3.1',
        helm: { releaseName: 'demo', valuesObject: { greeting: 'hi' }, values: 'greeting: ignored\n' },
      }),
    );
    expect(src).toMatchObject({ kind: 'helm', oci: false, chart: 'demo', version: '0.3.1' });
    if (src.kind !== 'helm') throw new Error('not helm');
    expect(src.helm).toMatchObject({ releaseName: 'demo', namespace: 'demo-ns', valuesYaml: 'greeting: hi\n' });
  });

  it('reads the OCI source form (repoURL ends in the chart, path ".") and defaults the release name to the app name', () => {
    const src = readAppSource(application('dev-demo', { repoURL: 'oci://registry.example/charts/demo', targetRevision: 'v0.3.1', path: '.' }));
    expect(src).toMatchObject({ kind: 'helm', oci: true, chart: 'demo', version: 'v0.3.1' });
    if (src.kind === 'helm') expect(src.helm.releaseName).toBe('dev-demo');
  });

  it('uses the values string when there is no valuesObject, and helm.namespace over the destination', () => {
    const src = readAppSource(
      application('a', { repoURL: 'https://c.example', chart: 'x', targetRevision: '1', helm: { values: 'a: 1\n', namespace: 'other' } }),
    );
    if (src.kind !== 'helm') throw new Error('not helm');
    expect(src.helm).toMatchObject({ valuesYaml: 'a: 1\n', namespace: 'other' });
  });

  it('treats this project\'s repository as local, by URL or (without one) by a generated/ path', () => {
    const app = application('a', { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'generated/dev/x' });
    expect(readAppSource(app)).toEqual({ kind: 'local', repoURL: 'https://github.com/acme/gitops.git', path: 'generated/dev/x' });
    expect(readAppSource(app, { projectRepoURL: 'https://github.com/ACME/gitops/' }).kind).toBe('local');
    expect(readAppSource(app, { projectRepoURL: 'https://github.com/acme/other' }).kind).toBe('git');
  });

  it('reads a git directory source with its directory settings', () => {
    const src = readAppSource(
      application('a', {
        repoURL: 'https://github.com/example/plain.git',
        targetRevision: 'v1.0.0',
        path: 'config',
        directory: { recurse: true, include: '*.yaml', exclude: 'x/*' },
      }),
    );
    expect(src).toMatchObject({ kind: 'git', revision: 'v1.0.0', path: 'config', directory: { recurse: true, include: '*.yaml', exclude: 'x/*' } });
  });

  it('says why it cannot hydrate multi-source apps, plugins, valueFiles and kustomize options', () => {
    const reasons = [
      { sources: [] },
      { source: { repoURL: 'https://g.example/r', path: '.', plugin: { name: 'p' } } },
      { source: { repoURL: 'https://c.example', chart: 'x', targetRevision: '1', helm: { valueFiles: ['v.yaml'] } } },
      { source: { repoURL: 'https://g.example/r', path: '.', kustomize: { namePrefix: 'p-' } } },
      { source: { repoURL: 'https://c.example', chart: 'x' } },
    ].map((spec) => {
      const r = readAppSource({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec });
      return r.kind === 'unsupported' ? r.reason : r.kind;
    });
    expect(reasons).toEqual([
      'spec.sources (multiple sources) is not supported yet',
      'config management plugins are not supported',
      'spec.source.helm.valueFiles is not supported yet',
      'spec.source.kustomize options are not supported yet',
      'a chart source needs spec.source.targetRevision (the chart version)',
    ]);
  });
});

describe('helm command lines', () => {
  it('orders template flags as Argo CD 3.3 util/helm/cmd.go does', () => {
    const src = readAppSource(
      application('dev-demo', {
        repoURL: 'https://c.example',
        chart: 'demo',
        targetRevision: '1',
        helm: {
          releaseName: 'demo',
          skipTests: true,
          parameters: [
            { name: 'b', value: 'x,y' },
            { name: 'a', value: '{1,2}' },
            { name: 's', value: '007', forceString: true },
          ],
        },
      }),
    );
    if (src.kind !== 'helm') throw new Error('not helm');
    const args = templateArgs('chart.tgz', { helm: src.helm, kubeVersion: 'v1.35.2+k3s1', apiVersions: ['example.com/v1'] }, '/tmp/v.yaml');
    expect(args).toEqual([
      'template', 'chart.tgz', '--name-template', 'demo', '--namespace', 'demo-ns', '--kube-version', '1.35.2',
      '--set', 'a={1,2}', '--set', 'b=x\\,y', '--set-string', 's=007', '--values', '/tmp/v.yaml',
      '--api-versions', 'example.com/v1', '--include-crds', '--skip-tests',
    ]);
  });

  it('normalizes kube versions and escapes commas like Argo CD', () => {
    expect(normalizeKubeVersion('v1.35')).toBe('1.35');
    expect(normalizeKubeVersion('1.35.0')).toBe('1.35.0');
    expect(() => normalizeKubeVersion('latest')).toThrow(/could not parse kubernetes version/);
    expect(cleanSetValue('a,b\\,c')).toBe('a\\,b\\,c');
  });

  it('pulls https charts with --repo and OCI charts by their oci:// reference', () => {
    expect(pullArgs({ repoURL: 'https://c.example/r', oci: false, chart: 'demo', version: '0.3.1' }, '/d')).toEqual([
      'pull', '--destination', '/d', '--version', '0.3.1', '--repo', 'https://c.example/r', 'demo',
    ]);
    expect(pullArgs({ repoURL: 'oci://r.example/charts/demo', oci: true, chart: 'demo', version: 'v1' }, '/d')).toEqual([
      'pull', 'oci://r.example/charts/demo', '--version', 'v1', '--destination', '/d',
    ]);
    expect(pullArgs({ repoURL: 'oci://r.example/charts', oci: true, chart: 'demo', version: 'v1' }, '/d')[1]).toBe('oci://r.example/charts/demo');
  });
});
