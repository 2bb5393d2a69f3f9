/**
 * The output rules over the whole platform of one environment, charts and git sources included
 * (the local components are validated by `check` as before; this adds what the other
 * Applications render):
 * - HYD001 an Application that could not be hydrated (warning; error with --require-all),
 *   HYD002 a helm/kustomize run that failed (error);
 * - strict schema validation of chart and git objects (core kinds, schemas/crds, else the
 *   hydrated CRD), with namespaces defaulted the way Argo CD does;
 * - CRD-before-CR across waves (check runs the namespace posture rules over all objects);
 * - PLAT001-PLAT003 (runPlatformRules) and PLAT004 values keys (warnings);
 * - the objects operators create from the custom resources, through the pod rules (expansion/).
 */
import type { Finding, K8sObject, WithFindings } from '../../findings.ts';
import type { Plan } from '../../plan/plan.ts';
import type { LocatedObject, AppHydration } from '../hydration/index.ts';
import { HydratedCrdSchemas, validateWithCrds } from '../schemas/index.ts';
import { declaredScopes } from '../../config/catalog.ts';
import { crdScopes } from '../../config/kube/builtin-scopes.ts';
import { clusterScopedKindsFrom, runPlatformRules, type ScopeOf, checkPodSecurityExceptions, type DeclaredException } from '../admission/index.ts';
import { groupOf } from '../../findings.ts';
import { crdWaveFindings, hydratedInstallers } from '../policy/index.ts';
import { catalogImages } from '../../config/family-versions.ts';
import { expansionFindings, type DeclaredFlows, type ExpandedObject } from '../expansion/index.ts';
import { valuesFindings } from '../chart-values/index.ts';
import { positionOf } from '../../config/yaml-source.ts';

export const HYD001 = 'HYD001';
export const HYD002 = 'HYD002';

/** Kinds that exist on every Argo CD cluster although no platform app installs their CRD. */
const ARGO_KINDS: Record<string, boolean> = { 'argoproj.io/Application': false, 'argoproj.io/AppProject': false, 'argoproj.io/ApplicationSet': false };

export interface PlatformCheck {
  plan: Plan;
  apps: AppHydration[];
  /** All objects of the env from collectObjects (root.yaml has the AppProject). */
  located: LocatedObject[];
  crdSchemaDir: string;
  requireAll: boolean;
  /** Chart files for PLAT004 (see chart-values/index.ts); omitted: no values check. */
  chartOf?: (a: AppHydration) => Promise<string | undefined>;
}

export function hydrationFindings(apps: AppHydration[], requireAll: boolean): Finding[] {
  const failed = apps.filter((a) => a.status === 'not-hydrated' || a.status === 'failed');
  // Inputs refused before any tool ran: each at its own file and line, for its Application.
  const inputs = failed.flatMap((a) => (a.inputFindings ?? []).map((f) => ({ ...f, kind: 'Application', name: a.app, rule: HYD002 })));
  return [...inputs, ...failed
    .filter((a) => !a.inputFindings?.length)
    .map((a) => ({
      file: a.application.file,
      line: a.application.line,
      col: a.application.line ? 1 : 0,
      kind: 'Application',
      name: a.app,
      path: '/spec/source',
      rule: a.status === 'failed' ? HYD002 : HYD001,
      message: a.status === 'failed' ? `hydration failed: ${a.reason}` : `not hydrated, its objects were not checked: ${a.reason}`,
      ...(a.status === 'not-hydrated' && !requireAll ? { severity: 'warning' as const } : {}),
    }))];
}

/** Argo CD's namespace defaulting (controller/state.go DeduplicateTargetObjects) on a copy. */
export function withArgoNamespaces(objects: LocatedObject[], destNamespace: string, scopeOf: ScopeOf): LocatedObject[] {
  return objects.map((o) => {
    const cluster = scopeOf(groupOf(o.obj.apiVersion), o.obj.kind);
    const ns = o.obj.metadata?.namespace;
    if (cluster === true && ns !== undefined) {
      const { namespace: _dropped, ...metadata } = o.obj.metadata;
      return { ...o, obj: { ...o.obj, metadata } as K8sObject };
    }
    if (cluster !== true && !ns && destNamespace) return { ...o, obj: { ...o.obj, metadata: { ...o.obj.metadata, namespace: destNamespace } } };
    return o;
  });
}

export type PlatformResult = WithFindings<{
  /** Objects of chart and git sources (namespaces defaulted), for the rules check runs over everything. */
  remoteObjects: LocatedObject[];
  /** What the operators create from the env's custom resources (expansion/). */
  expanded: ExpandedObject[];
}>;

