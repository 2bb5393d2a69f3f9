/** PLAT003: each Pod Security Standards check (v1.35, latest) fires on a crafted pod and not on a compliant one. */
import { describe, expect, it } from 'vitest';
import { checkPodSecurity, checksFor, enforcedLevel, evaluatePod, podTemplateOf } from '../../../scripts/lib/verify/admission/pod-security.ts';
import type { JsonMap } from '../../../scripts/lib/verify/admission/pss-helpers.ts';
import { app, input, obj } from './helpers.ts';

const goodContainer = (name = 'app'): JsonMap => ({
  name,
  image: 'example/app:1',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
});
const goodSpec = (): JsonMap => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [goodContainer()],
});
type Mut = (spec: JsonMap, meta: JsonMap) => void;
const sc = (spec: JsonMap): JsonMap => (spec.containers as JsonMap[])[0]!.securityContext as JsonMap;
const podSc = (spec: JsonMap): JsonMap => spec.securityContext as JsonMap;

/** [check id, level it belongs to, mutation that breaks it, reason PSA gives]. */
const CASES: [string, 'baseline' | 'restricted', Mut, string][] = [
  ['hostNamespaces', 'baseline', (s) => (s.hostNetwork = true), 'host namespaces'],
  ['hostNamespaces', 'baseline', (s) => (s.hostPID = true), 'host namespaces'],
  ['privileged', 'baseline', (s) => (sc(s).privileged = true), 'privileged'],
  ['capabilities_baseline', 'baseline', (s) => ((sc(s).capabilities as JsonMap).add = ['NET_ADMIN']), 'non-default capabilities'],
  ['hostPathVolumes', 'baseline', (s) => (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]), 'hostPath volumes'],
  ['hostPorts', 'baseline', (s) => ((s.containers as JsonMap[])[0]!.ports = [{ containerPort: 80, hostPort: 8080 }]), 'hostPort'],
  ['appArmorProfile', 'baseline', (s) => (podSc(s).appArmorProfile = { type: 'Unconfined' }), 'forbidden AppArmor profile'],
  ['appArmorProfile', 'baseline', (_s, m) => (m.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }), 'forbidden AppArmor profile'],
  ['seLinuxOptions', 'baseline', (s) => (sc(s).seLinuxOptions = { type: 'spc_t' }), 'seLinuxOptions'],
  ['seLinuxOptions', 'baseline', (s) => (podSc(s).seLinuxOptions = { user: 'system_u' }), 'seLinuxOptions'],
  ['procMount', 'baseline', (s) => (sc(s).procMount = 'Unmasked'), 'procMount'],
  ['seccompProfile_baseline', 'baseline', (s) => (podSc(s).seccompProfile = { type: 'Unconfined' }), 'seccompProfile'],
  ['sysctls', 'baseline', (s) => (podSc(s).sysctls = [{ name: 'kernel.msgmax', value: '1' }]), 'forbidden sysctls'],
  ['windowsHostProcess', 'baseline', (s) => (sc(s).windowsOptions = { hostProcess: true }), 'hostProcess'],
  ['hostProbesAndHostLifecycle', 'baseline', (s) => ((s.containers as JsonMap[])[0]!.livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } }), 'probe or lifecycle host'],
  ['allowPrivilegeEscalation', 'restricted', (s) => delete sc(s).allowPrivilegeEscalation, 'allowPrivilegeEscalation != false'],
  ['capabilities_restricted', 'restricted', (s) => (sc(s).capabilities = { drop: ['NET_RAW'] }), 'unrestricted capabilities'],
  ['capabilities_restricted', 'restricted', (s) => ((sc(s).capabilities as JsonMap).add = ['CHOWN']), 'unrestricted capabilities'],
  ['restrictedVolumes', 'restricted', (s) => (s.volumes = [{ name: 'n', nfs: { server: 'x', path: '/' } }]), 'restricted volume types'],
  ['runAsNonRoot', 'restricted', (s) => delete podSc(s).runAsNonRoot, 'runAsNonRoot != true'],
  ['runAsNonRoot', 'restricted', (s) => (sc(s).runAsNonRoot = false), 'runAsNonRoot != true'],
  ['runAsUser', 'restricted', (s) => (podSc(s).runAsUser = 0), 'runAsUser=0'],
  ['seccompProfile_restricted', 'restricted', (s) => delete podSc(s).seccompProfile, 'seccompProfile'],
  ['procMount_restricted', 'restricted', (s) => ((s.hostUsers = false), (sc(s).procMount = 'Unmasked')), 'procMount'],
];

