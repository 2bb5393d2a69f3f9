/**
 * One loaded project renders every env, resolving each once (as itself or as another env that
 * shares its Argo CD). A reused resolution must follow an edit of any file of the env's
 * `extends` chain, not only of the env file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { tempProject } from '../helpers/project.ts';

const tp = tempProject();
afterAll(() => tp.cleanup());

describe('resolved environments reused within a project', () => {
  it('an edit of the extended _base.yaml reaches the next render of the same project', () => {
    const project = loadProject(tp.paths);
    const before = renderOne(project, 'dev');
    expect(before.findings).toEqual([]);
    const root = (out: typeof before): string => out.files.get('root.yaml')!;
    expect(root(before)).toContain('targetRevision: main');
    tp.edit('environments/_base.yaml', /^ {2}targetRevision: main/m, '  targetRevision: release/next');
    const after = renderOne(project, 'dev');
    expect(after.findings).toEqual([]);
    expect(root(after)).toContain('targetRevision: release/next');
    expect(root(after)).not.toContain('targetRevision: main');
  });

  it('an env that stops loading is reported, not served from before', () => {
    const project = loadProject(tp.paths);
    expect(renderOne(project, 'staging').findings).toEqual([]);
    tp.edit('environments/staging.yaml', /^name: staging$/m, 'name: staging\nname: twice');
    expect(renderOne(project, 'staging').findings.map((f) => f.message).join('\n')).toMatch(/duplicate|unique|twice/i);
  });
});
