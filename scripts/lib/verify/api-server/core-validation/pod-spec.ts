/**
 * The parts of ValidatePodSpec that no OpenAPI schema expresses, ported from kubernetes v1.35
 * `pkg/apis/core/validation/validation.go`: ValidateTolerations, ValidateVolumes (names),
 * validateContainers / validateInitContainers / validateContainerCommon (names, uniqueness),
 * validateContainerPorts, ValidateEnv / validateEnvVarValueFrom / ValidateEnvFrom,
 * ValidateVolumeMounts (known volume, unique mountPath), validateProbe / validateHandler /
 * validateHTTPGetAction / ValidatePortNumOrName and the liveness, readiness and startup rules.
 * Values are read as the API server sees them after defaulting (pkg/apis/core/v1/defaults.go):
 * an unset protocol is TCP, an unset or 0 successThreshold is 1.
 */
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isHTTPHeaderName, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from '../../../config/kube/names.ts';
import { tolerationIssues } from '../../../config/kube/tolerations.ts';
import { invalid, isObj, KV_ENV, KV_NAMES, KV_PORTS, KV_PROBES, KV_TOLERATIONS, list, objs, str, type Json, type KvProblem } from './types.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const notSupported = (value: unknown, supported: string[]): string => `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`;

export function tolerationProblems(tolerations: unknown, path: string): KvProblem[] {
  return tolerationIssues(tolerations).map((t) => ({ path: `${path}/${t.path}`, rule: KV_TOLERATIONS, fn: 'ValidateTolerations', message: t.message }));
}

/** ValidatePortNumOrName: a number is a port number, a string a port name (a quoted "8080" is a name, and not a valid one). */
function portNumOrName(port: unknown, at: string, fn: string): KvProblem[] {
  const msgs = typeof port === 'number' ? isValidPortNum(port) : typeof port === 'string' ? isValidPortName(port) : [];
  return msgs.map((m) => ({ path: at, rule: KV_PORTS, fn, message: invalid(port, m) }));
}

function containerPortProblems(ports: unknown, path: string): KvProblem[] {
  const out: KvProblem[] = [];
  const names = new Set<string>();
  const p = (at: string, message: string): number => out.push({ path: at, rule: KV_PORTS, fn: 'validateContainerPorts', message });
  for (const [i, port] of objs(ports)) {
    const at = `${path}/${i}`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      msgs.forEach((m) => p(`${at}/name`, invalid(name, m)));
      if (!msgs.length && names.has(name)) p(`${at}/name`, `Duplicate value: ${JSON.stringify(name)}`);
      names.add(name);
    }
    if (typeof port.containerPort === 'number' && port.containerPort !== 0) isValidPortNum(port.containerPort).forEach((m) => p(`${at}/containerPort`, invalid(port.containerPort, m)));
    else p(`${at}/containerPort`, 'Required value');
    if (typeof port.hostPort === 'number' && port.hostPort !== 0) isValidPortNum(port.hostPort).forEach((m) => p(`${at}/hostPort`, invalid(port.hostPort, m)));
    const protocol = str(port.protocol);
    // An unset or empty protocol is defaulted to TCP (SetDefaults_ContainerPort).
    if (protocol && !PROTOCOLS.includes(protocol)) p(`${at}/protocol`, notSupported(protocol, PROTOCOLS));
  }
  return out;
}

function keySelectorProblems(sel: Json, at: string): KvProblem[] {
  const out: KvProblem[] = [];
  const name = str(sel.name) ?? '';
  for (const m of isDNS1123Subdomain(name)) out.push({ path: `${at}/name`, rule: KV_ENV, fn: 'validateSecretKeySelector', message: invalid(name, m) });
  const key = str(sel.key) ?? '';
  if (!key) out.push({ path: `${at}/key`, rule: KV_ENV, fn: 'validateSecretKeySelector', message: 'Required value' });
  else for (const m of isConfigMapKey(key)) out.push({ path: `${at}/key`, rule: KV_ENV, fn: 'validateSecretKeySelector', message: invalid(key, m) });
  return out;
}

