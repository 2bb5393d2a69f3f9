/**
 * PLAT005: a catalog Pod Security exception names the source files whose pods need it; the rule
 * holds the claim to the hydrated pods, both ways.
 */
import { describe, expect, it } from 'vitest';
import { checkPodSecurityExceptions, fromSourceFile, type DeclaredException } from '../../../scripts/lib/verify/admission/pod-security-exceptions.ts';
import type { AppObjects } from '../../../scripts/lib/verify/admission/types.ts';
import type { K8sObject } from '../../../scripts/lib/findings.ts';

const restrictedPod = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'c', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };
const baselinePod = { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'x:1' }] };
const deployment = (name: string, spec: object, namespace?: string): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { template: { metadata: {}, spec } },
});

function chartApp(objects: [K8sObject, string][]): AppObjects {
  return { app: 'dev-op', project: 'p', destination: { server: 'https://kubernetes.default.svc', namespace: 'op-system' }, objects: objects.map(([obj, file], i) => ({ obj, file: `helm:op@1.0.0/${file}`, line: i + 1 })) };
}

const declared = (files: string[]): DeclaredException[] => [
  { component: 'op', namespace: 'op-system', at: { file: 'apps/op.yaml', line: 7 }, exception: { level: 'baseline', reason: 'the chart cannot be configured', templates: files.map((file) => ({ file, line: 1, why: 'no seccomp profile here' })) } },
];

describe('PLAT005 Pod Security exceptions stay true', () => {
  it('matches a hydrated file by its path inside the chart or repository', () => {
    expect(fromSourceFile('helm:op@1.0.0/op/templates/a.yaml', 'op/templates/a.yaml')).toBe(true);
    expect(fromSourceFile('helm:op@1.0.0/op/templates/a.yaml', 'templates/a.yaml')).toBe(true);
    expect(fromSourceFile('helm:op@1.0.0/op/templates/ab.yaml', 'b.yaml')).toBe(false);
  });

  it('accepts an exception whose named file renders a pod that fails restricted, and nothing else fails', () => {
    const apps = [chartApp([[deployment('manager', baselinePod), 'op/templates/manager.yaml'], [deployment('web', restrictedPod), 'op/templates/web.yaml']])];
    expect(checkPodSecurityExceptions(declared(['op/templates/manager.yaml']), apps)).toEqual([]);
  });

  it('reports a named file none of whose pods needs the exception any more (a chart upgrade fixed it)', () => {
    const apps = [chartApp([[deployment('manager', restrictedPod), 'op/templates/manager.yaml']])];
    const f = checkPodSecurityExceptions(declared(['op/templates/manager.yaml']), apps);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'PLAT005', file: 'apps/op.yaml', line: 7, path: '/podSecurity/templates' });
    expect(f[0]!.message).toMatch(/names op\/templates\/manager\.yaml:1, but no pod it renders in namespace "op-system" fails "restricted" any more/);
  });

  it('reports a pod failing restricted from a file the exception does not name (it would be covered silently)', () => {
    const apps = [chartApp([[deployment('manager', baselinePod), 'op/templates/manager.yaml'], [deployment('extra', baselinePod), 'op/templates/extra.yaml']])];
    const f = checkPodSecurityExceptions(declared(['op/templates/manager.yaml']), apps);
    expect(f.map((x) => `${x.file} ${x.message}`)).toEqual([
      expect.stringMatching(/^helm:op@1\.0\.0\/op\/templates\/extra\.yaml app "dev-op": apps\/Deployment op-system\/extra: fails Pod Security "restricted" in namespace "op-system", whose exception \(apps\/op\.yaml\) does not name this file/),
    ]);
  });

  it('looks only at the exception\'s namespace, and skips exceptions that name no files', () => {
    const elsewhere = [chartApp([[deployment('manager', baselinePod, 'other'), 'op/templates/manager.yaml']])];
    expect(checkPodSecurityExceptions(declared(['op/templates/manager.yaml']), elsewhere).map((f) => f.rule)).toEqual(['PLAT005']);
    const noFiles: DeclaredException[] = [{ ...declared([])[0]!, exception: { level: 'baseline', reason: 'operator-created pods' } }];
    expect(checkPodSecurityExceptions(noFiles, elsewhere)).toEqual([]);
  });
});
