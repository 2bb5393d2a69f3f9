/**
 * POS001 and SEC008: no config value opens the platform to the internet. An allow-list CIDR
 * (cluster.apiServerCidrs or any other) that covers public addresses is refused at its line,
 * naming the namespaces and ports it would open, unless the catalog lists it as a reviewed
 * exception; and SEC008 flags a rendered NetworkPolicy that reaches public addresses whatever
 * CIDR setting it came from. Runs on the config fixtures, never on environments/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPart } from '../../scripts/lib/config/kube/public-range.ts';
import type { K8sObject } from '../../scripts/lib/findings.ts';
import type { Plan } from '../../scripts/lib/plan/plan.ts';
import { planOne } from '../../scripts/lib/render/environment.ts';
import { NAMESPACE_RULES } from '../../scripts/lib/verify/policy/namespace-rules.ts';
import { runPolicies } from '../../scripts/lib/verify/policy/index.ts';
import { docs, fixtureProject as renderFixtureProject, renderTemp } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';
import { findingsAfterEdit, fixtureProject, lineOf } from './fixture-project.ts';

describe('publicPart', () => {
  it('finds public addresses in the whole space and in public blocks', () => {
    expect(publicPart('0.0.0.0/0')).toBe('1.0.0.0-9.255.255.255');
    expect(publicPart('8.8.8.8/32')).toBe('8.8.8.8');
    expect(publicPart('::/0')).toBe('::ffff:100:0-::ffff:9ff:ffff');
    expect(publicPart('2600::/16')).toBe('2600::-2600:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(publicPart('::ffff:808:808/128')).toBe('::ffff:808:808');
    // What NetworkPolicy ipBlock.except takes out is not reached.
    expect(publicPart('0.0.0.0/0', ['0.0.0.0/1'])).toBe('128.0.0.0-169.253.255.255');
  });

  it('finds none in private, link-local, documentation and other non-global blocks', () => {
    for (const c of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8', '203.0.113.0/24', '224.0.0.0/4', 'fd00::/8', 'fe80::/10', '2001:db8::/32', '::1/128']) {
      expect(publicPart(c), c).toBeUndefined();
    }
    expect(publicPart('8.8.8.0/24', ['8.8.8.0/24'])).toBeUndefined();
    expect(publicPart('not a cidr')).toBeUndefined();
  });
});

describe('POS001 at the env file line', () => {
  let t: TempProject;
  beforeAll(() => {
    t = fixtureProject();
  });
  afterAll(() => t.cleanup());
  const file = 'environments/lab.yaml';

  const findingsWith = (cidrs: string, catalogEdit?: () => void) =>
    findingsAfterEdit(t, 'lab', file, () => {
      t.edit(file, /apiServerCidrs: \[[^\]]*\]/, `apiServerCidrs: ${cidrs}`);
      catalogEdit?.();
    }, ['apps/namespaces/app.yaml']);

  it('refuses 0.0.0.0/0 and ::/0, naming the namespaces and ports they would open', () => {
    const { findings, text } = findingsWith('["0.0.0.0/0", "10.0.0.0/8", "::/0"]');
    expect(findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ['POS001', '/cluster/apiServerCidrs/0', lineOf(text, 'apiServerCidrs')],
      ['POS001', '/cluster/apiServerCidrs/2', lineOf(text, 'apiServerCidrs')],
    ]);
    expect(findings[0]!.file).toBe(file);
    expect(findings[0]!.message).toMatch(/^"0\.0\.0\.0\/0" covers public internet addresses \(1\.0\.0\.0-9\.255\.255\.255\): pods in /);
    expect(findings[0]!.message).toContain('catalyst-data (postgres)');
    expect(findings[0]!.message).toContain('on TCP 443 and 6443');
  });

  it('names the API server ports of cluster.apiServerPorts when the environment sets them (the schema default otherwise)', () => {
    const { findings } = findingsAfterEdit(t, 'lab', file, () => {
      t.edit(file, /apiServerCidrs: \[[^\]]*\]/, 'apiServerCidrs: ["0.0.0.0/0"]\n  apiServerPorts: [8443]');
    }, ['apps/namespaces/app.yaml']);
    expect(findings.map((f) => f.rule)).toEqual(['POS001']);
    expect(findings[0]!.message).toContain('on TCP 8443 (the allow-api-server NetworkPolicies)');
  });

  it('opens the allow-api-server NetworkPolicies on cluster.apiServerPorts, 443 and 6443 when unset', () => {
    const ports = () => docs(renderTemp(t, 'lab'), 'namespaces/network-policies.yaml')
      .filter((p) => p.metadata.name === 'allow-api-server')
      .map((p) => p.spec.egress[0].ports.map((x: { port: number }) => x.port));
    const before = ports();
    expect(before.length).toBeGreaterThan(0);
    expect(new Set(before.map((x) => x.join()))).toEqual(new Set(['443,6443']));
    const original = t.read(file);
    try {
      t.edit(file, /(apiServerCidrs: \[[^\]]*\])/, '$1\n  apiServerPorts: [8443]');
      expect(new Set(ports().map((x) => x.join()))).toEqual(new Set(['8443']));
    } finally {
      t.write(file, original);
    }
  });

  it('accepts a public CIDR that a catalog entry names as a reviewed exception, and only that one', () => {
    const exception = () => t.write('apps/namespaces/app.yaml', `${t.read('apps/namespaces/app.yaml').replace(/\n*$/, '\n')}publicCidrExceptions:\n  - { name: hosted-control-plane, cidr: 198.51.99.0/28, reason: "the managed control plane answers on this public block only" }\n`);
    expect(findingsWith('[198.51.99.0/28]', exception).findings).toEqual([]);
    expect(findingsWith('[198.51.99.16/28]', exception).findings.map((f) => f.rule)).toEqual(['POS001']);
  });
});

describe('SEC008 whatever setting the CIDR came from', () => {
  let plan: Plan;
  beforeAll(() => {
    const planned = planOne(renderFixtureProject().project, 'dev');
    if (!planned.ok) throw new Error(planned.findings.map((f) => f.message).join('\n'));
    plan = planned.value;
  });
  const apiPolicy = (cidr: string): K8sObject =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-api-server', namespace: 'catalyst-data' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }] },
    }) as K8sObject;
  const sec008 = (p: Plan, obj: K8sObject) => runPolicies({ plan: p, objects: [{ obj, file: 'generated/dev/namespaces/x.yaml', line: 3 }] }, NAMESPACE_RULES).filter((f) => f.rule === 'SEC008');

  it('flags an allow-api-server policy to 0.0.0.0/0 even when apiServerCidrs says so, with namespace and ports', () => {
    const open = { ...plan, env: { ...plan.env, config: { ...plan.env.config, cluster: { ...plan.env.config.cluster, apiServerCidrs: ['0.0.0.0/0'] } } } } as Plan;
    const [f, ...rest] = sec008(open, apiPolicy('0.0.0.0/0'));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ file: 'generated/dev/namespaces/x.yaml', line: 3, path: '/spec/egress' });
    expect(f!.message).toBe('internet-egress-listed: opens namespace catalyst-data (every pod) to the internet: egress to 0.0.0.0/0 (public: 1.0.0.0-9.255.255.255) on TCP 443, TCP 6443, and no component with listed external hosts owns these pods');
  });

  it('lets a private API server CIDR and a fully excepted block through', () => {
    expect(sec008(plan, apiPolicy('172.20.0.10/32'))).toEqual([]);
    const excepted = apiPolicy('0.0.0.0/0');
    (excepted.spec as any).egress[0].to[0].ipBlock.except = ['0.0.0.0/1', '128.0.0.0/1'];
    expect(sec008(plan, excepted)).toEqual([]);
  });
});
