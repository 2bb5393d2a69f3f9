/**
 * Input and output shapes of the whole-platform rules: hydrated objects attributed to the Argo CD
 * Application that renders them, the AppProjects and Namespaces they are checked against.
 * The only file here that imports the project's Finding type (it may move).
 */
import { groupOf, type Finding, type K8sObject } from '../../findings.ts';

export type { Finding, K8sObject };

/** One hydrated object and where it was read from. */
export interface AppObject {
  obj: K8sObject;
  /** Project-relative file; '' when unknown. */
  file: string;
  /** 1-based line of the document start; 0 when unknown. */
  line: number;
}

/** Everything one Argo CD Application renders. */
export interface AppObjects {
  /** Application name. */
  app: string;
  /** spec.project of the Application ('' means Argo CD's `default`). */
  project: string;
  destination: {
    server: string;
    namespace: string;
    /**
     * Cluster name as Argo CD knows it. Optional: when absent and the server is
     * https://kubernetes.default.svc, Argo CD's built-in name `in-cluster` is used.
     */
    name?: string;
  };
  objects: AppObject[];
}

/** `true` cluster-scoped, `false` namespaced, `undefined` unknown to the cluster. */
export type ScopeOf = (group: string, kind: string) => boolean | undefined;

export interface PlatformInput {
  apps: AppObjects[];
  /** argoproj.io AppProject objects. */
  projects: K8sObject[];
  /** v1 Namespace objects, with their pod-security.kubernetes.io labels. */
  namespaces: K8sObject[];
  clusterScopedKinds: ScopeOf;
}

/** A rule over the whole platform. */
export interface PlatformRule {
  id: string;
  title: string;
  /** One line: what the rule demands. */
  doc: string;
  check(input: PlatformInput): Finding[];
}

/** `group/Kind` with `core` for the core group. */
export function groupKindLabel(group: string, kind: string): string {
  return `${group === '' ? 'core' : group}/${kind}`;
}

/** `group/Kind namespace/name` (or `group/Kind name` when cluster-scoped). */
export function objectLabel(group: string, kind: string, namespace: string, name: string): string {
  return `${groupKindLabel(group, kind)} ${namespace ? `${namespace}/` : ''}${name}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field or ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function makeFinding(
  rule: string,
  at: { file: string; line: number },
  obj: { kind?: string; name?: string } | undefined,
  path: string,
  message: string,
): Finding {
  const f: Finding = { file: at.file, line: at.line, col: 0, path, message, rule };
  if (obj?.kind) f.kind = obj.kind;
  if (obj?.name !== undefined) f.name = obj.name;
  return f;
}

/** Who an object is, as the rules name it: its group, kind, name, and namespace ('' when it has none). */
export interface ObjectId {
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

/** The object's own group, kind, name and `metadata.namespace` (callers default the namespace as Argo CD does). */
export function objectId(obj: K8sObject): ObjectId {
  return { group: groupOf(obj.apiVersion), kind: str(obj.kind), name: str(obj.metadata?.name), namespace: str(obj.metadata?.namespace) };
}

/** A finding of `rule` about one object `app` renders: `app "<app>": <group/Kind namespace/name>: <what>`, at the object. */
export function appObjectFinding(rule: string, app: string, at: AppObject, id: ObjectId, path: string, what: string): Finding {
  return makeFinding(rule, at, id, path, `app "${app}": ${objectLabel(id.group, id.kind, id.namespace, id.name)}: ${what}`);
}
