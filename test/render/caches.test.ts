/**
 * The run-to-run caches (compiled schemas, precompiled templates, normalized YAML) change
 * nothing: a render with them and one without (CATALYST_NO_CACHE) give the same bytes, and a
 * template edit is a miss, never a stale hit.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  delete process.env.CATALYST_NO_CACHE;
});

describe('render caches', () => {
  it('give the same files as no cache, and follow a template edit', () => {
    tp = tempProject();
    const env = readdirSync(tp.paths.environments).find((f) => /^[a-z0-9-]+\.yaml$/.test(f))!.replace(/\.yaml$/, '');
    const warm = renderOne(loadProject(tp.paths), env);
    expect(warm.findings).toEqual([]);
    const again = renderOne(loadProject(tp.paths), env);
    process.env.CATALYST_NO_CACHE = '1';
    const cold = renderOne(loadProject(tp.paths), env);
    expect(again.files).toEqual(cold.files);
    expect(warm.files).toEqual(cold.files);
    delete process.env.CATALYST_NO_CACHE;
    // An object added to one template reaches the output through the caches (template comments
    // never reach the output: the normalizer re-serializes the data, so the edit must be data).
    const overlays = (c: string): string => `${tp!.paths.apps}/${c}/overlays`;
    const comp = readdirSync(tp.paths.apps).find((c) => existsSync(overlays(c)) && readdirSync(overlays(c)).some((f) => f.endsWith('.yaml.hbs') && !f.startsWith('values') && !f.startsWith('patch-')))!;
    const tpl = readdirSync(overlays(comp)).find((f) => f.endsWith('.yaml.hbs') && !f.startsWith('values') && !f.startsWith('patch-'))!;
    const out = `${comp}/${tpl.replace(/\.hbs$/, '')}`;
    expect(warm.files.has(out)).toBe(true);
    const marker = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache-test-marker\n';
    expect(warm.files.get(out)).not.toContain('cache-test-marker');
    tp.write(`apps/${comp}/overlays/${tpl}`, `${marker}---\n${tp.read(`apps/${comp}/overlays/${tpl}`)}`);
    const edited = renderOne(loadProject(tp.paths), env);
    expect(edited.files.get(out)?.startsWith(marker)).toBe(true);
  });
});
