/**
 * The Argo CD objects come from templates (overlays/_argocd/) fed with data from
 * scripts/lib/render/argocd.ts: the optional parts of an Application appear exactly when the
 * catalog or the environment asks for them, in a fixed key order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempProject, type TempProject } from './helpers/project.ts';
import { renderOk, type Obj } from './helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

const app = (files: Map<string, string>, name: string): Obj => parse(files.get(`apps/${name}.yaml`)!) as Obj;

describe('child Applications from overlays/_argocd/application.yaml.hbs', () => {
  it('carry skipCrds, directory.recurse and no automated sync when the catalog and env say so', () => {
    tp = tempProject();
    tp.edit('apps/cert-manager.yaml', /source:\n/, 'source:\n  skipCrds: true\n');
    tp.edit('apps/llama-stack-operator.yaml', '  include: operator.yaml\n', '  include: operator.yaml\n  recurse: false\n');
    tp.edit('environments/_base.yaml', '  automated: true\n', '  automated: false\n');
    const { files } = renderOk(tp, 'dev');
    const cm = app(files, 'cert-manager');
    expect(cm.spec.source.helm.skipCrds).toBe(true);
    expect(Object.keys(cm.spec.source)).toEqual(['repoURL', 'chart', 'targetRevision', 'helm']);
    const op = app(files, 'llama-stack-operator');
    expect(op.spec.source.directory).toEqual({ recurse: false, include: 'operator.yaml' });
    expect(op.spec.syncPolicy.automated).toBeUndefined();
    expect(Object.keys(op.spec)).toEqual(['project', 'source', 'destination', 'syncPolicy', 'info']);
    expect(Object.keys(op.spec.syncPolicy)).toEqual(['syncOptions', 'retry']);
  });

  it('leave out what is not asked for: skipCrds, syncOptions, ignoreDifferences', () => {
    tp = tempProject();
    const { files } = renderOk(tp, 'dev');
    const cm = app(files, 'cert-manager');
    expect(cm.spec.source.helm.skipCrds).toBeUndefined();
    const root = parse(files.get('root.yaml')!.split('---\n')[1]!) as Obj;
    expect(Object.keys(root.spec.syncPolicy)).toEqual(['automated', 'retry']);
    expect(app(files, 'postgres').spec.ignoreDifferences).toBeUndefined();
  });
});