export async function platformFindings(input: PlatformCheck): Promise<PlatformResult> {
  const { plan, apps } = input;
  const findings = hydrationFindings(apps, input.requireAll);
  const allObjects = apps.flatMap((a) => a.objects.map((o) => o.obj));
  const base = clusterScopedKindsFrom(allObjects, { ...ARGO_KINDS, ...localScopes(plan, input.located) });
  const remote = apps.filter((a) => a.status === 'hydrated').map((a) => ({ ...a, objects: withArgoNamespaces(a.objects, a.destination.namespace, base) }));
  const crds = new HydratedCrdSchemas(allObjects);
  const clusterScopedCustomKinds = customClusterKinds(plan, allObjects);
  for (const a of remote) {
    findings.push(...(await validateWithCrds(a.objects, crds, { crdSchemaDir: input.crdSchemaDir, clusterScopedCustomKinds })));
  }
  const owners = new Map(remote.flatMap((a) => a.objects.map((o) => [o, a.component] as const)));
  const installers = hydratedInstallers(apps);
  findings.push(...crdWaveFindings(plan, remote.flatMap((a) => a.objects), { componentOf: (o) => owners.get(o as LocatedObject), installers }));
  const localObjects = input.located;
  const remoteObjects = remote.flatMap((a) => a.objects);
  const platformApps = [...apps.filter((a) => a.status === 'local'), ...remote].map((a) => ({
    app: a.app,
    project: a.project,
    destination: a.destination,
    objects: a.objects.map((o) => ({ obj: o.obj, file: o.file, line: o.line })),
  }));
  const projects = localObjects.filter((o) => o.obj.apiVersion === 'argoproj.io/v1alpha1' && o.obj.kind === 'AppProject').map((o) => o.obj);
  const namespaces = apps.flatMap((a) => a.objects).filter((o) => o.obj.apiVersion === 'v1' && o.obj.kind === 'Namespace').map((o) => o.obj);
  findings.push(...runPlatformRules({ apps: platformApps, projects, namespaces, clusterScopedKinds: base }));
  // Only over what was hydrated: an exception's sources that were not hydrated are HYD001 already.
  const hydratedComponents = new Set(remote.map((a) => a.component));
  findings.push(...checkPodSecurityExceptions(declaredExceptions(plan).filter((d) => hydratedComponents.has(d.component)), platformApps));
  if (input.chartOf) findings.push(...(await valuesFindings(remote, input.chartOf)));
  const expansion = expansionFindings(platformApps.flatMap((a) => a.objects), namespaces, declaredFlows(plan), catalogImages([...plan.env.components.values()].map((c) => c.app)));
  findings.push(...expansion.findings);
  return { findings, remoteObjects, expanded: expansion.expanded };
}

/** The traffic the catalog declares (apps/<name>/app.yaml talksTo and the models' podFlows) for the expansion's flow rules. */
export function declaredFlows(plan: Plan): DeclaredFlows {
  return {
    podFlows: plan.byName.get('models')?.app.podFlows ?? [],
    talksTo: plan.apps.flatMap((a) => a.app.talksTo.map((t) => ({ from: a.name, to: t.component, ports: t.ports }))),
  };
}

/** The catalog's Pod Security exceptions that name the source files needing them (PLAT005). */
function declaredExceptions(plan: Plan): DeclaredException[] {
  return plan.apps
    .filter((a) => a.app.podSecurity?.templates?.length)
    .map((a) => ({ component: a.name, namespace: a.app.namespace, exception: a.app.podSecurity!, at: { file: `apps/${a.name}/app.yaml`, line: positionOf(a.app.src, '/podSecurity').line } }));
}

/**
 * Cluster-scoped custom kinds: those the CRDs among the objects declare (spec.scope Cluster) and
 * those the catalog's entries list as clusterResources (a CRD that is not hydrated here).
 */
export function customClusterKinds(plan: Plan, objects: readonly K8sObject[]): string[] {
  const declared = [...declaredScopes(plan.apps.map((a) => a.app))].filter(([, cluster]) => cluster).map(([k]) => k);
  const fromCrds = [...crdScopes(objects)].filter(([, cluster]) => cluster).map(([k]) => k);
  return [...new Set([...declared, ...fromCrds])].sort();
}

/**
 * Scopes of the custom kinds the local components use (their CRD may come from an app not
 * hydrated): as the catalog declares them; a kind it does not declare counts as namespaced.
 */
function localScopes(plan: Plan, located: LocatedObject[]): Record<string, boolean> {
  const declared = declaredScopes(plan.apps.map((a) => a.app));
  const out: Record<string, boolean> = {};
  for (const o of located) {
    const k = `${groupOf(o.obj.apiVersion)}/${o.obj.kind}`;
    out[k] = declared.get(k) ?? false;
  }
  return out;
}
