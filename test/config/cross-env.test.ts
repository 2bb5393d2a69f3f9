/**
 * Envs that share one Argo CD (argocd.instance) must not reuse the AppProject, root, domain,
 * secret key prefix or remote server, and exactly one of them is the manager. Each finding
 * names both env files. Fixture envs in a temp project.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { argoProject, type FixtureEnv } from '../helpers/argo-fixture.ts';
import { loadProject, planOne } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { findingsOf } from '../../scripts/lib/findings.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const HUB_MANAGER = ['  instance: hub', '  manager: true'];
const HUB = ['  instance: hub'];

function findings(envs: FixtureEnv[], env: string): string[] {
  tp = argoProject(envs);
  return findingsOf(planOne(loadProject(tp.paths), env)).map((f) => `${f.file}:${f.line} ${f.path} ${f.message}`);
}

describe('envs sharing an Argo CD', () => {
  it('a copied env reusing the project name: an error naming both files', () => {
    const out = findings(
      [
        { name: 'alpha', argocd: HUB_MANAGER },
        { name: 'beta', argocd: HUB, edits: [['project: fixture-beta', 'project: fixture-alpha']] },
      ],
      'beta',
    );
    expect(out.some((l) => l.startsWith('environments/beta.yaml:') && l.includes('/argocd/project') && l.includes('environments/beta.yaml and environments/alpha.yaml') && l.includes('AppProject "fixture-alpha"'))).toBe(true);
  });

  it('the same domain or secret key prefix: an error each', () => {
    const out = findings(
      [
        { name: 'alpha', argocd: HUB_MANAGER },
        { name: 'beta', argocd: HUB, edits: [['domain: beta.fixture', 'domain: alpha.fixture'], ['keyPrefix: fixture/beta/', 'keyPrefix: fixture/alpha/']] },
      ],
      'beta',
    );
    expect(out.filter((l) => l.includes('/cluster/domain') && l.includes('environments/alpha.yaml'))).toHaveLength(1);
    expect(out.filter((l) => l.includes('/secrets/keyPrefix') && l.includes('"fixture/alpha/"'))).toHaveLength(1);
  });

  it('no manager: each env is told to make one the manager', () => {
    const out = findings([{ name: 'alpha', argocd: HUB }, { name: 'beta', argocd: HUB }], 'alpha');
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('environments/alpha.yaml and environments/beta.yaml share the Argo CD instance "hub"');
    expect(out[0]).toContain('argocd.manager');
  });

  it('two managers: an error naming both', () => {
    const out = findings([{ name: 'alpha', argocd: HUB_MANAGER }, { name: 'beta', argocd: HUB_MANAGER }], 'beta');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/\/argocd\/manager environments\/beta\.yaml and environments\/alpha\.yaml share .* both set argocd\.manager/);
  });

  it('distinct names with one manager, or envs on their own Argo CDs: valid', () => {
    expect(findings([{ name: 'alpha', argocd: HUB_MANAGER }, { name: 'beta', argocd: HUB }], 'beta')).toEqual([]);
    // Without argocd.instance each env has an Argo CD of its own: the same project name is fine.
    expect(findings([{ name: 'alpha' }, { name: 'beta', edits: [['project: fixture-beta', 'project: fixture-alpha']] }], 'beta')).toEqual([]);
  });
});

describe('a hand-copied env and one broken env', () => {
  /** validate (planOne) of every env of the project, as `file:line:col path message`. */
  function validateAll(): Map<string, string[]> {
    const project = loadProject(tp!.paths);
    return new Map(['dev', 'perf', 'prod', 'staging'].map((e) => [e, findingsOf(planOne(project, e)).map((f) => `${f.file}:${f.line}:${f.col} ${f.path} ${f.message}`)]));
  }

  it('staging copied to perf with only its name changed: one error per shared identity, all at perf.yaml naming both files', () => {
    tp = tempProject();
    tp.write('environments/perf.yaml', tp.read('environments/staging.yaml').replace('name: staging', 'name: perf'));
    const all = validateAll();
    expect(all.get('staging')).toEqual([]);
    expect(all.get('prod')).toEqual([]);
    const perf = all.get('perf')!;
    for (const l of perf) expect(l).toMatch(/^environments\/perf\.yaml:\d+:\d+ .*environments\/perf\.yaml and environments\/staging\.yaml/);
    const fields = perf.map((l) => l.split(' ')[1]);
    for (const f of ['/argocd/project', '/argocd/cluster/key', '/cluster/domain', '/cluster/server', '/secrets/keyPrefix', '/secrets/store/provider/vault/role', '/components/mcp-gateway/auth/issuerUrl']) {
      expect(fields, f).toContain(f);
    }
    expect(perf.find((l) => l.includes('/secrets/store/provider/vault/role'))).toContain('Vault role "catalyst-staging"');
  });

  it('a typo in the manager (prod) is reported in prod.yaml only, not in the other envs of its Argo CD', () => {
    tp = tempProject();
    tp.write('environments/perf.yaml', tp.read('environments/staging.yaml').replace('name: staging', 'name: perf').replaceAll('staging', 'perf'));
    tp.edit('environments/prod.yaml', 'project: catalyst-prod', 'projekt: catalyst-prod');
    const all = validateAll();
    expect(all.get('prod')!.length).toBeGreaterThan(0);
    expect(all.get('prod')!.every((l) => l.startsWith('environments/prod.yaml:'))).toBe(true);
    expect(all.get('staging')).toEqual([]);
    expect(all.get('perf')).toEqual([]);
  });

  it('two envs of one Argo CD without a manager: reported once, at the first env', () => {
    const envs = [{ name: 'alpha', argocd: HUB }, { name: 'beta', argocd: HUB }];
    expect(findings(envs, 'alpha')).toHaveLength(1);
    expect(findings(envs, 'beta')).toEqual([]);
  });
});

describe('the secret backend of a kubernetes store is the cluster it runs in', () => {
  it('the same key prefix on two in-cluster envs with Argo CDs of their own is fine; on one Argo CD it is an error', () => {
    const same: [string, string][] = [['keyPrefix: fixture/beta/', 'keyPrefix: fixture/alpha/']];
    expect(findings([{ name: 'alpha' }, { name: 'beta', edits: same }], 'beta')).toEqual([]);
    const shared = findings([{ name: 'alpha', argocd: HUB_MANAGER }, { name: 'beta', argocd: HUB, edits: same }], 'beta');
    expect(shared.filter((l) => l.includes('/secrets/keyPrefix'))).toHaveLength(1);
  });
});
