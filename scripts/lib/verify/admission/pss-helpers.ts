/**
 * Shared pieces of the Pod Security Standards checks (k8s.io/pod-security-admission v0.35,
 * policy/checks.go, helpers.go, visitor.go), over a pod spec read as plain JSON.
 */
import { isRecord, str } from './types.ts';

export type JsonMap = Record<string, unknown>;
export type Level = 'privileged' | 'baseline' | 'restricted';

export interface PssCheckResult {
  allowed: boolean;
  reason?: string;
  detail?: string;
}

/** One check at its latest policy version. */
export interface PssCheck {
  id: string;
  level: 'baseline' | 'restricted';
  /** Baseline check ids this restricted check replaces (checks.go OverrideCheckIDs). */
  overrides?: string[];
  /** The upstream file the logic is ported from. */
  source: string;
  check(meta: JsonMap, spec: JsonMap): PssCheckResult;
}

export const ALLOWED: PssCheckResult = { allowed: true };

export const forbid = (reason: string, detail: string): PssCheckResult => ({ allowed: false, reason, detail });

/** visitor.go visitContainers: init containers, containers, ephemeral containers. */
export function visitContainers(spec: JsonMap): JsonMap[] {
  const out: JsonMap[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) for (const c of list) if (isRecord(c)) out.push(c);
  }
  return out;
}

export const nameOf = (c: JsonMap): string => str(c.name);

/** A nested record field, or undefined (Go: a nil pointer). */
export function rec(v: unknown, ...path: string[]): JsonMap | undefined {
  let cur: unknown = v;
  for (const k of path) cur = isRecord(cur) ? cur[k] : undefined;
  return isRecord(cur) ? cur : undefined;
}

/** A field of a record (undefined when the record is missing). */
export const field = (v: JsonMap | undefined, k: string): unknown => (v ? v[k] : undefined);

export const podSC = (spec: JsonMap): JsonMap | undefined => rec(spec, 'securityContext');
export const containerSC = (c: JsonMap): JsonMap | undefined => rec(c, 'securityContext');

export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export const pluralize = (singular: string, plural: string, count: number): string => (count === 1 ? singular : plural);

/** "container "a"" / "containers "a", "b"". */
export const containersText = (names: readonly string[]): string => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** helpers.go relaxPolicyForUserNamespacePod: spec.hostUsers is explicitly false. */
export const inUserNamespace = (spec: JsonMap): boolean => spec.hostUsers === false;

/** Pods with spec.os.name windows are exempt from some restricted checks (1.25+). */
export const isWindows = (spec: JsonMap): boolean => str(rec(spec, 'os')?.name) === 'windows';

export const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Profile types the baseline allows (AppArmor and seccomp alike): the runtime's default or a node-local profile. */
export const allowedProfileType = (t: string): boolean => t === 'RuntimeDefault' || t === 'Localhost';

/**
 * Who sets `securityContext.<profile>.type` (appArmorProfile, seccompProfile) to a type the
 * baseline forbids: 'pod' and/or `container(s) "a", "b"`, and the forbidden types.
 */
export function forbiddenProfileSetters(spec: JsonMap, profile: string): { setters: string[]; badValues: Set<string> } {
  const setters: string[] = [];
  const badValues = new Set<string>();
  const podProfile = rec(spec, 'securityContext', profile);
  if (podProfile && !allowedProfileType(str(podProfile.type))) {
    setters.push('pod');
    badValues.add(str(podProfile.type));
  }
  const bad: string[] = [];
  for (const c of visitContainers(spec)) {
    const p = rec(c, 'securityContext', profile);
    if (p && !allowedProfileType(str(p.type))) {
      bad.push(nameOf(c));
      badValues.add(str(p.type));
    }
  }
  if (bad.length > 0) setters.push(containersText(bad));
  return { setters, badValues };
}
