/**
 * `check` on the fixture environments fails, naming file and line, for each way a pull request
 * can break a sync: a hand-edited generated file, a base with an unknown field, a custom resource
 * missing a required field, an unknown kind, a duplicate object, an invalid environment file.
 * One environment per check (dev) keeps the kustomize builds few; drift itself is tested
 * without kustomize in test/verify/hydration/drift.test.ts, the full check of every env in test/repo.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { readTree } from '../../scripts/lib/render/write.ts';
import { runMain } from '../helpers/cases.ts';
import { check } from '../helpers/check.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

/** A project whose generated/ is current, after `edit` changes its inputs and re-renders (in process). */
function project(edit?: (t: TempProject) => void): TempProject {
  tp = tempProject({ withGenerated: true });
  if (edit) {
    edit(tp);
    let err = '';
    const code = renderCommand({ paths: tp.paths, envs: undefined, format: 'text', kubeconform: false, out: () => {}, err: (s) => (err += s) });
    if (code !== 0) throw new Error(err);
  }
  return tp;
}

const snapshot = (root: string): string => hash([...readTree(root)].map(([p, c]) => `${p}\0${c}`).join('\0'));

describe('check', () => {
  it('passes on a fixture environment and writes nothing to the project', async () => {
    const t = project();
    const before = snapshot(t.root);
    const r = await check(t.root, ['dev']);
    expect(r.lines).toEqual([]);
    expect(r.envs).toEqual(['dev']);
    expect(r.objects).toBeGreaterThan(100);
    expect(snapshot(t.root)).toBe(before);
  });

  it('names the file and line of an unknown field in a base, a custom resource missing a required field, an unknown kind and a bad key in an application config', async () => {
    const t = project((x) => {
      x.edit('apps/llama-stack/overlays/config.yaml.hbs', '{{yaml facts.llamaStack.runConfig indent=4}}', '{{yaml facts.llamaStack.runConfig indent=4}}\n    tool_groupz: []');
      x.edit('apps/postgres/base/podmonitor.yaml', '    - port: metrics', '    - port: metrics\n      intervall: 30s');
      x.edit('apps/postgres/overlays/databases.yaml.hbs', '  owner: {{json this.owner}}\n', '');
      x.write('apps/kuadrant/base/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: kuadrant-system\n');
      x.edit('apps/kuadrant/base/kustomization.yaml', '  - kuadrant.yaml', '  - kuadrant.yaml\n  - widget.yaml');
      x.edit('apps/mlflow/base/service.yaml', '      targetPort: http', '      targetPort: "5000"');
    });
    const lines = (await check(t.root, ['dev'])).lines;
    // What the API server refuses beyond the schema (core-validation): a quoted port is a port name.
    expect(lines).toContainEqual(
      'apps/mlflow/base/service.yaml:19:1 Service/mlflow [KV003] /spec/ports/0/targetPort Invalid value: "5000": must contain at least one letter (a-z) (the API server refuses it: validateServicePort, Kubernetes v1.35)',
    );
    expect(lines).toContainEqual('apps/postgres/base/podmonitor.yaml:20:1 PodMonitor/catalyst-pg /spec/podMetricsEndpoints/0/intervall unknown field');
    expect(lines).toContainEqual(expect.stringMatching(/^generated\/dev\/postgres\/databases\.yaml:\d+:1 Database\/catalyst-pg-vectors \/spec .*owner/));
    expect(lines).toContainEqual(expect.stringMatching(/^apps\/kuadrant\/base\/widget\.yaml:1:1 Widget\/w \/ no schema for example\.com\/v1 Widget/));
    expect(lines).toContainEqual(expect.stringMatching(/^generated\/dev\/llama-stack\/config\.yaml:\d+:\d+ .*tool_groupz/));
  });

  it('rejects a duplicate object', async () => {
    const t = project((x) => {
      x.write('apps/kuadrant/base/again.yaml', x.read('apps/kuadrant/base/kuadrant.yaml'));
      x.edit('apps/kuadrant/base/kustomization.yaml', '  - kuadrant.yaml', '  - kuadrant.yaml\n  - again.yaml');
    });
    const r = await check(t.root, ['dev']);
    expect(r.lines).toEqual([
      'apps/kuadrant/base/again.yaml:1:1 / duplicate object Kuadrant.v1beta1.kuadrant.io/kuadrant.kuadrant-system (kustomize: may not add resource with an already registered id)',
    ]);
  });

  it('refuses apiServerCidrs that open the platform to the internet, naming the namespaces and ports (POS001)', async () => {
    const t = project();
    t.edit('environments/dev.yaml', /apiServerCidrs: \[[^\]]*\]/, 'apiServerCidrs: [0.0.0.0/0]');
    const r = await check(t.root, ['dev']);
    expect(r.lines).toEqual([expect.stringMatching(/^environments\/dev\.yaml:11:\d+ \[POS001\] \/cluster\/apiServerCidrs\/0 "0\.0\.0\.0\/0" covers public internet addresses \(1\.0\.0\.0-9\.255\.255\.255\): pods in .*catalyst-data \(postgres\).* would get egress to it on TCP 443 and 6443/)]);
  });

  it('stops at an invalid environment file with its line and column', async () => {
    const t = project();
    t.edit('environments/prod.yaml', 'instances: 3', 'instances: many');
    const r = await check(t.root, ['prod']);
    expect(r.lines).toContainEqual(expect.stringMatching(/^environments\/prod\.yaml:\d+:16 \/components\/postgres\/instances must be integer, found string$/));
  });

  it('prints one JSON document (findings with severity, and the summary) and GitHub annotations with a summary line last', async () => {
    const t = project();
    t.edit('generated/dev/postgres/patch-cluster.yaml', 'instances: 1', 'instances: 2');
    const json = await runMain(t.root, ['check', '--env', 'dev', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const doc = JSON.parse(json.stdout) as { command: string; ok: boolean; findings: Record<string, unknown>[]; summary: Record<string, unknown> };
    expect(doc).toMatchObject({ command: 'check', ok: false });
    // Applications whose charts are not in this machine's cache are warnings; the one error is the drift.
    expect(doc.findings.filter((f) => f.severity !== 'warning')).toEqual([
      expect.objectContaining({ file: 'generated/dev/postgres/patch-cluster.yaml', line: 7, path: '', kind: null, severity: 'error', message: expect.stringMatching(/^stale/) }),
    ]);
    expect(doc.summary).toMatchObject({ findings: 1, warnings: doc.findings.length - 1, text: expect.stringMatching(/(^|\n)check: 1 environment\(s\), \d+ objects, 1 finding\(s\), [\d.]+ s$/) });
    const gh = await runMain(t.root, ['check', '--env', 'dev', '--format', 'github']);
    expect(gh.stderr).toMatch(/^::error file=generated\/dev\/postgres\/patch-cluster\.yaml,line=7,col=1::\/ stale/m);
    expect(gh.stderr.trim().split('\n').pop()).toMatch(/^check: 1 environment\(s\), \d+ objects, 1 finding\(s\), [\d.]+ s$/);
  });
});

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
