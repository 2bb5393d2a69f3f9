/**
 * End to end: a chart repository served over HTTP on 127.0.0.1 (index.yaml from the real
 * `helm repo index`), fetched with the real `helm pull` into a temp cache and rendered; then a warm
 * run with HELM pointing at nothing proves the cache spawns no helm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chartCachePath } from '../../../../scripts/lib/verify/hydration/argocd-source/chart-cache.ts';
import { runHelm } from '../../../../scripts/lib/tools/helm.ts';
import { hydrateApplication } from '../../../../scripts/lib/verify/hydration/argocd-source/hydrate-app.ts';
import { isFile } from '../../../../scripts/lib/verify/hydration/argocd-source/chart-mirror.ts';
import { DEMO_CHART, KUBE, application, packageChart, sandbox, withEnv } from './helpers.ts';

describe('helm repository over HTTP', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  let server: Server;
  let repoURL: string;
  const requests: string[] = [];
  beforeAll(async () => {
    box = await sandbox();
    const repoDir = path.join(box.dir, 'repo');
    await packageChart(DEMO_CHART, repoDir);
    server = createServer((req, res) => {
      const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
      requests.push(name);
      readFile(path.join(repoDir, name)).then(
        (body) => res.writeHead(200).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    repoURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
    await runHelm(['repo', 'index', repoDir, '--url', repoURL]);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await box.restore();
  });

  it('is not hydrated without fetch, pulls with fetch, then renders from the cache without helm', async () => {
    const cacheDir = path.join(box.dir, 'cache');
    const app = application('dev-demo', { repoURL, chart: 'demo', targetRevision: '0.3.1', helm: { releaseName: 'demo' } });
    const cold = await hydrateApplication(app, { cacheDir, ...KUBE });
    expect(cold).toMatchObject({ status: 'not-hydrated', reason: expect.stringMatching(/^demo-0\.3\.1\.tgz from .* is not in the chart cache .*fetching was not asked for/) });
    expect(requests).toEqual([]);

    // By default a loopback repository is refused before any connection (network-guard.ts) ...
    const refused = await hydrateApplication(app, { cacheDir, fetch: true, allowedHosts: new Map([['127.0.0.1', 1]]), ...KUBE });
    expect(refused).toMatchObject({ status: 'refused', reason: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    expect(requests).toEqual([]);
    // ... so this test, serving charts on 127.0.0.1, replaces the guard in code (no flag or variable can).
    const connectGuard = async (): Promise<void> => {};
    const fetched = await hydrateApplication(app, { cacheDir, fetch: true, connectGuard, ...KUBE });
    expect(fetched).toMatchObject({ status: 'hydrated', tool: expect.stringMatching(/^helm v[34]\./) });
    expect(requests).toEqual(['index.yaml', 'demo-0.3.1.tgz']);
    expect(await isFile(chartCachePath(cacheDir, { repoURL, oci: false, chart: 'demo', version: '0.3.1' }))).toBe(true);

    const warm = await withEnv('HELM', path.join(box.dir, 'no-such-helm'), () => hydrateApplication(app, { cacheDir, fetch: true, connectGuard, ...KUBE }));
    expect(warm).toMatchObject({ status: 'hydrated', tool: expect.stringMatching(/^cached helm template/) });
    if (warm.status !== 'hydrated' || fetched.status !== 'hydrated') throw new Error('unreachable');
    expect(warm.objects).toEqual(fetched.objects);
    expect(requests).toHaveLength(2);

    // Other values are another rendering: that needs helm, and the missing one is an error.
    const other = application('dev-demo', { repoURL, chart: 'demo', targetRevision: '0.3.1', helm: { values: 'greeting: x\n' } });
    await expect(withEnv('HELM', path.join(box.dir, 'no-such-helm'), () => hydrateApplication(other, { cacheDir, ...KUBE }))).rejects.toThrow(
      /HELM=.*no-such-helm is not an executable file/,
    );
  });
});
