/**
 * SEC017 appproject-fenced over the rendered root.yaml and apps/ of a fixture env: the rendered
 * output passes, and each way of leaking the fence is reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectsOfFile, type LocatedObject } from '../../scripts/lib/verify/hydration/collect.ts';
import { SEC017 } from '../../scripts/lib/verify/policy/fence-rule.ts';
import { argoProject } from '../helpers/argo-fixture.ts';
import { renderOk, type Obj } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';
import type { EnvOutput } from '../../scripts/lib/render/environment.ts';

let tp: TempProject;
let out: EnvOutput;
beforeAll(() => {
  tp = argoProject([{ name: 'alpha' }]);
  out = renderOk(tp, 'alpha');
});
afterAll(() => tp?.cleanup());

function objects(): LocatedObject[] {
  return [...out.files].filter(([p]) => p === 'root.yaml' || p.startsWith('apps/')).flatMap(([p, text]) => objectsOfFile(`generated/alpha/${p}`, text));
}
const messages = (objs: LocatedObject[]): string[] => SEC017.check({ plan: out.plan!, objects: objs }).map((h) => `${h.object.obj.metadata.name} ${h.path} ${h.message}`);
const find = (objs: LocatedObject[], kind: string, name: string): Obj => objs.find((o) => o.obj.kind === kind && o.obj.metadata.name === name)!.obj as Obj;

describe('SEC017', () => {
  it('the generated projects and Applications hold the fence', () => {
    expect(messages(objects())).toEqual([]);
  });

  it('reports a child destination in the Argo CD namespace and in kube-system, and a missing namespaced list', () => {
    const objs = objects();
    const child = find(objs, 'AppProject', 'fixture-alpha');
    child.spec.destinations.push({ server: 'https://kubernetes.default.svc', namespace: 'argo-fixture' }, { server: 'https://kubernetes.default.svc', namespace: 'kube-system' });
    delete child.spec.namespaceResourceWhitelist;
    const m = messages(objs);
    expect(m.some((l) => l.includes('may not reach the Argo CD namespace "argo-fixture"'))).toBe(true);
    expect(m.some((l) => l.includes('destination kube-system'))).toBe(true);
    expect(m.some((l) => l.includes('no namespaceResourceWhitelist'))).toBe(true);
  });

  it('reports a root project that permits more than Applications (a ConfigMap grant too: it cannot be narrowed to argocd-cm)', () => {
    const objs = objects();
    const root = find(objs, 'AppProject', 'fixture-alpha-root');
    root.spec.namespaceResourceWhitelist.push({ group: '', kind: 'ConfigMap' }, { group: '', kind: 'Secret' });
    root.spec.clusterResourceWhitelist.push({ group: '', kind: 'Namespace' });
    expect(messages(objs)).toEqual([
      'fixture-alpha-root /spec/namespaceResourceWhitelist/1 the root project permits only Applications, not /ConfigMap',
      'fixture-alpha-root /spec/namespaceResourceWhitelist/2 the root project permits only Applications, not /Secret',
      'fixture-alpha-root /spec/clusterResourceWhitelist/0 the root project permits no cluster-scoped kind',
    ]);
  });

  it('reports a child Application in another project, and a local object of a kind the project does not list', () => {
    const objs = objects();
    find(objs, 'Application', 'alpha-cert-manager').spec.project = 'default';
    objs.push({ obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'sneaky', namespace: 'catalyst-data' } }, file: 'apps/postgres/base/cron.yaml', line: 1 });
    expect(messages(objs)).toEqual([
      'alpha-cert-manager /spec/project child Application in project "default", not the env\'s project "fixture-alpha"',
      'sneaky /kind batch/CronJob is not among the kinds of project "fixture-alpha": add it to namespacedResources or clusterResources of its component in apps/',
    ]);
  });
});
