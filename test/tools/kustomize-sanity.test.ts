/**
 * kustomize is an external process: it runs with a timeout (a hung build never hangs check) and its
 * output is checked (a component whose kustomization lists resources but builds no objects is an
 * error). A stand-in kustomize (KUSTOMIZE=...) that hangs or prints nothing plays the broken tool.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
const saved = { k: process.env.KUSTOMIZE, t: process.env.CATALYST_KUSTOMIZE_TIMEOUT_MS, s: process.env.CATALYST_KUSTOMIZE_SOURCE };
// A version no real build has: the build cache (keyed by version) never answers for the stand-in.
const VERSION = `v0.0.0-standin-${process.pid}-${Date.now()}`;

beforeAll(() => {
  tp = tempProject({ withGenerated: true });
  mkdirSync(join(tp.root, 'no-charts'));
  const fake = join(tp.root, 'fake-kustomize');
  writeFileSync(
    fake,
    `#!/bin/sh\nif [ "$1" = version ]; then echo ${VERSION}; exit 0; fi\nif [ "$FAKE_KUSTOMIZE" = hang ]; then exec sleep 60; fi\nexit 0\n`,
  );
  chmodSync(fake, 0o755);
  process.env.KUSTOMIZE = fake;
  process.env.CATALYST_KUSTOMIZE_SOURCE = 'env';
  process.env.CATALYST_KUSTOMIZE_TIMEOUT_MS = '1500';
});
afterAll(() => {
  for (const [k, v] of [['KUSTOMIZE', saved.k], ['CATALYST_KUSTOMIZE_TIMEOUT_MS', saved.t], ['CATALYST_KUSTOMIZE_SOURCE', saved.s]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  delete process.env.FAKE_KUSTOMIZE;
  tp?.cleanup();
});

const check = () => runMain(tp.root, ['check', '--env', 'dev', '--chart-mirror', join(tp.root, 'no-charts')]);

describe('kustomize as an external process', () => {
  it('a hung build is stopped at the timeout and reported as a finding', async () => {
    process.env.FAKE_KUSTOMIZE = 'hang';
    // The message proves the timeout fired (a build that never ends would hang the test instead);
    // no wall-clock bound here: under load the check around it may take any time.
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/timed out after 1500 ms/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('an empty build of components that have resources is an error', async () => {
    process.env.FAKE_KUSTOMIZE = 'empty';
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kustomize built no objects for component "[a-z-]+" although its kustomization lists resources/);
  });
});
