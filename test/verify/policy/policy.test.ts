/** Each posture rule fires on a crafted bad object, stays quiet on a good one, and honours waivers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocatedObject } from '../../../scripts/lib/verify/hydration/collect.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import type { Plan } from '../../../scripts/lib/plan/plan.ts';
import { POLICY_RULES, policyMarkdown, runPolicies } from '../../../scripts/lib/verify/policy/index.ts';
import { planOne } from '../../../scripts/lib/render/environment.ts';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { fixtureProject } from '../../helpers/render.ts';

let plan: Plan;
beforeAll(() => {
  const planned = planOne(fixtureProject().project, 'dev');
  if (!planned.ok) throw new Error(planned.findings.map((f) => f.message).join('\n'));
  plan = planned.value;
});

const located = (obj: K8sObject, line = 1): LocatedObject => ({ obj, file: 'generated/dev/x/x.yaml', line });

function goodDeployment(): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'catalyst-agents' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/example/web:1.2.3',
              env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'web', key: 'token' } } }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

const sa: K8sObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'catalyst-agents' }, automountServiceAccountToken: false };

function rulesFired(objects: K8sObject[]): string[] {
  return [...new Set(runPolicies({ plan, objects: objects.map((o) => located(o)) }).map((f) => f.rule!))].sort();
}

function mutate(f: (d: any) => void): K8sObject {
  const d = goodDeployment();
  f(d);
  return d;
}

describe('posture rules', () => {
  it('pass a well-formed workload', () => {
    expect(rulesFired([goodDeployment(), sa])).toEqual([]);
  });

  it.each([
    ['SEC001', [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'catalyst-data' }, stringData: { a: 'b' } } as K8sObject]],
    ['SEC002', [mutate((d) => (d.spec.template.spec.containers[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2hunter2' }])), sa]],
    ['SEC002', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'catalyst-data' }, data: { url: 'postgresql://app:s3cr3t@db:5432/app' } } as K8sObject]],
    ['SEC003', [mutate((d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/example/web:latest')), sa]],
    ['SEC003', [mutate((d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/example/web')), sa]],
    ['SEC009', [mutate((d) => delete d.spec.template.spec.securityContext.runAsNonRoot), sa]],
    ['SEC010', [mutate((d) => (d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)), sa]],
    ['SEC011', [mutate((d) => (d.spec.template.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] })), sa]],
    ['SEC012', [mutate((d) => delete d.spec.template.spec.securityContext.seccompProfile), sa]],
    ['SEC013', [mutate((d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false)), sa]],
    ['SEC014', [mutate((d) => delete d.spec.template.spec.containers[0].resources.limits), sa]],
    ['SEC015', [mutate((d) => delete d.spec.template.spec.serviceAccountName)]],
    ['SEC015', [mutate((d) => delete d.spec.template.spec.automountServiceAccountToken), { ...sa, automountServiceAccountToken: true }]],
    ['SEC019', [mutate((d) => delete d.spec.template.spec.containers[0].livenessProbe), sa]],
    ['SEC018', [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'run-1', namespace: 'catalyst-benchmarks' }, spec: { ttlSecondsAfterFinished: 600, template: { spec: {} } } } as K8sObject]],
    ['SEC016', [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ui', namespace: 'catalyst-agents' }, spec: { rules: [{ host: 'ui.example.com' }] } } as K8sObject]],
    ['SEC017', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } } as K8sObject]],
    ['SEC004', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec: { source: { repoURL: 'https://charts.example.com', chart: 'x', targetRevision: '1.x' } } } as K8sObject]],
    ['SEC005', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } } as K8sObject]],
    ['SEC006', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'catalyst.dev/owned-namespace': 'true', 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } } as K8sObject]],
    ['SEC008', [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'out', namespace: 'catalyst-data' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] } } as K8sObject]],
  ])('%s fires on a crafted bad object', (rule, objects) => {
    expect(rulesFired(objects as K8sObject[])).toContain(rule);
  });

  it('SEC007 fires when an owned namespace has default-deny but no DNS egress', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'catalyst.dev/owned-namespace': 'true', 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } } as K8sObject;
    const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'n' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } } as K8sObject;
    expect(rulesFired([ns, deny])).toEqual(['SEC007']);
  });

  it('accept a waiver with a reason on a waivable rule, and only there', () => {
    const rofs = mutate((d) => {
      d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
      d.metadata.annotations = { 'policy.catalyst.dev/SEC013': 'the image writes its compile cache under /root' };
    });
    expect(rulesFired([rofs, sa])).toEqual([]);
    const short = mutate((d) => {
      d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
      d.metadata.annotations = { 'policy.catalyst.dev/SEC013': 'because' };
    });
    expect(rulesFired([short, sa])).toEqual(['SEC013']);
    const latest = mutate((d) => {
      d.spec.template.spec.containers[0].image = 'x/y:latest';
      d.metadata.annotations = { 'policy.catalyst.dev/SEC003': 'we really want the newest image here' };
    });
    expect(rulesFired([latest, sa])).toEqual(['SEC003']);
  });

  it('name the rule, the object and the field', () => {
    const [f] = runPolicies({ plan, objects: [located(mutate((d) => (d.spec.template.spec.containers[0].image = 'x/y:latest')), 12), located(sa)] });
    expect(f).toMatchObject({ file: 'generated/dev/x/x.yaml', line: 12, kind: 'Deployment', name: 'web', rule: 'SEC003', path: '/spec/template/spec/containers/0/image' });
  });

  it('are documented in docs/POLICY.md, one line each', () => {
    expect(readFileSync(join(ROOT, 'docs/POLICY.md'), 'utf8')).toBe(policyMarkdown());
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
  });
});
