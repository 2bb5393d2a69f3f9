/**
 * SEC017 appproject-fenced. Argo CD 3.3 (app_project_types.go IsGroupKindNamePermitted) permits
 * every namespaced kind when namespaceResourceWhitelist is absent, and that list applies to every
 * destination of the project. So the fence holds only if: each project lists its namespaced
 * kinds; the child project has no destination in the Argo CD namespace (where an Application,
 * AppProject or repository Secret would widen the fence) nor in kube-system; the root project
 * permits Applications (and argocd-cm) only and no cluster-scoped kind; every Application the
 * root creates names the env's child project (nothing in an AppProject limits that); and every
 * object a local component renders is of a kind the child project lists.
 */
import { isPlainObject } from '../../config/merge.ts';
import { hit, type PolicyHit, type PolicyRule } from './types.ts';
import type { LocatedObject } from '../hydration/index.ts';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const ROOT_KINDS = new Set(['argoproj.io/Application']);

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const gk = (e: Record<string, unknown>): string => `${String(e.group ?? '')}/${String(e.kind ?? '')}`;
const groupOf = (apiVersion: unknown): string => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

function wildcards(o: LocatedObject, spec: Record<string, unknown>): PolicyHit[] {
  const out: PolicyHit[] = [];
  (Array.isArray(spec.sourceRepos) ? spec.sourceRepos : []).forEach((r, i) => String(r).includes('*') && out.push(hit(o, `/spec/sourceRepos/${i}`, `source repository ${JSON.stringify(r)} is a wildcard`)));
  list(spec.destinations).forEach((d, i) => (String(d.namespace).includes('*') || String(d.server ?? '').includes('*')) && out.push(hit(o, `/spec/destinations/${i}`, 'destination is a wildcard')));
  for (const l of ['namespaceResourceWhitelist', 'clusterResourceWhitelist']) {
    list(spec[l]).forEach((k, i) => (k.kind === '*' || k.group === '*') && out.push(hit(o, `/spec/${l}/${i}`, 'kinds are a wildcard')));
  }
  if (!Array.isArray(spec.namespaceResourceWhitelist)) out.push(hit(o, '/spec', 'no namespaceResourceWhitelist: Argo CD then permits every namespaced kind, AppProject and Application included'));
  list(spec.destinations).forEach((d, i) => d.namespace === 'kube-system' && out.push(hit(o, `/spec/destinations/${i}`, 'destination kube-system: configure the chart to stay in its own namespace instead')));
  return out;
}

export const SEC017: PolicyRule = {
  id: 'SEC017',
  title: 'appproject-fenced',
  doc: 'The AppProjects fence the env: no wildcards, namespaced kinds listed, no child destination in the Argo CD namespace or kube-system, the root project permits only Applications (a ConfigMap grant cannot be narrowed to argocd-cm), every child Application is in the child project, every local object is of a kind the child project lists.',
  waivable: false,
  check: (ctx) => {
    const cfg = ctx.plan.env.config;
    const childName = cfg.argocd.project;
    const rootName = `${childName}-root`;
    const out: PolicyHit[] = [];
    const projects = ctx.objects.filter((x) => x.obj.kind === 'AppProject');
    let child: Record<string, unknown> | undefined;
    for (const o of projects) {
      const spec = isPlainObject(o.obj.spec) ? o.obj.spec : {};
      out.push(...wildcards(o, spec));
      if (o.obj.metadata.name === childName) {
        child = spec;
        list(spec.destinations).forEach((d, i) => d.namespace === cfg.argocd.namespace && (d.server ?? IN_CLUSTER) === IN_CLUSTER && out.push(hit(o, `/spec/destinations/${i}`, `the child project may not reach the Argo CD namespace "${cfg.argocd.namespace}": anything merged into apps/ could create AppProjects, Applications or repository Secrets there`)));
      } else if (o.obj.metadata.name === rootName) {
        list(spec.namespaceResourceWhitelist).forEach((k, i) => !ROOT_KINDS.has(gk(k)) && out.push(hit(o, `/spec/namespaceResourceWhitelist/${i}`, `the root project permits only Applications, not ${gk(k)}`)));
        list(spec.clusterResourceWhitelist).forEach((_, i) => out.push(hit(o, `/spec/clusterResourceWhitelist/${i}`, 'the root project permits no cluster-scoped kind')));
      }
    }
    const appsDir = `generated/${ctx.plan.env.name}/apps/`;
    for (const o of ctx.objects.filter((x) => x.file.startsWith(appsDir) && x.obj.kind === 'Application')) {
      const project = isPlainObject(o.obj.spec) ? o.obj.spec.project : undefined;
      if (project !== childName) out.push(hit(o, '/spec/project', `child Application in project ${JSON.stringify(project)}, not the env's project "${childName}"`));
    }
    if (!child) return out;
    const allowed = new Set([...list(child.namespaceResourceWhitelist), ...list(child.clusterResourceWhitelist)].map(gk));
    const envDir = `generated/${ctx.plan.env.name}/`;
    // Everything but root.yaml and apps/ is a hydrated local component (located in base/ or generated/<env>/).
    for (const o of ctx.objects.filter((x) => !x.file.startsWith(appsDir) && x.file !== `${envDir}root.yaml`)) {
      const kind = `${groupOf(o.obj.apiVersion)}/${o.obj.kind}`;
      if (!allowed.has(kind)) out.push(hit(o, '/kind', `${kind} is not among the kinds of project "${childName}": add it to namespacedResources or clusterResources of its component in apps/`));
    }
    return out;
  },
};