function envProblems(env: unknown, envFrom: unknown, path: string): KvProblem[] {
  const out: KvProblem[] = [];
  for (const [i, ev] of objs(env)) {
    const at = `${path}/env/${i}`;
    const name = str(ev.name) ?? '';
    for (const m of isRelaxedEnvVarName(name)) out.push({ path: `${at}/name`, rule: KV_ENV, fn: 'ValidateEnv', message: name ? invalid(name, m) : 'Required value' });
    if (!isObj(ev.valueFrom)) continue;
    const vf = ev.valueFrom;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObj(vf[k]));
    const p = (message: string): number => out.push({ path: `${at}/valueFrom`, rule: KV_ENV, fn: 'validateEnvVarValueFrom', message });
    if (sources.length === 0) p('Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
    else if (typeof ev.value === 'string' && ev.value.length) p('Invalid value: "": may not be specified when `value` is not empty');
    else if (sources.length > 1) p('Invalid value: "": may not have more than one field specified at a time');
    for (const k of ['configMapKeyRef', 'secretKeyRef']) if (isObj(vf[k])) out.push(...keySelectorProblems(vf[k] as Json, `${at}/valueFrom/${k}`));
  }
  for (const [i, ef] of objs(envFrom)) {
    const at = `${path}/envFrom/${i}`;
    const prefix = str(ef.prefix);
    if (prefix) for (const m of isRelaxedEnvVarName(prefix)) out.push({ path: `${at}/prefix`, rule: KV_ENV, fn: 'ValidateEnvFrom', message: invalid(prefix, m) });
    const n = ['configMapRef', 'secretRef'].filter((k) => isObj(ef[k])).length;
    if (n === 0) out.push({ path: `${path}/envFrom`, rule: KV_ENV, fn: 'ValidateEnvFrom', message: 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`' });
    else if (n > 1) out.push({ path: `${path}/envFrom`, rule: KV_ENV, fn: 'ValidateEnvFrom', message: 'Invalid value: "": may not have more than one field specified at a time' });
  }
  return out;
}

/** validateHandler: exactly one handler, each checked (probes: exec, httpGet, tcpSocket, grpc; lifecycle: exec, httpGet, tcpSocket, sleep). */
function handlerProblems(h: Json, at: string, kinds: string[]): KvProblem[] {
  const out: KvProblem[] = [];
  const set = kinds.filter((k) => isObj(h[k]));
  for (const k of set.slice(1)) out.push({ path: `${at}/${k}`, rule: KV_PROBES, fn: 'validateHandler', message: 'Forbidden: may not specify more than 1 handler type' });
  if (!set.length) out.push({ path: at, rule: KV_PROBES, fn: 'validateHandler', message: 'Required value: must specify a handler type' });
  const first = set[0];
  const a = first ? (h[first] as Json) : undefined;
  if (!a) return out;
  if (first === 'exec' && !list(a.command).length) out.push({ path: `${at}/exec/command`, rule: KV_PROBES, fn: 'validateExecAction', message: 'Required value' });
  if (first === 'httpGet') {
    out.push(...portNumOrName(a.port, `${at}/httpGet/port`, 'validateHTTPGetAction'));
    const scheme = str(a.scheme);
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') out.push({ path: `${at}/httpGet/scheme`, rule: KV_PROBES, fn: 'validateHTTPGetAction', message: notSupported(scheme, ['HTTP', 'HTTPS']) });
    for (const [j, hd] of objs(a.httpHeaders)) for (const m of isHTTPHeaderName(str(hd.name) ?? '')) out.push({ path: `${at}/httpGet/httpHeaders/${j}/name`, rule: KV_PROBES, fn: 'validateHTTPGetAction', message: invalid(hd.name, m) });
  }
  if (first === 'tcpSocket') out.push(...portNumOrName(a.port, `${at}/tcpSocket/port`, 'validateTCPSocketAction'));
  if (first === 'grpc' && typeof a.port === 'number') out.push(...portNumOrName(a.port, `${at}/grpc/port`, 'validateGRPCAction'));
  return out;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function probeProblems(probe: unknown, at: string, which: 'liveness' | 'readiness' | 'startup'): KvProblem[] {
  if (!isObj(probe)) return [];
  const out = handlerProblems(probe, at, PROBE_HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (typeof probe[f] === 'number' && (probe[f] as number) < 0) out.push({ path: `${at}/${f}`, rule: KV_PROBES, fn: 'validateProbe', message: invalid(probe[f], 'must be greater than or equal to 0') });
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) out.push({ path: `${at}/terminationGracePeriodSeconds`, rule: KV_PROBES, fn: 'validateProbe', message: invalid(grace, 'must be greater than 0') });
  const success = typeof probe.successThreshold === 'number' && probe.successThreshold !== 0 ? probe.successThreshold : 1;
  if (which !== 'readiness' && success !== 1) out.push({ path: `${at}/successThreshold`, rule: KV_PROBES, fn: `validate${which === 'liveness' ? 'Liveness' : 'Startup'}Probe`, message: invalid(success, 'must be 1') });
  if (which === 'readiness' && grace !== undefined && grace !== null) out.push({ path: `${at}/terminationGracePeriodSeconds`, rule: KV_PROBES, fn: 'validateReadinessProbe', message: invalid(grace, 'must not be set for readinessProbes') });
  return out;
}

/** validateContainerCommon and the per-list rules of regular and init containers. */
function containerProblems(c: Json, at: string, volumes: Set<string>, init: boolean): KvProblem[] {
  const out: KvProblem[] = [];
  const name = str(c.name) ?? '';
  if (!name) out.push({ path: `${at}/name`, rule: KV_NAMES, fn: 'validateContainerCommon', message: 'Required value' });
  else for (const m of isDNS1123Label(name)) out.push({ path: `${at}/name`, rule: KV_NAMES, fn: 'validateContainerCommon', message: invalid(name, m) });
  out.push(...containerPortProblems(c.ports, `${at}/ports`));
  out.push(...envProblems(c.env, c.envFrom, at));
  const mountPaths = new Set<string>();
  for (const [i, m] of objs(c.volumeMounts)) {
    const mName = str(m.name) ?? '';
    if (!volumes.has(mName)) out.push({ path: `${at}/volumeMounts/${i}/name`, rule: KV_NAMES, fn: 'ValidateVolumeMounts', message: `Not found: ${JSON.stringify(mName)} (no volume of the pod has this name)` });
    const mp = str(m.mountPath) ?? '';
    if (mountPaths.has(mp)) out.push({ path: `${at}/volumeMounts/${i}/mountPath`, rule: KV_NAMES, fn: 'ValidateVolumeMounts', message: invalid(mp, 'must be unique') });
    mountPaths.add(mp);
  }
  const sidecar = init && c.restartPolicy === 'Always';
  if (init && !sidecar) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[f] !== undefined && c[f] !== null) out.push({ path: `${at}/${f}`, rule: KV_PROBES, fn: 'validateInitContainers', message: 'Forbidden: may not be set for init containers without restartPolicy=Always' });
    }
    return out;
  }
  out.push(...probeProblems(c.livenessProbe, `${at}/livenessProbe`, 'liveness'));
  out.push(...probeProblems(c.readinessProbe, `${at}/readinessProbe`, 'readiness'));
  out.push(...probeProblems(c.startupProbe, `${at}/startupProbe`, 'startup'));
  if (isObj(c.lifecycle)) {
    for (const h of ['postStart', 'preStop']) if (isObj(c.lifecycle[h])) out.push(...handlerProblems(c.lifecycle[h] as Json, `${at}/lifecycle/${h}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return out;
}

/** A PodSpec at `path` (e.g. `/spec/template/spec`). */
export function podSpecProblems(spec: unknown, path: string): KvProblem[] {
  if (!isObj(spec)) return [];
  const out: KvProblem[] = [];
  const volumes = new Set<string>();
  for (const [i, v] of objs(spec.volumes)) {
    const name = str(v.name) ?? '';
    const at = `${path}/volumes/${i}/name`;
    if (!name) out.push({ path: at, rule: KV_NAMES, fn: 'ValidateVolumes', message: 'Required value' });
    else for (const m of isDNS1123Label(name)) out.push({ path: at, rule: KV_NAMES, fn: 'ValidateVolumes', message: invalid(name, m) });
    if (name && volumes.has(name)) out.push({ path: at, rule: KV_NAMES, fn: 'ValidateVolumes', message: `Duplicate value: ${JSON.stringify(name)}` });
    volumes.add(name);
  }
  const names = new Set<string>();
  for (const [i, c] of objs(spec.containers)) {
    const at = `${path}/containers/${i}`;
    out.push(...containerProblems(c, at, volumes, false));
    const name = str(c.name) ?? '';
    if (names.has(name)) out.push({ path: `${at}/name`, rule: KV_NAMES, fn: 'validateContainers', message: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
  }
  for (const [i, c] of objs(spec.initContainers)) {
    const at = `${path}/initContainers/${i}`;
    out.push(...containerProblems(c, at, volumes, true));
    const name = str(c.name) ?? '';
    if (names.has(name)) out.push({ path: `${at}/name`, rule: KV_NAMES, fn: 'validateInitContainers', message: `Duplicate value: ${JSON.stringify(name)}` });
    else if (name) names.add(name);
  }
  out.push(...tolerationProblems(spec.tolerations, `${path}/tolerations`));
  return out;
}
