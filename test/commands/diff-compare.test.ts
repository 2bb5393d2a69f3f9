/** diff's comparison of two snapshots: components, objects, noise folding, security highlights. */
import { describe, expect, it } from 'vitest';
import { compareEnv } from '../../scripts/lib/review/compare.ts';
import { componentOf, objectKey, type EnvSnapshot } from '../../scripts/lib/verify/snapshot/index.ts';
import { withoutLocalPaths } from '../../scripts/lib/review/charts.ts';
import { affectedText, diffMarkdown, diffText } from '../../scripts/lib/review/format.ts';
import type { K8sObject } from '../../scripts/lib/findings.ts';

function snap(components: Record<string, number>, objects: [string, K8sObject][]): EnvSnapshot {
  return { env: 'e', findings: [], components: new Map(Object.entries(components)), objects: new Map(objects.map(([c, o]) => [objectKey(o), { component: c, obj: o }])) };
}

const deploy = (image: string, checksum: string, replicas = 1): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { replicas, template: { metadata: { annotations: { 'checksum/config': checksum } }, spec: { containers: [{ name: 'web', image }] } } },
});
const project = (repos: string[]): K8sObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: { sourceRepos: repos } });
const netpol = (egress: unknown[]): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'ns' }, spec: { egress } });
const app = (version: string): K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'e-chart', namespace: 'argocd' },
  spec: { source: { repoURL: 'https://charts.example.com', chart: 'thing', targetRevision: version } },
});
const clusterRole: K8sObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' } };

describe('compareEnv', () => {
  it('reports components, changed objects with a diff, and folds checksum-only changes', () => {
    const base = snap({ web: 5, old: 3, chart: 1 }, [['web', deploy('img:1', 'a')], ['chart', app('1.0.0')]]);
    const head = snap({ web: 6, new: 2, chart: 1 }, [['web', deploy('img:1', 'b', 2)], ['chart', app('1.0.0')]]);
    const d = compareEnv('e', base, head);
    expect(d.components).toEqual({ added: ['new'], removed: ['old'], rewaved: [{ name: 'web', from: 5, to: 6 }] });
    expect(d.objects.map((o) => [o.change, o.label, o.component])).toEqual([['changed', 'Deployment ns/web', 'web']]);
    const lines = d.objects[0]!.diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
    expect(lines).toEqual(['-  replicas: 1', '+  replicas: 2']);
    expect(d.affected).toEqual(['new', 'old', 'web']);
    const onlyChecksum = compareEnv('e', snap({}, [['web', deploy('img:1', 'a')]]), snap({}, [['web', deploy('img:1', 'b')]]));
    expect(onlyChecksum.objects).toEqual([]);
    expect(onlyChecksum.noiseOnly).toBe(1);
    expect(diffText({ base: { ref: 'main', commit: 'c'.repeat(40) }, head: 'working tree', envs: [onlyChecksum] })).toMatch(/1 with only checksum annotations changed \(folded\)/);
  });

  it('highlights a widened AppProject, a new cluster-scoped kind, internet egress, image and chart changes', () => {
    const base = snap({}, [['root', project(['https://a'])], ['web', deploy('img:1', 'a')], ['ns', netpol([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])], ['chart', app('1.0.0')]]);
    const head = snap({}, [
      ['root', project(['https://a', 'https://b'])],
      ['web', deploy('img:2', 'a')],
      ['ns', netpol([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }])],
      ['chart', app('1.1.0')],
      ['rbac', clusterRole],
    ]);
    const d = compareEnv('e', base, head);
    expect(d.security).toEqual([
      'image changed in Deployment ns/web: img:1 → img:2',
      'AppProject p widened: sourceRepos + https://b',
      'chart changed in Application e-chart: thing@1.0.0 → thing@1.1.0',
      'new internet egress in NetworkPolicy ns/np: {"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}],"ports":[{"port":443}]}',
      'new cluster-scoped kind: ClusterRole (rbac.authorization.k8s.io/v1)',
    ]);
    const report = { base: { ref: 'main', commit: 'c'.repeat(40) }, head: 'working tree', envs: [d, compareEnv('f', snap({}, []), snap({}, []))] };
    expect(diffMarkdown(report)).toMatch(/^- :warning: AppProject p widened: sourceRepos \+ https:\/\/b$/m);
    expect(diffMarkdown(report)).toMatch(/^Unchanged: f$/m);
    expect(affectedText(report)).toBe('e: chart ns rbac root web\n');
  });

  it('an env only in head is added; only in base is removed', () => {
    expect(compareEnv('n', undefined, snap({ a: 1 }, [])).status).toBe('added');
    expect(compareEnv('n', snap({ a: 1 }, []), undefined).status).toBe('removed');
  });
});