function broken(mut: Mut): { meta: JsonMap; spec: JsonMap } {
  const spec = goodSpec();
  const meta: JsonMap = {};
  mut(spec, meta);
  return { meta, spec };
}

describe('Pod Security Standards checks', () => {
  it('a compliant pod passes restricted, hence baseline', () => {
    expect(evaluatePod('restricted', {}, goodSpec())).toEqual([]);
    expect(evaluatePod('baseline', {}, { containers: [{ name: 'bare' }] })).toEqual([]);
    expect(evaluatePod('privileged', {}, { hostNetwork: true })).toEqual([]);
  });

  it.each(CASES)('%s (%s) fires', (id, level, mut, reason) => {
    const { meta, spec } = broken(mut);
    const v = evaluatePod(level, meta, spec);
    expect(v.map((x) => [x.check, x.reason])).toEqual([[id, reason]]);
    // Restricted includes baseline (or a stricter check overriding it).
    expect(evaluatePod('restricted', meta, spec)).not.toEqual([]);
  });

  it.each(CASES.filter((c) => c[1] === 'restricted'))('%s is not enforced at baseline', (_id, _level, mut) => {
    const { meta, spec } = broken(mut);
    expect(evaluatePod('baseline', meta, spec)).toEqual([]);
  });

  it('explains the cause in the detail', () => {
    const { spec } = broken((s) => ((s.containers as JsonMap[]).push({ ...goodContainer('side'), securityContext: { privileged: true } }), (sc(s).privileged = true)));
    expect(evaluatePod('baseline', {}, spec)[0]!.detail).toBe('containers "app", "side" must not set securityContext.privileged=true');
    const seccomp = evaluatePod('restricted', {}, { containers: [goodContainer('a'), { ...goodContainer('b') }] });
    expect(seccomp.find((x) => x.check === 'seccompProfile_restricted')!.detail).toBe('pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"');
  });

  it('allowed values stay quiet', () => {
    const spec = goodSpec();
    Object.assign(podSc(spec), { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }], seLinuxOptions: { type: 'container_engine_t', level: 's0:c1' }, appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } });
    Object.assign(sc(spec), { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, procMount: 'Default', runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: 'x' } });
    spec.volumes = [{ name: 'c', configMap: { name: 'x' } }, { name: 'e', emptyDir: {} }, { name: 'p', persistentVolumeClaim: { claimName: 'x' } }, { name: 'i', image: { reference: 'x' } }, { name: 'bare' }];
    (spec.containers as JsonMap[])[0]!.ports = [{ containerPort: 80, hostPort: 0 }];
    (spec.containers as JsonMap[])[0]!.readinessProbe = { httpGet: { port: 80, host: '' } };
    expect(evaluatePod('restricted', { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, spec)).toEqual([]);
    // A container-level seccomp profile on every container stands in for the pod-level one.
    const perContainer: JsonMap = { securityContext: { runAsNonRoot: true }, containers: [{ ...goodContainer(), securityContext: { ...(goodContainer().securityContext as JsonMap), seccompProfile: { type: 'RuntimeDefault' } } }] };
    expect(evaluatePod('restricted', {}, perContainer)).toEqual([]);
  });

  it('relaxes runAsNonRoot, runAsUser and baseline procMount in a user namespace (1.35), and exempts windows pods', () => {
    const userNs: JsonMap = { ...goodSpec(), hostUsers: false, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } };
    (userNs.containers as JsonMap[])[0]!.securityContext = { ...(goodContainer().securityContext as JsonMap), procMount: 'Unmasked' };
    expect(evaluatePod('baseline', {}, userNs)).toEqual([]);
    expect(evaluatePod('restricted', {}, userNs).map((x) => x.check)).toEqual(['procMount_restricted']);
    const windows: JsonMap = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w' }] };
    expect(evaluatePod('restricted', {}, windows)).toEqual([]);
  });

  it('restricted replaces the baseline checks it overrides', () => {
    const ids = checksFor('restricted').map((c) => c.id);
    expect(ids).not.toContain('hostPathVolumes');
    expect(ids).not.toContain('seccompProfile_baseline');
    expect(ids).toHaveLength(12 - 4 + 7);
    const { spec } = broken((s) => (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]));
    expect(evaluatePod('restricted', {}, spec).map((x) => x.detail)).toEqual(['volume "h" uses restricted volume type "hostPath"']);
  });

  it('checks init and ephemeral containers too', () => {
    const spec: JsonMap = { ...goodSpec(), initContainers: [{ name: 'init', securityContext: { privileged: true } }], ephemeralContainers: [{ name: 'dbg', securityContext: { privileged: true } }] };
    expect(evaluatePod('baseline', {}, spec)[0]!.detail).toBe('containers "init", "dbg" must not set securityContext.privileged=true');
  });
});

