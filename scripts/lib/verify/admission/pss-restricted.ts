/**
 * The restricted Pod Security Standards checks at their latest policy version (v1.35), ported from
 * k8s.io/pod-security-admission v0.35 policy/check_<name>.go. Restricted = these + the baseline
 * checks they do not override (policy/registry.go populate).
 */
import { present, procMountStrict } from './pss-baseline.ts';
import {
  ALLOWED, allowedProfileType, containerSC, containersText, field, forbid, inUserNamespace, isWindows, joinQuote, nameOf, podSC, rec, sortedUnique, visitContainers,
  type PssCheckResult, type JsonMap, type PssCheck,
} from './pss-helpers.ts';
import { isRecord, str } from './types.ts';

function allowPrivilegeEscalation(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  if (isWindows(spec)) return ALLOWED;
  const bad = visitContainers(spec).filter((c) => field(containerSC(c), 'allowPrivilegeEscalation') !== false).map(nameOf);
  return bad.length === 0 ? ALLOWED : forbid('allowPrivilegeEscalation != false', `${containersText(bad)} must set securityContext.allowPrivilegeEscalation=false`);
}

function capabilitiesRestricted(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  if (isWindows(spec)) return ALLOWED;
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const caps = new Set<string>();
  for (const c of visitContainers(spec)) {
    const capabilities = rec(c, 'securityContext', 'capabilities');
    if (!capabilities) {
      missingDrop.push(nameOf(c));
      continue;
    }
    const drop = Array.isArray(capabilities.drop) ? capabilities.drop : [];
    if (!drop.includes('ALL')) missingDrop.push(nameOf(c));
    const extra = (Array.isArray(capabilities.add) ? capabilities.add : []).map(String).filter((x) => x !== 'NET_BIND_SERVICE');
    extra.forEach((x) => caps.add(x));
    if (extra.length > 0) adding.push(nameOf(c));
  }
  const details: string[] = [];
  if (missingDrop.length > 0) details.push(`${containersText(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length > 0) details.push(`${containersText(adding)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`);
  return details.length === 0 ? ALLOWED : forbid('unrestricted capabilities', details.join('; '));
}

/** Volume sources the restricted profile allows (check_restrictedVolumes.go). */
const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** Volume sources it forbids, in the order it names them. */
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc',
  'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

function restrictedVolumes(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const v of Array.isArray(spec.volumes) ? spec.volumes.filter(isRecord) : []) {
    if (ALLOWED_VOLUME_SOURCES.some((k) => present(v, k))) continue;
    const restricted = RESTRICTED_VOLUME_SOURCES.find((k) => present(v, k));
    // A volume with no known source is defaulted to emptyDir by the API server before admission
    // (core/v1 SetDefaults_Volume), so it passes.
    if (restricted === undefined) continue;
    bad.push(nameOf(v));
    types.add(restricted);
  }
  if (bad.length === 0) return ALLOWED;
  const t = sortedUnique(types);
  return forbid(
    'restricted volume types',
    `${bad.length === 1 ? 'volume' : 'volumes'} ${joinQuote(bad)} ${bad.length === 1 ? 'uses' : 'use'} ${t.length === 1 ? 'restricted volume type' : 'restricted volume types'} ${joinQuote(t)}`,
  );
}

function runAsNonRoot(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  if (inUserNamespace(spec)) return ALLOWED;
  const setters: string[] = [];
  let podNonRoot = false;
  const podValue = field(podSC(spec), 'runAsNonRoot');
  if (typeof podValue === 'boolean') {
    if (!podValue) setters.push('pod');
    else podNonRoot = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of visitContainers(spec)) {
    const v = field(containerSC(c), 'runAsNonRoot');
    if (typeof v === 'boolean') {
      if (!v) explicit.push(nameOf(c));
    } else if (!podNonRoot) implicit.push(nameOf(c));
  }
  if (explicit.length > 0) setters.push(containersText(explicit));
  if (setters.length > 0) return forbid('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length > 0) return forbid('runAsNonRoot != true', `pod or ${containersText(implicit)} must set securityContext.runAsNonRoot=true`);
  return ALLOWED;
}

function runAsUser(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  if (inUserNamespace(spec)) return ALLOWED;
  const setters: string[] = [];
  if (field(podSC(spec), 'runAsUser') === 0) setters.push('pod');
  const bad = visitContainers(spec).filter((c) => field(containerSC(c), 'runAsUser') === 0).map(nameOf);
  if (bad.length > 0) setters.push(containersText(bad));
  return setters.length === 0 ? ALLOWED : forbid('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`);
}

function seccompProfileRestricted(_meta: JsonMap, spec: JsonMap): PssCheckResult {
  if (isWindows(spec)) return ALLOWED;
  const setters: string[] = [];
  const badValues = new Set<string>();
  let podSet = false;
  const podProfile = rec(spec, 'securityContext', 'seccompProfile');
  if (podProfile) {
    if (!allowedProfileType(str(podProfile.type))) {
      setters.push('pod');
      badValues.add(str(podProfile.type));
    } else podSet = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of visitContainers(spec)) {
    const p = rec(c, 'securityContext', 'seccompProfile');
    if (p) {
      if (!allowedProfileType(str(p.type))) {
        explicit.push(nameOf(c));
        badValues.add(str(p.type));
      }
    } else if (!podSet) implicit.push(nameOf(c));
  }
  if (explicit.length > 0) setters.push(containersText(explicit));
  if (setters.length > 0) return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`);
  if (implicit.length > 0) return forbid('seccompProfile', `pod or ${containersText(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  return ALLOWED;
}

const src = (f: string): string => `policy/${f}`;

export const RESTRICTED_CHECKS: PssCheck[] = [
  { id: 'allowPrivilegeEscalation', level: 'restricted', source: src('check_allowPrivilegeEscalation.go'), check: allowPrivilegeEscalation },
  { id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'], source: src('check_capabilities_restricted.go'), check: capabilitiesRestricted },
  { id: 'procMount_restricted', level: 'restricted', overrides: ['procMount'], source: src('check_procMount_restricted.go'), check: procMountStrict },
  { id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'], source: src('check_restrictedVolumes.go'), check: restrictedVolumes },
  { id: 'runAsNonRoot', level: 'restricted', source: src('check_runAsNonRoot.go'), check: runAsNonRoot },
  { id: 'runAsUser', level: 'restricted', source: src('check_runAsUser.go'), check: runAsUser },
  { id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'], source: src('check_seccompProfile_restricted.go'), check: seccompProfileRestricted },
];