describe('diff for the people who apply root.yaml', () => {
  const fenced = (name: string, n: number): K8sObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: 'argocd' },
    spec: { sourceRepos: Array.from({ length: n }, (_, i) => `https://r${i}`), destinations: Array.from({ length: n }, (_, i) => ({ namespace: `ns${i}`, server: 's' })) },
  });

  it('a new env: one line per AppProject (what it allows, counted), not one per repo and destination', () => {
    const d = compareEnv('perf', undefined, snap({}, [['root', fenced('catalyst-perf', 40)], ['root', fenced('catalyst-perf-root', 1)]]));
    expect(d.security.filter((l) => l.startsWith('AppProject'))).toEqual([
      'AppProject catalyst-perf is new: it allows 40 sourceRepos, 40 destinations',
      'AppProject catalyst-perf-root is new: it allows 1 sourceRepos, 1 destinations',
    ]);
  });

  it('a widened project: its additions grouped on one line per AppProject', () => {
    const d = compareEnv('e', snap({}, [['root', fenced('p', 1)]]), snap({}, [['root', fenced('p', 3)]]));
    expect(d.security).toEqual(['AppProject p widened: sourceRepos + https://r1, https://r2; destinations + {"namespace":"ns1","server":"s"}, {"namespace":"ns2","server":"s"}']);
  });

  it('a change to root.yaml tells the admin to re-apply it (text and markdown); other changes do not', () => {
    const d = compareEnv('prod', snap({}, [['root', fenced('p', 1)]]), snap({}, [['root', fenced('p', 2)]]));
    expect(d.admin).toEqual(['an Argo CD admin must re-apply generated/prod/root.yaml (changed AppProject argocd/p): Argo CD does not sync it, so the change takes effect only then']);
    const report = { base: { ref: 'main', commit: 'c'.repeat(40) }, head: 'working tree', envs: [d] };
    expect(diffText(report)).toMatch(/^admin: an Argo CD admin must re-apply generated\/prod\/root\.yaml/m);
    expect(diffMarkdown(report)).toMatch(/^> \*\*Admin action:\*\* an Argo CD admin must re-apply/m);
    expect(compareEnv('e', snap({}, [['web', deploy('img:1', 'a')]]), snap({}, [['web', deploy('img:1', 'a', 3)]])).admin).toEqual([]);
  });

  it('notes carry no absolute path of the runner and end their sentence', () => {
    expect(withoutLocalPaths('thing-1.0.tgz from https://c.example is not in the chart cache /home/runner/work/x/node_modules/.cache/catalyst/charts (fetching was not asked for)')).toBe(
      'thing-1.0.tgz from https://c.example is not in the chart cache (fetching was not asked for)',
    );
    expect(withoutLocalPaths('helm failed in /tmp/catalyst-diff-123/tree: bad')).toBe('helm failed in <local path>: bad');
  });

  it('objects are attributed by their component label before their file: no pseudo-app', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'catalyst.dev/component': 'webui' } } } as K8sObject;
    expect(componentOf('dev', 'generated/dev/kustomization.yaml', o)).toBe('webui');
    expect(componentOf('dev', 'generated/dev/kustomization.yaml')).toBe('local components');
  });
});
