/**
 * The repository's own config, checked only in ways that hold for any valid config (the
 * environments are the users' data; no value of theirs is asserted here): every environment
 * renders with 0 findings, the committed generated/ is exactly what the config produces, its
 * application configs (Llama Stack, OTel collector) validate, and
 * `check` passes (drift none, every env hydrates with the real kustomize, every object is valid,
 * every rule holds, every chart and git Application hydrated). This is the one full `check` of the
 * test suite.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEnvironments } from '../../scripts/lib/config/load.ts';
import { ROOT, projectPaths } from '../../scripts/lib/paths.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { readTree } from '../../scripts/lib/render/write.ts';
import { objectsOfFile } from '../../scripts/lib/verify/hydration/collect.ts';
import { validateAppConfigs } from '../../scripts/lib/verify/app-configs/index.ts';
import { check } from '../helpers/check.ts';

const envs = listEnvironments(projectPaths());
let renders: Map<string, ReturnType<typeof renderOne>> | undefined;
/** Every environment rendered once for this file (both render tests read the same outputs). */
function rendered(): Map<string, ReturnType<typeof renderOne>> {
  if (!renders) {
    const project = loadProject(projectPaths());
    renders = new Map(envs.map((env) => [env, renderOne(project, env)]));
  }
  return renders;
}

describe('the repository', () => {
  it('has environments', () => {
    expect(envs.length).toBeGreaterThan(0);
  });

  it('renders every environment with 0 findings, to exactly the committed generated/ (byte for byte)', () => {
    for (const [env, out] of rendered()) {
      expect(out.findings.map(formatFinding), env).toEqual([]);
      const committed = readTree(join(ROOT, 'generated', env));
      expect([...committed.keys()].sort(), `files of generated/${env}`).toEqual([...out.files.keys()].sort());
      for (const [path, text] of out.files) expect(committed.get(path), `generated/${env}/${path}`).toBe(text);
    }
  });

  it('renders application configs (Llama Stack run config, OTel collector config) that validate, in every environment', () => {
    for (const [env, out] of rendered()) {
      for (const path of ['llama-stack/config.yaml', 'otel-collector/config.yaml']) {
        const cm = out.files.get(path);
        if (!cm) continue;
        expect(validateAppConfigs(objectsOfFile(`generated/${env}/${path}`, cm), { root: ROOT }).map(formatFinding), `${env} ${path}`).toEqual([]);
      }
    }
  });

  // The whole platform, every chart and git Application hydrated (from the project's chart mirror,
  // CATALYST_CHART_MIRROR or the chart cache): an Application that cannot be hydrated fails here.
  it('passes check with every Application hydrated: drift none, every object is valid, every rule holds', async () => {
    const r = await check(ROOT, undefined, 'text', true);
    expect(r.lines).toEqual([]);
    expect(r.envs).toEqual(envs);
    expect(r.apps.filter((a) => a.status !== 'local' && a.status !== 'hydrated').map((a) => `${a.app}: ${a.reason}`)).toEqual([]);
    expect(r.apps.some((a) => a.status === 'hydrated')).toBe(true);
    // Cold, this hydrates every chart of every env with the real helm: minutes on a loaded 2-core
    // machine. A time limit here would fail on load, not on a finding (speed lives in npm run bench).
  }, 900_000);
});
