/** diff's comparison of two snapshots: components, objects, noise folding, security highlights. */
import { describe, expect, it } from 'vitest';
import { compareEnv } from '../../scripts/lib/review/compare.ts';
import { objectKey, type EnvSnapshot } from '../../scripts/lib/review/snapshot.ts';
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
