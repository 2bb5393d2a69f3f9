/**
 * The baseline Pod Security Standards checks at their latest policy version (v1.35), ported from
 * k8s.io/pod-security-admission v0.35 policy/check_<name>.go (one function per file).
 */
import {
  ALLOWED, containerSC, containersText, field, forbid, forbiddenProfileSetters, inUserNamespace, joinQuote, nameOf, podSC, rec, sortedUnique, visitContainers,
  type PssCheckResult, type JsonMap, type PssCheck,
} from './pss-helpers.ts';
import { isRecord, str } from './types.ts';

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorAnnotation = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

function appArmorProfile(meta: JsonMap, spec: JsonMap): PssCheckResult {
  const { setters, badValues } = forbiddenProfileSetters(spec, 'appArmorProfile');
  const annotations = rec(meta, 'annotations') ?? {};
  const forbidden = Object.entries(annotations)
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(str(v)))
    .map(([k, v]) => `${k}=${JSON.stringify(str(v))}`)
    .sort();
  const values = [...sortedUnique(badValues), ...forbidden];
  if (forbidden.length > 0) setters.push(forbidden.length === 1 ? 'annotation' : 'annotations');
  if (setters.length === 0) return ALLOWED;
  return forbid(values.length === 1 ? 'forbidden AppArmor profile' : 'forbidden AppArmor profiles', `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`);
}

const DEFAULT_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

function capabilitiesBaseline(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad: string[] = [];
  const caps = new Set<string>();
  for (const c of visitContainers(spec)) {
    const add = field(rec(c, 'securityContext', 'capabilities'), 'add');
    const extra = (Array.isArray(add) ? add : []).map(String).filter((x) => !DEFAULT_CAPABILITIES.has(x));
    extra.forEach((x) => caps.add(x));
    if (extra.length > 0) bad.push(nameOf(c));
  }
  if (bad.length === 0) return ALLOWED;
  return forbid('non-default capabilities', `${containersText(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`);
}

function hostNamespaces(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
  return set.length === 0 ? ALLOWED : forbid('host namespaces', set.join(', '));
}

const volumes = (spec: JsonMap): JsonMap[] => (Array.isArray(spec.volumes) ? spec.volumes.filter(isRecord) : []);
/** Go: a non-nil pointer field (JSON: present and not null). */
export const present = (o: JsonMap, k: string): boolean => o[k] !== undefined && o[k] !== null;

function hostPathVolumes(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad = volumes(spec).filter((v) => present(v, 'hostPath')).map(nameOf);
  return bad.length === 0 ? ALLOWED : forbid('hostPath volumes', `${bad.length === 1 ? 'volume' : 'volumes'} ${joinQuote(bad)}`);
}

function hostPorts(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad: string[] = [];
  const ports = new Set<string>();
  for (const c of visitContainers(spec)) {
    const used = (Array.isArray(c.ports) ? c.ports.filter(isRecord) : []).map((p) => p.hostPort).filter((h) => typeof h === 'number' && h !== 0);
    used.forEach((h) => ports.add(String(h)));
    if (used.length > 0) bad.push(nameOf(c));
  }
  if (bad.length === 0) return ALLOWED;
  const list = sortedUnique(ports);
  return forbid('hostPort', `${containersText(bad)} ${bad.length === 1 ? 'uses' : 'use'} ${list.length === 1 ? 'hostPort' : 'hostPorts'} ${list.join(', ')}`);
}

function hostsOf(handler: JsonMap | undefined): string[] {
  return [str(rec(handler, 'httpGet')?.host), str(rec(handler, 'tcpSocket')?.host)].filter((h) => h !== '');
}

function hostProbesAndHostLifecycle(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad = new Set<string>();
  const hosts = new Set<string>();
  for (const c of visitContainers(spec)) {
    const handlers = [rec(c, 'livenessProbe'), rec(c, 'readinessProbe'), rec(c, 'startupProbe'), rec(c, 'lifecycle', 'postStart'), rec(c, 'lifecycle', 'preStop')];
    for (const h of handlers.flatMap(hostsOf)) {
      bad.add(nameOf(c));
      hosts.add(h);
    }
  }
  if (bad.size === 0) return ALLOWED;
  const names = sortedUnique(bad);
  return forbid('probe or lifecycle host', `${containersText(names)} ${names.length === 1 ? 'uses' : 'use'} ${hosts.size === 1 ? 'probe or lifecycle host' : 'probe or lifecycle hosts'} ${joinQuote(sortedUnique(hosts))}`);
}

