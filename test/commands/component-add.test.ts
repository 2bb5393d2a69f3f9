/**
 * `npm run component -- add` on a copy of the project (issue 27): a component is one folder, so
 * adding one is the scaffold plus the choices only a person makes.
 * - Kueue with a GPU ClusterQueue, from a kueue-like FIXTURE chart (test/fixtures/charts/fx-kueue,
 *   packaged with the real helm into a temp chart mirror): the scaffold reads the chart with helm
 *   (strict settings schema from its values.yaml, the CRD group it installs, its kinds by scope);
 *   the hand edits are the chart's host, a second folder for the queues, and enabling both in one
 *   env. Render passes; at most 5 files outside generated/ change (a component folder counts as one).
 * - An MCP server ("slack") on the family's shared templates needs no TypeScript change to scaffold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../scripts/lib/render/write.ts';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { FIXTURES, packageChart, sandbox } from '../verify/hydration/argocd-source/helpers.ts';

/** Every file of the project outside generated/, by path. */
function projectFiles(tp: TempProject): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of ['apps', 'base', 'overlays', 'schemas', 'environments']) {
    for (const [f, text] of readTree(path.join(tp.root, d))) out.set(`${d}/${f}`, text);
  }
  return out;
}

/** The files that differ, a component folder (apps/<name>/) counted once. */
function touched(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
  return [...new Set(changed.map((f) => /^apps\/[^_/][^/]*\//.exec(f)?.[0] ?? f))].sort();
}

describe('component add', () => {
  let tp: TempProject;
  let mirror: string;
  let box: Awaited<ReturnType<typeof sandbox>>;
  const savedCache = process.env.CATALYST_CACHE_DIR;

  beforeAll(async () => {
    box = await sandbox();
    process.env.CATALYST_CACHE_DIR = path.join(box.dir, 'cache');
    tp = tempProject({ withGenerated: true });
    mirror = await mkdtemp(path.join(os.tmpdir(), 'catalyst-mirror-'));
    await packageChart(path.join(FIXTURES, 'charts', 'fx-kueue'), mirror);
  });
  afterAll(async () => {
    tp.cleanup();
    await rm(mirror, { recursive: true, force: true });
    if (savedCache === undefined) delete process.env.CATALYST_CACHE_DIR;
    else process.env.CATALYST_CACHE_DIR = savedCache;
    await box.restore();
  });

  it('adds Kueue with a GPU ClusterQueue: scaffold, hand edits in at most 5 files, render passes', async () => {
    const before = projectFiles(tp);
    // Hand edit 1: the chart's host is allowed (apps/_hosts.yaml).
    tp.edit('apps/_hosts.yaml', /^hosts:\n/m, 'hosts:\n  - charts.fixture.example\n');
    const add = await runMain(tp.root, ['component', 'add', 'kueue', '--chart', 'https://charts.fixture.example/fx-kueue@0.1.0', '--namespace', 'kueue-system', '--chart-mirror', mirror]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    // What the scaffold read off the chart with helm.
    const app = tp.read('apps/kueue/app.yaml');
    expect(app).toMatch(/crds:\n {2}installs:\n {4}- queue\.fixture\.example\n/);
    expect(app).toContain('clusterResources:\n  - { group: apiextensions.k8s.io, kind: CustomResourceDefinition }\n');
    expect(app).toContain('namespacedResources:\n  - { group: "", kind: ServiceAccount }\n  - { group: apps, kind: Deployment }\n');
    const schema = JSON.parse(tp.read('apps/kueue/settings.schema.json')) as { $id: string; properties: { values: { additionalProperties: boolean; properties: Record<string, unknown> } } };
    expect(schema.$id).toBe('components/kueue.schema.json');
    expect(schema.properties.values.additionalProperties).toBe(false);
    expect(schema.properties.values.properties.replicaCount).toEqual({ type: 'integer' });
    expect(schema.properties.values.properties.nodeSelector).toEqual({ type: 'object' });
    // Hand edits 2 (same folder): say what it is for.
    tp.edit('apps/kueue/app.yaml', /^description: .*$/m, 'description: Kueue, job queueing with quotas for GPU batch work');
    // Hand edit 3: the queues, a local component of their own (one folder).
    tp.write('apps/kueue-queues/app.yaml', [
      'name: kueue-queues',
      'description: The GPU ClusterQueue and its ResourceFlavor',
      'layer: platform',
      'namespace: kueue-system',
      'optional: true',
      'dependsOn: [kueue]',
      'crds:',
      '  uses: [queue.fixture.example]',
      'source: { type: local }',
      'clusterResources:',
      '  - { group: queue.fixture.example, kind: ClusterQueue }',
      '  - { group: queue.fixture.example, kind: ResourceFlavor }',
      '',
    ].join('\n'));
    tp.write('apps/kueue-queues/overlays/gpu-queue.yaml.hbs', [
      'apiVersion: queue.fixture.example/v1',
      'kind: ResourceFlavor',
      'metadata:',
      '  name: gpu',
      'spec:',
      '  nodeLabels: { nvidia.com/gpu.present: "true" }',
      '---',
      'apiVersion: queue.fixture.example/v1',
      'kind: ClusterQueue',
      'metadata:',
      '  name: gpu',
      'spec:',
      '  namespaceSelector: {}',
      '  resourceGroups:',
      '    - coveredResources: [nvidia.com/gpu]',
      '      flavors:',
      '        - name: gpu',
      '          resources:',
      '            - { name: nvidia.com/gpu, nominalQuota: 8 }',
      '',
    ].join('\n'));
    // Hand edit 4: enable both in dev, with a chart value checked against the chart's keys.
    tp.edit('environments/dev.yaml', /^components:\n/m, 'components:\n  kueue: { enabled: true, values: { manager: { waitForPodsReady: true } } }\n  kueue-queues: { enabled: true }\n');
    expect(touched(before, projectFiles(tp))).toEqual(['apps/_hosts.yaml', 'apps/kueue-queues/', 'apps/kueue/', 'environments/dev.yaml']);

    const misspelt = tp.read('environments/dev.yaml');
    tp.edit('environments/dev.yaml', 'waitForPodsReady: true', 'waitForPodReady: true');
    const refused = await runMain(tp.root, ['validate', '--env', 'dev']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\/components\/kueue\/values\/manager\/waitForPodReady unknown key "waitForPodReady".*did you mean "waitForPodsReady"/);
    tp.write('environments/dev.yaml', misspelt);

    const render = await runMain(tp.root, ['render']);
    expect(render.code, render.stderr).toBe(0);
    expect(tp.read('generated/dev/apps/kueue.yaml')).toContain('valuesObject:\n        manager:\n          waitForPodsReady: true\n');
    expect(tp.read('generated/dev/kueue-queues/gpu-queue.yaml')).toContain('kind: ClusterQueue');

    // check: the chart hydrates from the mirror, and the queue kinds are cluster-scoped as the
    // chart's CRDs say (no hand list of kinds): no error.
    const check = await runMain(tp.root, ['check', '--env', 'dev', '--chart-mirror', mirror, '--format', 'json']);
    const doc = JSON.parse(check.stdout) as { findings: { file: string; message: string; severity?: string }[] };
    const errors = doc.findings.filter((f) => f.severity !== 'warning');
    expect(errors.map((f) => `${f.file} ${f.message}`)).toEqual([]);
    expect(doc.findings.some((f) => f.file === 'generated/dev/apps/kueue.yaml')).toBe(false);
  });

  it('adds an MCP server (slack) without TypeScript: the scaffold writes apps/mcp-slack/, a person adds the gateway edge and the env entry, render passes', async () => {
    const before = projectFiles(tp);
    const add = await runMain(tp.root, ['component', 'add', 'mcp-slack', '--mcp-server']);
    expect(add.code).toBe(0);
    expect(touched(before, projectFiles(tp))).toEqual(['apps/mcp-slack/']);
    expect(tp.read('apps/mcp-slack/app.yaml')).toMatch(/source:\n {2}type: local\n {2}templates: mcp-server\n/);
    // The choices only a person makes: the gateway reaches it (one line in its catalog entry), and
    // an env lists a server of the new type. No TypeScript: the type is catalog data (mcpServer).
    tp.edit('apps/mcp-gateway/app.yaml', '  - { component: mcp-postgres }\n', '  - { component: mcp-postgres }\n  - { component: mcp-slack }\n');
    tp.edit('environments/_base.yaml', /^components:\n/m, 'components:\n  mcp-slack: { enabled: true }\n');
    tp.edit('environments/_base.yaml', /^ {2}servers:\n/m, '  servers:\n    - name: slack\n      type: slack\n      prefix: slack_\n      description: Slack channels of the lab (read-only)\n');
    const v = await runMain(tp.root, ['render', '--env', 'dev']);
    expect(v.stderr).toBe("");
    expect(v.code).toBe(0);
    expect(tp.read('generated/dev/mcp-slack/kustomization.yaml')).toBeTruthy();
    // Every file the addition touched (the tool's code runs from the repo, unchanged):
    expect(touched(before, projectFiles(tp)).filter((f) => !f.startsWith('generated/'))).toEqual(['apps/mcp-gateway/', 'apps/mcp-slack/', 'environments/_base.yaml']);
  });
});
