/** Sync waves from the dependency graph, CRD ordering, and cycles. */
import { afterEach, describe, expect, it } from 'vitest';
import { findCycle } from '../../scripts/lib/plan/plan.ts';
import { loadProject, planOne } from '../../scripts/lib/render/environment.ts';
import { findingsOf, formatFinding } from '../../scripts/lib/findings.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

function plan(env = 'prod') {
  const r = planOne(loadProject(tp!.paths), env);
  if (!r.ok) throw new Error(r.findings.map(formatFinding).join('\n'));
  return r.value;
}

describe('plan', () => {
  it('puts each component one wave after its deepest dependency', () => {
    tp = tempProject();
    const p = plan();
    for (const a of p.apps) {
      if (a.app.syncLast) continue;
      const deps = a.deps.map((d) => p.byName.get(d)!.wave);
      expect(a.wave).toBe(deps.length ? Math.max(...deps) + 1 : 0);
    }
    expect(p.byName.get('namespaces')!.wave).toBe(0);
    expect(p.byName.get('cnpg-operator')!.wave).toBeLessThan(p.byName.get('postgres')!.wave);
  });

  it('orders a CRD user after the CRD installer and skips its dry run', () => {
    tp = tempProject();
    const p = plan();
    const pg = p.byName.get('postgres')!;
    expect(pg.crdProviders).toContain('cnpg-operator');
    expect(pg.skipDryRun).toBe(true);
    for (const a of p.apps) {
      for (const g of a.app.crds.uses) {
        const installer = p.apps.find((o) => o.app.crds.installs.includes(g) && o.name !== a.name);
        if (installer) expect(installer.wave, `${installer.name} installs ${g} used by ${a.name}`).toBeLessThan(a.wave);
      }
    }
    expect(p.byName.get('cnpg-operator')!.skipDryRun).toBe(false);
  });

  it('orders components by wave, then layer, then name', () => {
    tp = tempProject();
    const names = plan().apps.map((a) => `${a.wave}:${a.name}`);
    expect(names).toEqual([...names].sort((x, y) => Number(x.split(':')[0]) - Number(y.split(':')[0]) || 0));
  });

  it('leaves out a disabled optional component', () => {
    tp = tempProject();
    expect(plan('dev').byName.has('gpu-operator')).toBe(false);
    expect(plan('prod').byName.has('gpu-operator')).toBe(true);
  });

  it('reports a dependency cycle with the whole path, in the catalog file', () => {
    tp = tempProject();
    tp.edit('apps/cnpg-operator/app.yaml', 'namespace: cnpg-system', 'namespace: cnpg-system\ndependsOn: [postgres]');
    const r = planOne(loadProject(tp.paths), 'dev');
    expect(r.ok).toBe(false);
    expect(findingsOf(r).map(formatFinding)).toEqual([
      expect.stringMatching(/^apps\/cnpg-operator\/app\.yaml:\d+:\d+ \/dependsOn dependency cycle: cnpg-operator -> postgres -> cnpg-operator$/),
    ]);
  });

  it('finds the first cycle in a bare graph, and none in a DAG', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set<string>()],
    ]);
    expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toBeUndefined();
  });

  it('puts a syncLast component after every other component', () => {
    tp = tempProject();
    tp.edit('apps/kuadrant/app.yaml', 'source: { type: local }', 'source: { type: local }\nsyncLast: true');
    tp.edit('apps/secret-store/app.yaml', 'source: { type: local }', 'source: { type: local }\nsyncLast: true');
    const p = plan();
    const top = Math.max(...p.apps.filter((a) => !a.app.syncLast).map((a) => a.wave));
    expect(p.byName.get('secret-store')!.wave).toBeGreaterThan(top);
    expect(p.byName.get('kuadrant')!.wave).toBeGreaterThan(top);
  });
});