function privileged(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad = visitContainers(spec).filter((c) => field(containerSC(c), 'privileged') === true).map(nameOf);
  return bad.length === 0 ? ALLOWED : forbid('privileged', `${containersText(bad)} must not set securityContext.privileged=true`);
}

/** check_procMount_baseline.go procMount_1_0: any procMount other than Default. */
export function procMountStrict(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of visitContainers(spec)) {
    const pm = field(containerSC(c), 'procMount');
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      bad.push(nameOf(c));
      types.add(String(pm));
    }
  }
  return bad.length === 0 ? ALLOWED : forbid('procMount', `${containersText(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`);
}

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function seLinuxOptions(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const setters: string[] = [];
  const badTypes = new Set<string>();
  let setUser = false;
  let setRole = false;
  const valid = (o: JsonMap): boolean => {
    let ok = true;
    if (!SELINUX_TYPES.has(str(o.type))) {
      ok = false;
      badTypes.add(str(o.type));
    }
    if (str(o.user) !== '') {
      ok = false;
      setUser = true;
    }
    if (str(o.role) !== '') {
      ok = false;
      setRole = true;
    }
    return ok;
  };
  const podOpts = rec(spec, 'securityContext', 'seLinuxOptions');
  if (podOpts && !valid(podOpts)) setters.push('pod');
  const bad = visitContainers(spec).filter((c) => {
    const o = rec(c, 'securityContext', 'seLinuxOptions');
    return o !== undefined && !valid(o);
  });
  if (bad.length > 0) setters.push(containersText(bad.map(nameOf)));
  if (setters.length === 0) return ALLOWED;
  const data: string[] = [];
  if (badTypes.size > 0) data.push(`${badTypes.size === 1 ? 'type' : 'types'} ${joinQuote(sortedUnique(badTypes))}`);
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return forbid('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
}

function seccompProfileBaseline(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const { setters, badValues } = forbiddenProfileSetters(spec, 'seccompProfile');
  if (setters.length === 0) return ALLOWED;
  return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`);
}

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);

function sysctls(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const list = field(podSC(spec), 'sysctls');
  const bad = (Array.isArray(list) ? list.filter(isRecord) : []).map((s) => str(s.name)).filter((n) => !SAFE_SYSCTLS.has(n));
  return bad.length === 0 ? ALLOWED : forbid('forbidden sysctls', bad.join(', '));
}

function windowsHostProcess(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const setters: string[] = [];
  if (field(rec(spec, 'securityContext', 'windowsOptions'), 'hostProcess') === true) setters.push('pod');
  const bad = visitContainers(spec).filter((c) => field(rec(c, 'securityContext', 'windowsOptions'), 'hostProcess') === true).map(nameOf);
  if (bad.length > 0) setters.push(containersText(bad));
  return setters.length === 0 ? ALLOWED : forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`);
}

const src = (f: string): string => `policy/${f}`;

export const BASELINE_CHECKS: PssCheck[] = [
  { id: 'appArmorProfile', level: 'baseline', source: src('check_appArmorProfile.go'), check: appArmorProfile },
  { id: 'capabilities_baseline', level: 'baseline', source: src('check_capabilities_baseline.go'), check: capabilitiesBaseline },
  { id: 'hostNamespaces', level: 'baseline', source: src('check_hostNamespaces.go'), check: hostNamespaces },
  { id: 'hostPathVolumes', level: 'baseline', source: src('check_hostPathVolumes.go'), check: hostPathVolumes },
  { id: 'hostPorts', level: 'baseline', source: src('check_hostPorts.go'), check: hostPorts },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', source: src('check_hostProbesAndhostLifecycle.go'), check: hostProbesAndHostLifecycle },
  { id: 'privileged', level: 'baseline', source: src('check_privileged.go'), check: privileged },
  // 1.35: relaxed for pods in a user namespace (hostUsers: false).
  { id: 'procMount', level: 'baseline', source: src('check_procMount_baseline.go'), check: (m, s) => (inUserNamespace(s) ? ALLOWED : procMountStrict(m, s)) },
  { id: 'seLinuxOptions', level: 'baseline', source: src('check_seLinuxOptions.go'), check: seLinuxOptions },
  { id: 'seccompProfile_baseline', level: 'baseline', source: src('check_seccompProfile_baseline.go'), check: seccompProfileBaseline },
  { id: 'sysctls', level: 'baseline', source: src('check_sysctls.go'), check: sysctls },
  { id: 'windowsHostProcess', level: 'baseline', source: src('check_windowsHostProcess.go'), check: windowsHostProcess },
];
