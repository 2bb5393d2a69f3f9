/**
 * Messages: did-you-mean, unified diffs, folding follow-on errors of one cause, rules that run
 * despite schema errors, findings counted as printed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from '../../scripts/lib/suggest.ts';
import { firstLines, unifiedDiff } from '../../scripts/lib/tools/unified-diff.ts';
import { driftFindings } from '../../scripts/lib/verify/hydration/drift.ts';
import { loadProject, planOne } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { findingsOf } from '../../scripts/lib/findings.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('suggest', () => {
  it('finds the nearest name within a small edit distance, else nothing', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('instancez', ['enabled', 'instances', 'storage'])).toBe('instances');
    expect(nearest('prdo', ['dev', 'prod', 'staging'])).toBe('prod');
    expect(nearest('cert_manager', ['cert-manager'])).toBe('cert-manager');
    expect(nearest('zzzzzz', ['dev', 'prod'])).toBeUndefined();
    expect(didYouMean('stagin', ['staging'])).toBe(' (did you mean "staging"?)');
    expect(didYouMean('x', ['staging'])).toBe('');
  });
});

describe('unifiedDiff', () => {
  it('gives hunks with context and line numbers', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';
    const b = a.replace('e\n', 'E\n').replace('j\n', 'j\nk\n');
    expect(unifiedDiff(a, b)).toBe(['--- base', '+++ head', '@@ -2,9 +2,10 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ' i', ' j', '+k', ''].join('\n'));
    expect(unifiedDiff(a, a)).toBe('');
    expect(unifiedDiff('', 'x: 1\n')).toBe('--- base\n+++ head\n@@ -0,0 +1,1 @@\n+x: 1\n');
    expect(firstLines('1\n2\n3\n4\n', 2)).toBe('1\n2\n… 2 more line(s)');
  });
});

describe('drift', () => {
  it('shows the first lines of the diff, not only the line number', () => {
    const [f] = driftFindings('e', new Map([['x.yaml', 'a: 1\nb: 2\n']]), new Map([['x.yaml', 'a: 1\nb: 3\n']]));
    expect(f!.line).toBe(2);
    expect(f!.message.split('\n')).toEqual([
      'stale: differs from what the config produces from line 2 (run npm run render)',
      '    --- committed generated/e/x.yaml',
      '    +++ rendered from the config',
      '    @@ -1,2 +1,2 @@',
      '     a: 1',
      '    -b: 3',
      '    +b: 2',
    ]);
  });
});

describe('catalog follow-on errors', () => {
  it('an invalid app is one finding that names the components depending on it', () => {
    tp = tempProject();
    tp.edit('apps/_hosts.yaml', /^hosts:\n/m, 'hosts:\n  - charts.example.com\n');
    // A made-up component with a bad version that two other made-up components depend on.
    tp.write('apps/zz-chart/app.yaml', 'name: zz-chart\ndescription: test chart\nlayer: platform\nnamespace: zz\noptional: true\nsource: { type: helm, repoURL: "https://charts.example.com", chart: zz, version: latest }\n');
    for (const n of ['zz-a', 'zz-b']) {
      tp.write(`apps/${n}/app.yaml`, `name: ${n}\ndescription: test\nlayer: platform\nnamespace: zz\noptional: true\ndependsOn: [zz-chart]\nsource: { type: helm, repoURL: "https://charts.example.com", chart: ${n}, version: 1.0.0 }\n`);
    }
    const findings = loadProject(tp.paths).catalogFindings;
    expect(findings.map((f) => `${f.file} ${f.path} ${f.message}`)).toEqual([
      expect.stringMatching(/^apps\/zz-chart\/app\.yaml \/source\/version "latest" is not valid: .*; 2 other component\(s\) depend on it and are checked once it is valid: zz-a, zz-b$/),
    ]);
  });

  it('a reference to a component that does not exist suggests the nearest', () => {
    tp = tempProject();
    tp.edit('apps/_hosts.yaml', /^hosts:\n/m, 'hosts:\n  - charts.example.com\n');
    tp.write('apps/zz-a/app.yaml', 'name: zz-a\ndescription: test\nlayer: platform\nnamespace: zz\noptional: true\ndependsOn: [zz-chrat]\nsource: { type: helm, repoURL: "https://charts.example.com", chart: zz, version: 1.0.0 }\n');
    tp.write('apps/zz-chart/app.yaml', 'name: zz-chart\ndescription: test\nlayer: platform\nnamespace: zz\noptional: true\nsource: { type: helm, repoURL: "https://charts.example.com", chart: zz, version: 1.0.0 }\n');
    expect(loadProject(tp.paths).catalogFindings.map((f) => f.message)).toEqual(['depends on "zz-chrat", which is not in apps/ (did you mean "zz-chart"?)']);
  });
});

describe('semantic rules with schema errors', () => {
  it('one round trip reports a schema error and a rule finding in another part', () => {
    tp = tempProject();
    tp.write('environments/zz.yaml', 'extends: _rt.yaml\nname: zz-other\ncluster: { domain: 42 }\n');
    tp.write('environments/_rt.yaml', tp.read('environments/_base.yaml'));
    const findings = findingsOf(planOne(loadProject(tp.paths), 'zz')).map((f) => `${f.path} ${f.message}`);
    // The rule (name = file name) runs although the schema rejected /cluster/domain.
    expect(findings).toContainEqual(expect.stringMatching(/^\/name name "zz-other" must equal the file name "zz"$/));
    expect(findings.some((f) => f.startsWith('/cluster'))).toBe(true);
  });
});
