/**
 * PLAT001 project admission: Argo CD syncs an Application only if its AppProject permits the
 * destination (util/argo/argo.go ValidatePermissions) and every object it renders
 * (controller/sync.go validateSyncPermissions: IsGroupKindNamePermitted, then for namespaced
 * kinds IsDestinationPermitted on the object's namespace). A namespaced object without a
 * namespace gets the Application's destination namespace first (controller/state.go
 * DeduplicateTargetObjects); a kind the cluster does not know fails the sync.
 */
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, destinationPermitted, groupKindNamePermitted, readProjectSpec, type ProjectSpec } from './argo-project.ts';
import { appObjectFinding, groupKindLabel, makeFinding, objectId, type AppObjects, type Finding, type ObjectId, type PlatformInput } from './types.ts';

export const PLAT001 = 'PLAT001';

/** Argo CD's project name for an Application with no spec.project (types.go GetProject). */
export const DEFAULT_PROJECT = 'default';

function clusterOf(app: AppObjects): { server: string; name: string } {
  const name = app.destination.name ?? (app.destination.server === IN_CLUSTER_SERVER ? IN_CLUSTER_NAME : '');
  return { server: app.destination.server, name };
}

const destinationsText = (p: ProjectSpec): string =>
  p.destinations.length === 0 ? 'none' : p.destinations.map((d) => `${d.server || d.name || '""'} ${JSON.stringify(d.namespace)}`).join(', ');

function checkApp(app: AppObjects, projects: Map<string, ProjectSpec>, input: PlatformInput): Finding[] {
  const out: Finding[] = [];
  const first = app.objects[0] ?? { file: '', line: 0 };
  const projectName = app.project || DEFAULT_PROJECT;
  const project = projects.get(projectName);
  if (!project) {
    out.push(makeFinding(PLAT001, first, undefined, '', `app "${app.app}": project "${projectName}" is not among the AppProjects, so Argo CD refuses the Application`));
    return out;
  }
  const cluster = clusterOf(app);
  if (!destinationPermitted(project, cluster, app.destination.namespace)) {
    out.push(
      makeFinding(
        PLAT001,
        first,
        undefined,
        '',
        `app "${app.app}": destination server "${cluster.server}" namespace "${app.destination.namespace}" matches none of the destinations of project "${project.name}" (${destinationsText(project)})`,
      ),
    );
  }
  for (const o of app.objects) {
    const own = objectId(o.obj);
    const { group, kind, name } = own;
    const scope = input.clusterScopedKinds(group, kind);
    const emit = (id: ObjectId, path: string, what: string): void => {
      out.push(appObjectFinding(PLAT001, app.app, o, id, path, what));
    };
    if (scope === undefined) {
      emit(own, '/kind', `the cluster knows no kind ${groupKindLabel(group, kind)} (not built in, no CustomResourceDefinition among the hydrated objects), so Argo CD cannot verify its permissions and fails the sync`);
      continue;
    }
    const namespaced = !scope;
    const namespace = namespaced ? own.namespace || app.destination.namespace : '';
    const id = { ...own, namespace };
    const verdict = groupKindNamePermitted(project, group, kind, name, namespaced);
    if (!verdict.permitted) {
      emit(id, '/kind', `${namespaced ? 'namespaced' : 'cluster-scoped'} kind ${groupKindLabel(group, kind)} is not permitted in project "${project.name}": ${verdict.cause}`);
    }
    if (namespaced && !destinationPermitted(project, cluster, namespace)) {
      emit(id, '/metadata/namespace', `namespace "${namespace}" on server "${cluster.server}" is not permitted in project "${project.name}" (destinations: ${destinationsText(project)})`);
    }
  }
  return out;
}

export function checkProjectAdmission(input: PlatformInput): Finding[] {
  const projects = new Map<string, ProjectSpec>();
  for (const p of input.projects) {
    const spec = readProjectSpec(p);
    projects.set(spec.name, spec);
  }
  return input.apps.flatMap((app) => checkApp(app, projects, input));
}
