/**
 * Each env's rendered files are reused while its resolved config, the configs of the envs that
 * share its Argo CD and the tool's inputs are unchanged (render/env-cache.ts). A reused render
 * must equal a fresh one, before and after every kind of change that reaches the output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { FIXTURE_ENV_NAMES, tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
let cache: string;
const saved = { reuse: process.env.CATALYST_REUSE_RESULTS, dir: process.env.CATALYST_CACHE_DIR };

beforeAll(() => {
  tp = tempProject();
  cache = mkdtempSync(join(tmpdir(), 'catalyst-env-cache-'));
  process.env.CATALYST_CACHE_DIR = cache;
});
afterAll(() => {
  for (const [k, v] of [['CATALYST_REUSE_RESULTS', saved.reuse], ['CATALYST_CACHE_DIR', saved.dir]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  tp?.cleanup();
  rmSync(cache, { recursive: true, force: true });
});

/** Every fixture env rendered by a freshly loaded project, with reuse on or off. */
function renderAll(reuse: boolean): Map<string, Map<string, string>> {
  process.env.CATALYST_REUSE_RESULTS = reuse ? '1' : '0';
  const project = loadProject(tp.paths);
  const out = new Map<string, Map<string, string>>();
  for (const env of FIXTURE_ENV_NAMES) {
    const r = renderOne(project, env);
    expect(r.findings).toEqual([]);
    out.set(env, r.files);
  }
  return out;
}

/** Reused (second render with reuse on) equals fresh (reuse off); returns the fresh output. */
function expectReusedEqualsFresh(): Map<string, Map<string, string>> {
  renderAll(true);
  const reused = renderAll(true);
  const fresh = renderAll(false);
  expect(reused).toEqual(fresh);
  return fresh;
}

describe('per-env render reuse', () => {
  it('a reused render is byte-identical to a fresh one, and comes back with its objects', () => {
    expectReusedEqualsFresh();
    process.env.CATALYST_REUSE_RESULTS = '1';
    const again = renderOne(loadProject(tp.paths), 'prod');
    expect(again.objects?.size).toBeGreaterThan(10);
    expect(again.plan).toBeDefined();
  });

  it('follows a change of the env, of an env sharing its Argo CD, and of a template', () => {
    const before = expectReusedEqualsFresh();
    tp.edit('environments/prod.yaml', /^ {2}cert-manager: \{ replicas: 2 \}$/m, '  cert-manager: { replicas: 3 }');
    const prodChanged = expectReusedEqualsFresh();
    expect(prodChanged.get('prod')).not.toEqual(before.get('prod'));
    expect(prodChanged.get('dev')).toEqual(before.get('dev'));

    // staging shares prod's Argo CD: prod, the manager, lists it in its ApplicationSet.
    tp.edit('environments/staging.yaml', /^ {2}project: catalyst-staging$/m, '  project: catalyst-staging\n  targetRevision: release/staging');
    const peerChanged = expectReusedEqualsFresh();
    expect(peerChanged.get('prod')!.get('root.yaml')).not.toEqual(prodChanged.get('prod')!.get('root.yaml'));

    const overlay = 'apps/namespaces/overlays/namespaces.yaml.hbs';
    tp.edit(overlay, '    pod-security.kubernetes.io/warn: restricted', '    pod-security.kubernetes.io/warn: restricted\n    example.com/edited: "yes"');
    const toolChanged = expectReusedEqualsFresh();
    expect(toolChanged.get('dev')).not.toEqual(before.get('dev'));
  });
});
