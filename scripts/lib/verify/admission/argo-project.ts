/**
 * Argo CD v3.3 AppProject permission checks, ported function by function from
 * pkg/apis/application/v1alpha1/app_project_types.go (IsGroupKindNamePermitted, globMatch,
 * IsDestinationPermitted, isDestinationMatched, isDenyPattern) and types.go (isResourceInList,
 * isNamedResourceInList), over an AppProject read as plain JSON.
 */
import { goFilepathMatch } from './go-filepath-match.ts';
import { gobwasGlobMatch } from './gobwas-glob.ts';
import { isRecord, str, type K8sObject } from './types.ts';

export interface GroupKindEntry {
  group: string;
  kind: string;
  /** Only in cluster lists (ClusterResourceRestrictionItem.name); '' matches every name. */
  name: string;
}

export interface ProjectDestination {
  server: string;
  name: string;
  namespace: string;
}

/** The parts of an AppProject spec the permission checks read. */
export interface ProjectSpec {
  name: string;
  /** undefined = field absent or null (Go nil); [] = present and empty. */
  namespaceResourceWhitelist: GroupKindEntry[] | undefined;
  namespaceResourceBlacklist: GroupKindEntry[];
  clusterResourceWhitelist: GroupKindEntry[];
  clusterResourceBlacklist: GroupKindEntry[];
  destinations: ProjectDestination[];
  permitOnlyProjectScopedClusters: boolean;
}

function entries(v: unknown): GroupKindEntry[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isRecord).map((e) => ({ group: str(e.group), kind: str(e.kind), name: str(e.name) }));
}

export function readProjectSpec(project: K8sObject): ProjectSpec {
  const spec = isRecord(project.spec) ? project.spec : {};
  return {
    name: str(project.metadata?.name),
    namespaceResourceWhitelist: entries(spec.namespaceResourceWhitelist),
    namespaceResourceBlacklist: entries(spec.namespaceResourceBlacklist) ?? [],
    clusterResourceWhitelist: entries(spec.clusterResourceWhitelist) ?? [],
    clusterResourceBlacklist: entries(spec.clusterResourceBlacklist) ?? [],
    destinations: (Array.isArray(spec.destinations) ? spec.destinations : [])
      .filter(isRecord)
      .map((d) => ({ server: str(d.server), name: str(d.name), namespace: str(d.namespace) })),
    permitOnlyProjectScopedClusters: spec.permitOnlyProjectScopedClusters === true,
  };
}

/** types.go isResourceInList: filepath.Match on kind, then group; the first entry that matches. */
export function resourceInList(group: string, kind: string, list: GroupKindEntry[]): GroupKindEntry | undefined {
  return list.find((item) => goFilepathMatch(item.kind, kind) && goFilepathMatch(item.group, group));
}

/** types.go isNamedResourceInList: as above, and an entry with a name must also match the name. */
export function namedResourceInList(group: string, kind: string, name: string, list: GroupKindEntry[]): GroupKindEntry | undefined {
  return list.find(
    (item) => goFilepathMatch(item.kind, kind) && goFilepathMatch(item.group, group) && (item.name === '' || goFilepathMatch(item.name, name)),
  );
}

export interface KindVerdict {
  permitted: boolean;
  /** Why not, in words (which list, which entry). */
  cause: string;
}

const entryText = (e: GroupKindEntry): string => `{group: ${JSON.stringify(e.group)}, kind: ${JSON.stringify(e.kind)}${e.name ? `, name: ${JSON.stringify(e.name)}` : ''}}`;

/** app_project_types.go IsGroupKindNamePermitted, with the reason when it says no. */
export function groupKindNamePermitted(p: ProjectSpec, group: string, kind: string, name: string, namespaced: boolean): KindVerdict {
  if (namespaced) {
    const wl = p.namespaceResourceWhitelist;
    // isWhiteListed = whitelist == nil || len(whitelist) != 0 && isResourceInList(...)
    const white = wl === undefined || (wl.length !== 0 && resourceInList(group, kind, wl) !== undefined);
    const black = p.namespaceResourceBlacklist.length !== 0 ? resourceInList(group, kind, p.namespaceResourceBlacklist) : undefined;
    if (!white) {
      const why = wl!.length === 0 ? 'namespaceResourceWhitelist is empty (permits no namespaced kind)' : 'it matches no namespaceResourceWhitelist entry';
      return { permitted: false, cause: why };
    }
    if (black) return { permitted: false, cause: `namespaceResourceBlacklist entry ${entryText(black)} matches it` };
    return { permitted: true, cause: '' };
  }
  const cw = p.clusterResourceWhitelist;
  const white = cw.length !== 0 && namedResourceInList(group, kind, name, cw) !== undefined;
  const black = p.clusterResourceBlacklist.length !== 0 ? namedResourceInList(group, kind, name, p.clusterResourceBlacklist) : undefined;
  if (!white) {
    const why = cw.length === 0 ? 'clusterResourceWhitelist is empty (permits no cluster-scoped kind)' : 'it matches no clusterResourceWhitelist entry';
    return { permitted: false, cause: why };
  }
  if (black) return { permitted: false, cause: `clusterResourceBlacklist entry ${entryText(black)} matches it` };
  return { permitted: true, cause: '' };
}

const isDenyPattern = (pattern: string): boolean => pattern.startsWith('!');

/** app_project_types.go globMatch (util/glob.Match, no separators). */
export function argoGlobMatch(pattern: string, val: string, allowNegation: boolean): boolean {
  if (allowNegation && isDenyPattern(pattern)) return !gobwasGlobMatch(pattern.slice(1), val);
  if (pattern === '*') return true;
  return gobwasGlobMatch(pattern, val);
}

/** app_project_types.go isDestinationMatched: any entry matches, and no deny entry vetoes. */
export function destinationMatched(p: ProjectSpec, dst: ProjectDestination): boolean {
  let anyDestinationMatched = false;
  for (const item of p.destinations) {
    const dstNameMatched = dst.name !== '' && argoGlobMatch(item.name, dst.name, true);
    const dstServerMatched = dst.server !== '' && argoGlobMatch(item.server, dst.server, true);
    const dstNamespaceMatched = argoGlobMatch(item.namespace, dst.namespace, true);
    const matched = (dstServerMatched || dstNameMatched) && dstNamespaceMatched;
    if (matched) {
      anyDestinationMatched = true;
      // Go: `(!nameM && deny(name)) || (!serverM && deny(server)) && nsM` (&& binds tighter).
    } else if ((!dstNameMatched && isDenyPattern(item.name)) || (!dstServerMatched && isDenyPattern(item.server) && dstNamespaceMatched)) {
      return false;
    } else if (!dstNamespaceMatched && isDenyPattern(item.namespace) && dstServerMatched) {
      return false;
    }
  }
  return anyDestinationMatched;
}

/** Argo CD's name for the cluster at https://kubernetes.default.svc (application_defaults.go). */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';

/**
 * app_project_types.go IsDestinationPermitted for a resolved cluster. A project with
 * permitOnlyProjectScopedClusters also needs a project-scoped cluster Secret, which this
 * static check cannot see: that case is reported by the caller, not decided here.
 */
export function destinationPermitted(p: ProjectSpec, cluster: { server: string; name: string }, namespace: string): boolean {
  return destinationMatched(p, { server: cluster.server, name: cluster.name, namespace });
}
