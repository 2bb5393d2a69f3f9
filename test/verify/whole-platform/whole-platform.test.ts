/**
 * `check` over the whole platform of a fixture project (test/verify/whole-platform/project.ts): two
 * helm components point at fixture charts served from a chart mirror. With the mirror the new
 * rules fire, each naming app, object and cause; without it check passes on the local components
 * and lists the Applications it could not hydrate as warnings; --require-all makes them errors.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDigest, LOCK_FILE, writeLock } from '../../../scripts/lib/verify/hydration/chart-lock.ts';
import { FIXTURES, packageChart } from '../hydration/argocd-source/helpers.ts';
import { runCheck, type CheckResult } from '../../../scripts/lib/commands/check.ts';
import { formatFinding, isWarning, type Finding } from '../../../scripts/lib/findings.ts';
import { runCli } from '../../helpers/cli.ts';
import { platformProject, type PlatformProject } from './project.ts';

let p: PlatformProject;
beforeAll(async () => {
  p = await platformProject();
});
afterAll(async () => p?.cleanup());

const run = (extra: { chartMirror?: string; requireAll?: boolean } = {}): Promise<CheckResult> =>
  runCheck({ paths: p.tp.paths, envs: ['dev'], format: 'text', kubeconform: false, out: () => {}, err: () => {}, ...extra });
const errors = (r: CheckResult): Finding[] => r.findings.filter((f) => !isWarning(f));
const byRule = (r: CheckResult, rule: string): string[] => r.findings.filter((f) => f.rule === rule).map(formatFinding);

describe('check with a chart mirror', () => {
  let r: CheckResult;
  beforeAll(async () => {
    r = await run({ chartMirror: p.mirror });
  });

  it('hydrates the fixture charts with helm and reports which tool ran', () => {
    const lws = r.apps.find((a) => a.app === 'dev-lws');
    expect(lws).toMatchObject({ status: 'hydrated', objects: 4 });
    expect(lws?.tool).toMatch(/^(cached helm template|helm v[34]\.)/);
    expect(r.apps.find((a) => a.app === 'dev-namespaces')).toMatchObject({ status: 'local', tool: 'kustomize' });
  });

  it('reports project admission with app, object and what the project lacks', () => {
    const lines = byRule(r, 'PLAT001');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^helm:fx-leader@0\.1\.0\/fx-leader\/templates\/rbac\.yaml Role\/lws:leaderelection \[PLAT001\] \/metadata\/namespace app "dev-lws": rbac\.authorization\.k8s\.io\/Role kube-system\/lws:leaderelection: namespace "kube-system" .* is not permitted in project "catalyst-dev"/);
  });

  it('reports an object rendered by a chart and a local component (single owner)', () => {
    expect(byRule(r, 'PLAT002')).toEqual([expect.stringMatching(/Namespace\/kagenti-system \[PLAT002\] .*rendered by 2 apps, "dev-kagenti-operator" and "dev-namespaces" \(dev-kagenti-operator: helm:fx-shared@0\.2\.0\/fx-shared\/templates\/namespace\.yaml; dev-namespaces: generated\/dev\/namespaces\/namespaces\.yaml:\d+\)/)]);
  });

  it("checks the chart's pod against the namespace's Pod Security level", () => {
    expect(byRule(r, 'PLAT003')).toContainEqual(expect.stringMatching(/Deployment\/lws \[PLAT003\] .*app "dev-lws".*"restricted:latest" enforced on namespace "lws-system": privileged/));
  });

  it("validates a custom resource against the CRD its chart installs, strictly", () => {
    const lines = r.findings.filter((f) => f.kind === 'Gadget').map(formatFinding);
    expect(lines).toEqual([
      'helm:fx-shared@0.2.0/fx-shared/templates/gadget.yaml Gadget/kagenti-operator /spec/colour unknown field (schema of the hydrated CRD)',
      'helm:fx-shared@0.2.0/fx-shared/templates/gadget.yaml Gadget/kagenti-operator /spec/size must be integer (schema of the hydrated CRD)',
    ]);
  });

  it('warns about a values key the chart does not know, with the nearest real key', () => {
    const f = r.findings.filter((x) => x.rule === 'PLAT004');
    expect(f.map(formatFinding)).toEqual([
      expect.stringMatching(/^generated\/dev\/apps\/lws\.yaml:1:1 Application\/dev-lws \[PLAT004\] warning: \/spec\/source\/helm\/valuesObject\/replicaCont .*did you mean replicaCount\?$/),
    ]);
    expect(f.every(isWarning)).toBe(true);
  });

  it('finds nothing else: the local components stay clean', () => {
    const rules = new Set(errors(r).map((f) => f.rule ?? 'schema'));
    expect([...rules].sort()).toEqual(['PLAT001', 'PLAT002', 'PLAT003', 'SEC005', 'schema']);
    expect(errors(r).every((f) => f.file.startsWith('helm:') || f.rule === 'PLAT002')).toBe(true);
  });
});

describe('check without a mirror', () => {
  it('passes on the local components and lists every Application it could not hydrate, as warnings', async () => {
    const r = await run();
    expect(errors(r)).toEqual([]);
    const missing = byRule(r, 'HYD001');
    expect(missing).toContainEqual(expect.stringMatching(/^generated\/dev\/apps\/lws\.yaml:1:1 Application\/dev-lws \[HYD001\] warning: \/spec\/source not hydrated, its objects were not checked: fx-leader-0\.1\.0\.tgz from https:\/\/charts\.fixture\.example is not in the chart cache/));
    expect(missing.length).toBe(r.apps.filter((a) => a.status === 'not-hydrated').length);
    expect(r.apps.filter((a) => a.status === 'local').length).toBeGreaterThan(10);
  });

  it('--require-all turns them into errors', async () => {
    const r = await run({ requireAll: true });
    expect(errors(r).length).toBeGreaterThan(0);
    expect(errors(r).every((f) => f.rule === 'HYD001')).toBe(true);
  });

  it('prints warnings as GitHub ::warning without failing, and fails with --require-all', async () => {
    const ok = await runCli(['check', '--env', 'dev', '--format', 'github'], p.tp.root);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^::warning file=generated\/dev\/apps\/lws\.yaml,line=1,col=1::Application\/dev-lws \[HYD001\] \/spec\/source not hydrated/m);
    expect(ok.stdout.trim().split('\n').pop()).toMatch(/^check: 1 environment\(s\), \d+ objects, 0 finding\(s\), [\d.]+ s$/);
    const strict = await runCli(['check', '--env', 'dev', '--format', 'json', '--require-all'], p.tp.root);
    expect(strict.code).toBe(1);
    // --format json: one document on stdout, nothing on stderr (emitOutcome)
    expect(strict.stderr).toBe('');
    const doc = JSON.parse(strict.stdout) as { command: string; ok: boolean; findings: Record<string, unknown>[] };
    expect(doc).toMatchObject({ command: 'check', ok: false });
    expect(doc.findings).toContainEqual(expect.objectContaining({ rule: 'HYD001', name: 'dev-lws', severity: 'error' }));
  });

  it('in CI (CI=true) an Application that cannot be hydrated is an error without --require-all, and one line says which and how to get them', async () => {
    const ci = await runCli(['check', '--env', 'dev'], p.tp.root, { CI: 'true' });
    expect(ci.code).toBe(1);
    expect(ci.stdout + ci.stderr).toMatch(/^not hydrated: \d+ Application\(s\) in 1 env\(s\), their objects unchecked: [^;]*\blws\b[^;]*; get them with `npm run charts` .*--chart-mirror DIR/m);
    expect(ci.stderr).toMatch(/Application\/dev-lws \[HYD001\] \/spec\/source not hydrated/);
    expect(ci.stderr).not.toMatch(/\[HYD001\] warning/);
  });
});

describe('charts.lock.yaml', () => {
  const lockFor = async (mirror: string): Promise<void> => {
    const charts = [];
    for (const [chart, version] of [['fx-leader', '0.1.0'], ['fx-shared', '0.2.0']] as const) {
      charts.push({ repoURL: 'https://charts.fixture.example', chart, version, digest: await chartDigest(path.join(mirror, `${chart}-${version}.tgz`)) });
    }
    writeLock(p.tp.root, { charts, git: [] });
  };
  afterAll(() => rmSync(path.join(p.tp.root, LOCK_FILE), { force: true }));

  it('without a lock: a warning, an error where every Application is required', async () => {
    rmSync(path.join(p.tp.root, LOCK_FILE), { force: true });
    expect(byRule(await run({ chartMirror: p.mirror }), 'HYD003')).toEqual([expect.stringMatching(/^charts\.lock\.yaml \[HYD003\] warning: \/ no charts\.lock\.yaml: the content behind each chart and git pin is not recorded/)]);
    expect(errors(await run({ chartMirror: p.mirror, requireAll: true })).map((f) => f.rule)).toContain('HYD003');
  });

  it('passes while the hydrated charts match the lock, and names the chart and both digests when the bytes behind a pin change', async () => {
    await lockFor(p.mirror);
    expect(byRule(await run({ chartMirror: p.mirror }), 'HYD003')).toEqual([]);
    const swapped = mkdtempSync(path.join(os.tmpdir(), 'catalyst-swapped-'));
    try {
      const chart = path.join(swapped, 'src');
      cpSync(path.join(FIXTURES, 'charts', 'fx-leader'), chart, { recursive: true });
      appendFileSync(path.join(chart, 'values.yaml'), '\n# rebuilt behind the same version\n');
      await packageChart(chart, swapped);
      cpSync(path.join(p.mirror, 'fx-shared-0.2.0.tgz'), path.join(swapped, 'fx-shared-0.2.0.tgz'));
      const lines = byRule(await run({ chartMirror: swapped }), 'HYD003');
      expect(lines).toEqual([expect.stringMatching(/^generated\/dev\/apps\/lws\.yaml:1:1 Application\/dev-lws \[HYD003\] \/spec\/source chart fx-leader 0\.1\.0 \(https:\/\/charts\.fixture\.example\): its content differs from charts\.lock\.yaml \(locked sha256:[0-9a-f]{64}, hydrated sha256:[0-9a-f]{64}\)/)]);
    } finally {
      rmSync(swapped, { recursive: true, force: true });
    }
  });
});
