/** Git sources from a mirror tree: Argo CD's directory rules, recurse, include/exclude, kustomize. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { directoryManifests, globToRegExp } from '../../../../scripts/lib/verify/hydration/argocd-source/directory.ts';
import { hydrateApplication } from '../../../../scripts/lib/verify/hydration/argocd-source/hydrate-app.ts';
import type { HydrateResult } from '../../../../scripts/lib/verify/hydration/argocd-source/hydrated.ts';
import { KUBE, application, mirrorGitFixture, sandbox } from './helpers.ts';

const REPO = 'https://github.com/example/plain.git';

function names(r: HydrateResult): string[] {
  if (r.status !== 'hydrated') throw new Error(`not hydrated: ${JSON.stringify(r)}`);
  return r.objects.map((o) => `${o.object.kind}/${o.object.metadata.name} ${o.file}`);
}

describe('gobwas-style globs (no separators)', () => {
  it('matches like util/glob.Match in Argo CD', () => {
    expect(globToRegExp('*.yaml').test('nested/a.yaml')).toBe(true);
    expect(globToRegExp('{app.yaml,nested/*}').test('nested/service.yml')).toBe(true);
    expect(globToRegExp('{app.yaml,nested/*}').test('role.json')).toBe(false);
    expect(globToRegExp('r?le.[jx]son').test('role.json')).toBe(true);
    expect(globToRegExp('[!r]*').test('role.json')).toBe(false);
    expect(() => globToRegExp('{a,b')).toThrow(/unclosed/);
  });
});

describe('git sources from the mirror', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  let mirror: string;
  beforeAll(async () => {
    box = await sandbox();
    mirror = path.join(box.dir, 'mirror');
    await mirrorGitFixture(mirror, 'plain', REPO, 'v1.0.0');
    await mirrorGitFixture(mirror, 'kustomized', 'https://github.com/example/kz', 'main');
  });
  afterAll(() => box.restore());

  it('reads only .yaml/.yml/.json files at the top level, skips empty docs and the skip marker', async () => {
    const r = await hydrateApplication(application('p', { repoURL: REPO, targetRevision: 'v1.0.0', path: '.' }), { mirror, ...KUBE });
    expect(names(r)).toEqual(['ServiceAccount/plain-sa app.yaml', 'ConfigMap/plain-config app.yaml', 'Role/plain-role role.json']);
    if (r.status === 'hydrated') expect(r.objects[0]?.source).toBe(`git:${REPO}@v1.0.0/.`);
  });

  it('recurses with directory.recurse', async () => {
    const app = application('p', { repoURL: REPO, targetRevision: 'v1.0.0', path: '.', directory: { recurse: true } });
    expect(names(await hydrateApplication(app, { mirror, ...KUBE }))).toEqual([
      'ServiceAccount/plain-sa app.yaml',
      'ConfigMap/plain-config app.yaml',
      'ConfigMap/plain-deep nested/deeper/deep.yaml',
      'Service/plain-svc nested/service.yml',
      'Role/plain-role role.json',
    ]);
  });

  it('applies exclude then include, matched on the path relative to the app path', async () => {
    const app = application('p', {
      repoURL: REPO,
      targetRevision: 'v1.0.0',
      path: '.',
      directory: { recurse: true, include: '{*.json,nested/*}', exclude: 'nested/deeper/*' },
    });
    expect(names(await hydrateApplication(app, { mirror, ...KUBE }))).toEqual(['Service/plain-svc nested/service.yml', 'Role/plain-role role.json']);
  });

  it('refuses a symlink that leaves the repository, even an excluded one (Argo CD checks it first)', async () => {
    const root = path.join(mirror, 'git/github.com/example/plain/v1.0.0');
    const link = path.join(root, 'nested', 'escape.yaml');
    await symlink('/etc/hostname', link);
    try {
      const dir = { recurse: true, include: '', exclude: '*escape*' };
      await expect(directoryManifests(root, root, dir)).rejects.toThrow(/illegal filepath in symlink at nested\/escape.yaml/);
      const app = application('p', { repoURL: REPO, targetRevision: 'v1.0.0', path: '.', directory: { recurse: true } });
      // Before Argo CD's rule is even reached, the safe reader refuses every link of the source, at its path.
      const r = await hydrateApplication(app, { mirror, ...KUBE });
      expect(r).toMatchObject({ status: 'refused', findings: [expect.objectContaining({ file: `git:${REPO}@v1.0.0/nested/escape.yaml`, message: expect.stringMatching(/symbolic link/) })] });
    } finally {
      await rm(link);
    }
  });

  it('builds a kustomization with the real kustomize', async () => {
    const r = await hydrateApplication(application('k', { repoURL: 'https://github.com/example/kz', targetRevision: 'main', path: '' }), { mirror, ...KUBE, timeoutMs: 60_000 });
    expect(names(r)).toEqual(['ConfigMap/kz-base .']);
    if (r.status === 'hydrated') expect(r.tool).toMatch(/kustomize|kubectl/);
  });

  it('is not hydrated when the tree is not in the mirror, or the path is missing', async () => {
    expect(await hydrateApplication(application('p', { repoURL: REPO, targetRevision: 'v9', path: '.' }), { mirror, ...KUBE })).toEqual({
      status: 'not-hydrated',
      reason: `${REPO}@v9 is not in the chart mirror ${mirror} (expected ${path.join(mirror, 'git/github.com/example/plain/v9')})`,
    });
    const r = await hydrateApplication(application('p', { repoURL: REPO, targetRevision: 'v1.0.0', path: 'nope' }), { mirror, ...KUBE });
    expect(r).toMatchObject({ status: 'not-hydrated', reason: expect.stringMatching(/path nope is not a directory/) });
    const esc = await hydrateApplication(application('p', { repoURL: REPO, targetRevision: 'v1.0.0', path: '../../x' }), { mirror, ...KUBE });
    expect(esc).toMatchObject({ status: 'not-hydrated', reason: 'path ../../x leaves the repository' });
  });

  it('leaves this project\'s own sources to the caller', async () => {
    const app = application('l', { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'generated/dev/x' });
    expect(await hydrateApplication(app, { mirror, ...KUBE })).toEqual({ status: 'local', repoURL: 'https://github.com/acme/gitops.git', path: 'generated/dev/x' });
  });

  it('refuses jsonnet files rather than skipping them', async () => {
    const root = path.join(mirror, 'git/github.com/example/plain/v1.0.0');
    await writeFile(path.join(root, 'other', 'x.jsonnet'), '{}');
    try {
      await expect(directoryManifests(path.join(root, 'other'), root, { recurse: false, include: '', exclude: '' })).rejects.toThrow(/jsonnet files are not supported/);
    } finally {
      // Left behind, it would fail the recurse tests when they run after this one (vitest --sequence.shuffle).
      await rm(path.join(root, 'other', 'x.jsonnet'));
    }
  });
});
