/**
 * `check` fails, naming file and line, for each way a pull request can break a sync:
 * a hand-edited generated file, a base with an unknown field, a custom resource missing a
 * required field, an unknown kind, a duplicate object, an invalid environment file.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree } from '../scripts/lib/render/write.ts';
import { check } from './helpers/check.ts';
import { runCli } from './helpers/cli.ts';
import { tempProject, type TempProject } from './helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

/** A project whose generated/ is current, after `edit` changes its inputs and re-renders. */
async function project(edit?: (t: TempProject) => void): Promise<TempProject> {
  tp = tempProject({ withGenerated: true });
  edit?.(tp);
  const r = await runCli(['render'], tp.root);
  if (r.code !== 0) throw new Error(r.stderr);
  return tp;
}

describe('check', () => {
  it('passes on the bundled environments', async () => {
    const t = await project();
    const r = await check(t.root);
    expect(r.lines).toEqual([]);
    expect(r.envs).toEqual(['dev', 'prod', 'staging']);
    expect(r.objects).toBeGreaterThan(100);
  });

  it('lists a hand-edited, a missing and an extra generated file', async () => {
    const t = await project();
    t.edit('generated/dev/postgres/patch-cluster.yaml', 'instances: 1', 'instances: 2');
    t.write('generated/dev/apps/extra.yaml', 'a: 1\n');
    rmSync(join(t.root, 'generated/prod/root.yaml'));
    const lines = (await check(t.root)).lines;
    expect(lines).toContainEqual(expect.stringMatching(/^generated\/dev\/postgres\/patch-cluster\.yaml:7:1 \/ stale: differs from what the config produces from line 7/));
    expect(lines).toContainEqual('generated/dev/apps/extra.yaml / extra: the config no longer produces this file (run npm run render)');
    expect(lines).toContainEqual('generated/prod/root.yaml / missing: the config produces this file but it is not committed (run npm run render)');
  });

  it('names the base file and line of an unknown field', async () => {
    const t = await project((x) => x.edit('base/postgres/podmonitor.yaml', '    - port: metrics', '    - port: metrics\n      intervall: 30s'));
    const lines = (await check(t.root, ['dev'])).lines;
    expect(lines).toContainEqual('base/postgres/podmonitor.yaml:13:1 PodMonitor/catalyst-pg /spec/podMetricsEndpoints/0/intervall unknown field');
  });

  it('names the file and line of a custom resource missing a required field', async () => {
    const t = await project((x) => x.edit('overlays/postgres/databases.yaml.hbs', '  owner: {{json this.owner}}\n', ''));
    const lines = (await check(t.root, ['dev'])).lines;
    expect(lines).toContainEqual(expect.stringMatching(/^generated\/dev\/postgres\/databases\.yaml:\d+:1 Database\/catalyst-pg-vectors \/spec .*owner/));
  });

  it('rejects an object of a kind it has no schema for', async () => {
    const t = await project((x) => {
      x.write('base/kuadrant/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: kuadrant-system\n');
      x.edit('base/kuadrant/kustomization.yaml', '  - kuadrant.yaml', '  - kuadrant.yaml\n  - widget.yaml');
    });
    const lines = (await check(t.root, ['dev'])).lines;
    expect(lines).toContainEqual(expect.stringMatching(/^base\/kuadrant\/widget\.yaml:1:1 Widget\/w \/ no schema for example\.com\/v1 Widget/));
  });

  it('rejects a duplicate object', async () => {
    const t = await project((x) => {
      x.write('base/kuadrant/again.yaml', x.read('base/kuadrant/kuadrant.yaml'));
      x.edit('base/kuadrant/kustomization.yaml', '  - kuadrant.yaml', '  - kuadrant.yaml\n  - again.yaml');
    });
    const r = await check(t.root, ['dev']);
    expect(r.lines).toEqual([
      'base/kuadrant/again.yaml:1:1 / duplicate object Kuadrant.v1beta1.kuadrant.io/kuadrant.kuadrant-system (kustomize: may not add resource with an already registered id)',
    ]);
  });

  it('stops at an invalid environment file with its line and column', async () => {
    const t = await project();
    t.edit('environments/prod.yaml', 'instances: 3', 'instances: many');
    const r = await check(t.root);
    expect(r.lines).toContainEqual(expect.stringMatching(/^environments\/prod\.yaml:\d+:16 \/components\/postgres\/instances must be integer, found string$/));
  });

  it('writes nothing to the project', async () => {
    const t = await project();
    const snapshot = (): string => hash([...readTree(t.root)].map(([p, c]) => `${p}\0${c}`).join('\0'));
    const before = snapshot();
    t.edit('environments/dev.yaml', 'instances: 1', 'instances: 2');
    const mid = snapshot();
    await check(t.root);
    expect(snapshot()).toBe(mid);
    expect(mid).not.toBe(before);
  });

  it('prints JSON records and GitHub annotations, and a summary line last', async () => {
    const t = await project();
    t.edit('generated/dev/postgres/patch-cluster.yaml', 'instances: 1', 'instances: 2');
    const json = await runCli(['check', '--env', 'dev', '--format', 'json'], t.root);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const [record] = (JSON.parse(json.stdout) as { findings: Record<string, unknown>[] }).findings;
    expect(record).toMatchObject({ file: 'generated/dev/postgres/patch-cluster.yaml', line: 7, path: '', kind: null });
    const gh = await runCli(['check', '--env', 'dev', '--format', 'github'], t.root);
    expect(gh.stderr).toMatch(/^::error file=generated\/dev\/postgres\/patch-cluster\.yaml,line=7,col=1::\/ stale/m);
    expect(gh.stderr.trim().split('\n').pop()).toMatch(/^check: 1 environment\(s\), \d+ objects, 1 finding\(s\), [\d.]+ s$/);
  });
});

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
