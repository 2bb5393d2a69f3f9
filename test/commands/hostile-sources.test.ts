/**
 * A pull request must not steer where CI connects, and chart and git inputs are read safely
 * (issue 26, classes 1 and 3). A listener on 127.0.0.1 records every connection: it must record
 * none, whatever the hostile input. Each hostile input is reported at its file and line, never
 * as `internal error`.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { refusedAddress, urlHost } from '../../scripts/lib/config/hosts.ts';
import { guardConnection } from '../../scripts/lib/verify/hydration/argocd-source/network-guard.ts';
import { hydrateGitSource } from '../../scripts/lib/verify/hydration/argocd-source/git-source.ts';
import { kustomizeBuild } from '../../scripts/lib/tools/kustomize.ts';
import type { ApplicationSource } from '../../scripts/lib/verify/hydration/argocd-source/app-source.ts';
import { locateChart } from '../../scripts/lib/verify/hydration/argocd-source/chart-cache.ts';

let server: Server;
let port = 0;
let connections = 0;
let tp: TempProject;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  tp = tempProject({ withGenerated: true });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  tp?.cleanup();
});

interface Doc {
  findings: { file: string; line: number; message: string; rule: string | null }[];
}
const json = (s: string): Doc => JSON.parse(s) as Doc;

describe('addresses and hosts', () => {
  it('reads IP literals as URL parsers do and refuses the internal ones', () => {
    expect(urlHost('oci://2130706433/charts')).toBe('127.0.0.1');
    expect(urlHost('https://0x7f.1:8443/x')).toBe('127.0.0.1');
    expect(urlHost('https://[::ffff:169.254.169.254]/x')).toBe('::ffff:a9fe:a9fe');
    for (const h of ['127.0.0.1', '169.254.169.254', '10.1.2.3', '172.20.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00:ec2::254', '::ffff:a9fe:a9fe', 'localhost', 'metadata.google.internal']) {
      expect(refusedAddress(h), h).toBeDefined();
    }
    for (const h of ['github.com', '8.8.8.8', '2606:4700::1111']) expect(refusedAddress(h), h).toBeUndefined();
  });

  it('the guard refuses before connecting: unlisted, internal, and names that resolve inside', async () => {
    const allowed = new Map([['github.com', 1], ['localhost', 2]]);
    await expect(guardConnection(`https://127.0.0.1:${port}/charts`, allowed)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(guardConnection('https://charts.example.org/x', allowed)).rejects.toThrow(/not in apps\/_hosts\.yaml/);
    await expect(guardConnection('https://localhost/x', allowed)).rejects.toThrow(/loopback name/);
    await expect(guardConnection('https://github.com/x', undefined)).rejects.toThrow(/no allow-list/);
    // This machine's own name resolves (through /etc/hosts) to a loopback or private address in
    // containers and CI runners: listed or not, it is refused after resolution.
    const me = hostname().toLowerCase();
    const addresses = await lookup(me, { all: true }).catch(() => []);
    if (addresses.some((a) => refusedAddress(a.address))) {
      await expect(guardConnection(`https://${me}/x`, new Map([[me, 1]]))).rejects.toThrow(/resolves to .*address/);
    }
    expect(connections).toBe(0);
  });
});

describe('the CLI as CI runs it', () => {
  it('a catalog source on the listener, the metadata address or an unlisted host: findings at the repoURL, no connection', async () => {
    const original = tp.read('apps/cert-manager/app.yaml');
    try {
      tp.edit('apps/cert-manager/app.yaml', /repoURL: \S+/, `repoURL: https://127.0.0.1:${port}/charts`);
      for (const args of [['validate'], ['check', '--fetch', '--env', 'dev'], ['charts', '--env', 'dev']]) {
        const r = await runMain(tp.root, [...args, '--format', 'json']);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stdout + r.stderr).not.toMatch(/internal error/);
        if (args[0] === 'validate') {
          expect(json(r.stdout).findings).toContainEqual(expect.objectContaining({ file: 'apps/cert-manager/app.yaml', line: 10, message: expect.stringMatching(/host 127\.0\.0\.1 is a loopback address/) }));
        }
      }
      tp.edit('apps/cert-manager/app.yaml', /repoURL: \S+/, 'repoURL: https://169.254.169.254/latest');
      expect(json((await runMain(tp.root, ['validate', '--format', 'json'])).stdout).findings.map((f) => f.message)).toContainEqual(expect.stringMatching(/cloud metadata address/));
      tp.edit('apps/cert-manager/app.yaml', /repoURL: \S+/, 'repoURL: https://charts.attacker.example');
      expect(json((await runMain(tp.root, ['validate', '--format', 'json'])).stdout).findings.map((f) => f.message)).toContainEqual(expect.stringMatching(/charts\.attacker\.example is not in apps\/_hosts\.yaml/));
      tp.write('apps/cert-manager/app.yaml', original.replace('chart: cert-manager', 'chart: ../../etc/cert-manager'));
      const bad = json((await runMain(tp.root, ['validate', '--format', 'json'])).stdout).findings;
      expect(bad).toContainEqual(expect.objectContaining({ file: 'apps/cert-manager/app.yaml', line: 11, message: expect.stringMatching(/is not valid: must match/) }));
    } finally {
      tp.write('apps/cert-manager/app.yaml', original);
    }
    expect(connections).toBe(0);
  });

  it('a remote resource in a base kustomization is a finding at its line; kustomize never runs it', async () => {
    const k = 'apps/benchmarks/base/kustomization.yaml';
    const original = tp.read(k);
    try {
      tp.edit(k, /resources:\n/, `resources:\n  - http://127.0.0.1:${port}/evil.yaml\n  - github.com/attacker/repo//deploy?ref=v1\n`);
      const r = await runMain(tp.root, ['check', '--env', 'dev', '--format', 'json']);
      expect(r.code).toBe(1);
      const found = json(r.stdout).findings.filter((f) => f.file === k);
      expect(found.map((f) => [f.line, /remote resource/.test(f.message)])).toEqual([
        [8, true],
        [9, true],
      ]);
    } finally {
      tp.write(k, original);
    }
    expect(connections).toBe(0);
  });

  it('kustomize itself has no network: a remote git base fails without a connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-kust-'));
    try {
      // a git transport (ssh): git may use none. (Go's http client sends loopback URLs around any proxy, so an
      // http(s) resource is kept out by the scan before kustomize runs, the test above.)
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ssh://git@127.0.0.1:${port}/org/repo.git//deploy?ref=v1\n`);
      await expect(kustomizeBuild(dir)).rejects.toThrow();
      expect(connections).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('git sources from a mirror', () => {
  const repo = 'https://github.com/kubernetes-sigs/gateway-api.git';
  const src = (path: string): ApplicationSource & { kind: 'git' } => ({
    kind: 'git',
    repoURL: repo,
    revision: 'v1.5.1',
    path,
    directory: { recurse: false, include: '', exclude: '' },
    helm: { releaseName: 'x', namespace: 'x', valuesYaml: '', parameters: [], skipCrds: false, skipTests: false, skipSchemaValidation: false },
  });
  let mirror: string;
  beforeAll(() => {
    mirror = mkdtempSync(join(tmpdir(), 'catalyst-mirror-'));
    const root = join(mirror, 'git/github.com/kubernetes-sigs/gateway-api/v1.5.1');
    mkdirSync(join(root, 'kust'), { recursive: true });
    mkdirSync(join(root, 'base'), { recursive: true });
    writeFileSync(join(root, 'kust/kustomization.yaml'), 'resources:\n  - ../base\n');
    writeFileSync(join(root, 'base/kustomization.yaml'), `resources:\n  - cm.yaml\n  - https://127.0.0.1:${port}/x.yaml\n`);
    writeFileSync(join(root, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    mkdirSync(join(root, 'linked'));
    symlinkSync('/etc/passwd', join(root, 'linked/passwd.yaml'));
    mkdirSync(join(root, 'bomb'));
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)];
    writeFileSync(join(root, 'bomb/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\ndata:\n${bomb.map((l) => `  ${l}`).join('\n')}\n`);
  });
  afterAll(() => rmSync(mirror, { recursive: true, force: true }));
  const opts = (): { mirror: string; kubeVersion: string; apiVersions: string[] } => ({ mirror, kubeVersion: '1.35.0', apiVersions: [] });

  it('a remote resource two bases away is refused at its line, before kustomize runs', async () => {
    const r = await hydrateGitSource(src('kust'), opts());
    expect(r.status).toBe('refused');
    expect(r.status === 'refused' && r.findings.map((f) => [f.file, f.line])).toEqual([[`git:${repo}@v1.5.1/base/kustomization.yaml`, 3]]);
    expect(connections).toBe(0);
  });

  it('a symbolic link is refused at its path', async () => {
    const r = await hydrateGitSource(src('linked'), opts());
    expect(r.status === 'refused' && r.findings.map((f) => [f.file, /symbolic link/.test(f.message)])).toEqual([[`git:${repo}@v1.5.1/linked/passwd.yaml`, true]]);
  });

  it('a chart archive or a git tree that is a link in the mirror is never followed', async () => {
    symlinkSync('/etc/hostname', join(mirror, 'fx-1.0.0.tgz'));
    const ref = { repoURL: 'https://charts.example.org', oci: false, chart: 'fx', version: '1.0.0' };
    expect(await locateChart(ref, { mirror })).toEqual({ missing: expect.stringMatching(/fx-1\.0\.0\.tgz in the chart mirror .* is a symbolic link/) });
    expect(await locateChart({ ...ref, chart: '../../etc/x' }, { mirror })).toEqual({ missing: expect.stringMatching(/unusable chart file name/) });
    symlinkSync(join(mirror, 'git/github.com/kubernetes-sigs/gateway-api/v1.5.1'), join(mirror, 'git/github.com/kubernetes-sigs/gateway-api/v9.9.9'));
    const r = await hydrateGitSource({ ...src('kust'), revision: 'v9.9.9' }, opts());
    expect(r).toMatchObject({ status: 'not-hydrated', reason: expect.stringMatching(/is a symbolic link/) });
  });

  it('an alias bomb fails the source with its path, never a crash', async () => {
    await expect(hydrateGitSource(src('bomb'), opts())).rejects.toThrow(new RegExp(`${repo.replace(/[.]/g, '\\.')}@v1\\.5\\.1/bomb/cm\\.yaml: .*[Aa]lias`));
  });
});
