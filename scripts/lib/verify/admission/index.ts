/**
 * Whole-platform output rules: pure functions over hydrated objects attributed to their Argo CD
 * Application (types.ts PlatformInput). docs/PLATFORM-RULES.md describes each rule and the
 * upstream source it mirrors.
 */
import { checkPodSecurity, PLAT003 } from './pod-security.ts';
import { checkProjectAdmission, PLAT001 } from './project-admission.ts';
import { checkSingleOwner, PLAT002 } from './single-owner.ts';
import type { Finding, PlatformInput, PlatformRule } from './types.ts';

/** The rules in the order they run; each file holds its check, this table names and describes them. */
export const PLATFORM_RULES: readonly PlatformRule[] = [
  { id: PLAT001, title: 'project-admission', check: checkProjectAdmission, doc: "Every Application's destination and every object it renders are permitted by its AppProject (kind lists, destinations), exactly as Argo CD 3.3 decides." },
  { id: PLAT002, title: 'single-owner', check: checkSingleOwner, doc: 'No object (group, kind, namespace, name) is rendered by more than one Application.' },
  { id: PLAT003, title: 'pod-security', check: checkPodSecurity, doc: 'Every pod template passes the Pod Security Standards level (baseline or restricted, latest) its namespace enforces.' },
];

/** Runs every platform rule; findings in rule order, then input order. */
export function runPlatformRules(input: PlatformInput): Finding[] {
  return PLATFORM_RULES.flatMap((r) => r.check(input));
}

export { checkProjectAdmission, DEFAULT_PROJECT, PLAT001 } from './project-admission.ts';
export { checkSingleOwner, PLAT002 } from './single-owner.ts';
export { checkPodSecurity, checksFor, enforcedLevel, evaluatePod, podTemplateOf, ENFORCE_LABEL, PLAT003 } from './pod-security.ts';
export { clusterScopedKindsFrom, crdScopes, namespacedCoreKinds } from './kind-scope.ts';
export { argoGlobMatch, destinationMatched, groupKindNamePermitted, readProjectSpec } from './argo-project.ts';
export { goFilepathMatch } from './go-filepath-match.ts';
export { gobwasGlobMatch } from './gobwas-glob.ts';
export { isRecord, makeFinding, type AppObject, type AppObjects, type PlatformInput, type PlatformRule, type ScopeOf } from './types.ts';
export { checkPodSecurityExceptions, fromSourceFile, PLAT005, type DeclaredException } from './pod-security-exceptions.ts';