describe('PLAT003 rule', () => {
  const ns = (name: string, level?: string) => obj('v1', 'Namespace', name, undefined, level ? { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } } : {});
  const deploy = (name: string, spec: JsonMap, namespace?: string) => obj('apps/v1', 'Deployment', name, namespace, { spec: { template: { metadata: {}, spec } } });

  it('finds pod templates where PSA does', () => {
    const spec = goodSpec();
    expect(podTemplateOf(obj('batch/v1', 'CronJob', 'c', 'n', { spec: { jobTemplate: { spec: { template: { spec } } } } }))!.path).toBe('/spec/jobTemplate/spec/template/spec');
    expect(podTemplateOf(obj('v1', 'Pod', 'p', 'n', { spec }))!.path).toBe('/spec');
    expect(podTemplateOf(obj('v1', 'PodTemplate', 'p', 'n', { template: { spec } }))!.path).toBe('/template/spec');
    expect(podTemplateOf(obj('example.com/v1', 'Deployment', 'd', 'n', { spec: { template: { spec } } }))).toBeUndefined();
  });

  it('checks against the level the namespace enforces, naming app, object and cause', () => {
    const bad = { containers: [{ name: 'web', securityContext: { privileged: true } }] };
    const a = app('web', 'p', 'catalyst-web', [deploy('web', bad), deploy('ok', bad, 'open'), deploy('quiet', bad, 'unlabelled')]);
    const f = checkPodSecurity(input([a], { namespaces: [ns('catalyst-web', 'baseline'), ns('open', 'privileged'), ns('unlabelled')] }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'PLAT003', kind: 'Deployment', name: 'web', path: '/spec/template/spec', line: 1 });
    expect(f[0]!.message).toBe(
      'app "web": apps/Deployment catalyst-web/web: pod template violates PodSecurity "baseline:latest" enforced on namespace "catalyst-web": privileged (container "web" must not set securityContext.privileged=true) [privileged]',
    );
  });

  it('an invalid enforce label is reported once and evaluated as restricted', () => {
    const a = app('x', 'p', 'weird', [ns('weird', 'strict'), deploy('d', { containers: [{ name: 'c' }] }), deploy('e', goodSpec())]);
    const f = checkPodSecurity(input([a], { namespaces: [ns('weird', 'strict')] }));
    expect(f[0]!.message).toContain('pod-security.kubernetes.io/enforce="strict" is not privileged, baseline or restricted');
    expect(f[0]).toMatchObject({ kind: 'Namespace', line: 1, path: '/metadata/labels/pod-security.kubernetes.io~1enforce' });
    expect(f.slice(1).every((x) => x.name === 'd' && x.message.includes('"restricted:latest"'))).toBe(true);
    expect(f.length).toBeGreaterThan(2);
    expect(enforcedLevel(undefined)).toEqual({ level: 'privileged' });
  });
});
