/** The two glob dialects Argo CD uses for AppProjects: Go filepath.Match (kinds) and gobwas/glob (destinations). */
import { describe, expect, it } from 'vitest';
import { goFilepathMatch } from '../../../scripts/lib/verify/admission/go-filepath-match.ts';
import { gobwasGlobMatch } from '../../../scripts/lib/verify/admission/gobwas-glob.ts';
import { argoGlobMatch } from '../../../scripts/lib/verify/admission/argo-project.ts';

describe('goFilepathMatch (path/filepath.Match, as isResourceInList reads it)', () => {
  it.each([
    ['*', '', true],
    ['*', 'apps', true],
    ['', '', true],
    ['', 'apps', false],
    ['apps', 'apps', true],
    ['*.istio.io', 'networking.istio.io', true],
    ['*.istio.io', 'istio.io', false],
    ['Cluster*', 'ClusterRole', true],
    ['Cluster*', 'Role', false],
    ['?ole', 'Role', true],
    ['[CR]ole', 'Role', true],
    ['[^C]ole', 'Role', true],
    ['[^R]ole', 'Role', false],
    ['[a-z]pps', 'apps', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['*', 'a/b', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
  ])('%j vs %j -> %s', (pattern, name, want) => {
    expect(goFilepathMatch(pattern, name)).toBe(want);
  });

  it.each([['[', 'a'], ['[a-', 'a'], ['a\\', 'a'], ['[]', 'x'], ['x[', 'y']])('malformed %j matches nothing (ErrBadPattern)', (pattern, name) => {
    expect(goFilepathMatch(pattern, name)).toBe(false);
  });
});

describe('gobwasGlobMatch (github.com/gobwas/glob v0.2.3, no separators)', () => {
  it.each([
    ['*', 'anything/with/slashes', true],
    ['test-*', 'test-foo', true],
    ['test-*', 'test', false],
    ['https://*.default.svc', 'https://kubernetes.default.svc', true],
    ['catalyst-?', 'catalyst-a', true],
    ['catalyst-?', 'catalyst-ab', false],
    ['{kube-system,argocd}', 'argocd', true],
    ['{kube-system,argocd}', 'default', false],
    ['team-{a,b{1,2}}', 'team-b2', true],
    ['team-{a,b{1,2}}', 'team-b3', false],
    ['[!a]x', 'bx', true],
    ['[!a]x', 'ax', false],
    ['[a-c]x', 'bx', true],
    ['[abc]x', 'dx', false],
    ['a,b', 'a,b', true],
    ['a}b', 'a}b', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['', '', true],
    ['', 'x', false],
    ['**', 'x', true],
    ['a.b', 'axb', false],
  ])('%j vs %j -> %s', (pattern, text, want) => {
    expect(gobwasGlobMatch(pattern, text)).toBe(want);
  });

  it.each([['[]', ''], ['[a', 'a'], ['[a-zA-Z]', 'a'], ['[z-a]', 'b']])('uncompilable %j matches nothing', (pattern, text) => {
    expect(gobwasGlobMatch(pattern, text)).toBe(false);
  });
});

describe('argoGlobMatch (app_project_types.go globMatch)', () => {
  it('negates a leading ! when negation is allowed', () => {
    expect(argoGlobMatch('!kube-system', 'default', true)).toBe(true);
    expect(argoGlobMatch('!kube-system', 'kube-system', true)).toBe(false);
    expect(argoGlobMatch('!{kube-system,argocd}', 'argocd', true)).toBe(false);
    expect(argoGlobMatch('!test-*', 'test', true)).toBe(true);
  });
  it('treats ! literally without negation, and * as match-all', () => {
    expect(argoGlobMatch('!x', '!x', false)).toBe(true);
    expect(argoGlobMatch('*', '', true)).toBe(true);
  });
  it('a negated pattern that does not compile matches everything (Match is false, negated)', () => {
    expect(argoGlobMatch('![', 'anything', true)).toBe(true);
  });
});
