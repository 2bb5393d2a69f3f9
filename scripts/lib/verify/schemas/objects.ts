/**
 * Generic checks on a set of rendered objects, whatever their kind: apiVersion, kind and
 * metadata.name present; a namespace exactly where the kind is namespaced; no two objects with
 * the same identity (group, kind, namespace, name).
 */
import { groupOf, type Problem, type SourcedObject } from '../../findings.ts';

/** Built-in cluster-scoped kinds, as `<group>/<Kind>` (core group: `/<Kind>`). */
export const CLUSTER_SCOPED_CORE_KINDS: readonly string[] = [
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'policy/PodSecurityPolicy',
  'extensions/PodSecurityPolicy',
  'storagemigration.k8s.io/StorageVersionMigration',
  'internal.apiserver.k8s.io/StorageVersion',
];

/** Cluster-scoped custom kinds the platform uses, as `<group>/<Kind>`. */
export const DEFAULT_CLUSTER_SCOPED_CUSTOM_KINDS: readonly string[] = [
  'cert-manager.io/ClusterIssuer',
  'external-secrets.io/ClusterSecretStore',
  'gateway.networking.k8s.io/GatewayClass',
  'serving.kserve.io/ClusterServingRuntime',
];

export interface ObjectCheckOptions {
  /** `<group>/<Kind>` entries; replaces DEFAULT_CLUSTER_SCOPED_CUSTOM_KINDS when given. */
  clusterScopedCustomKinds?: readonly string[];
}

/** A problem of the object at `index` in the input array. */
export type ObjectProblem = Problem & { index: number };

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function place(o: SourcedObject): string {
  return o.line > 0 ? `${o.file}:${o.line}` : o.file;
}

/** Run the generic checks over a set of objects (one rendered environment, say). */
export function checkObjects(objects: readonly SourcedObject[], opts: ObjectCheckOptions = {}): ObjectProblem[] {
  const clusterScoped = new Set([
    ...CLUSTER_SCOPED_CORE_KINDS,
    ...(opts.clusterScopedCustomKinds ?? DEFAULT_CLUSTER_SCOPED_CUSTOM_KINDS),
  ]);
  const issues: ObjectProblem[] = [];
  const seen = new Map<string, SourcedObject>();
  objects.forEach((o, index) => {
    const obj = o.obj as unknown as Record<string, unknown>;
    const meta = obj.metadata;
    const add = (path: string, message: string): void => void issues.push({ index, path, message });
    if (!nonEmpty(obj.apiVersion)) add('/apiVersion', 'apiVersion is missing');
    if (!nonEmpty(obj.kind)) add('/kind', 'kind is missing');
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      add('/metadata', 'metadata is missing');
      return;
    }
    const { name, namespace } = meta as Record<string, unknown>;
    if (!nonEmpty(name)) add('/metadata/name', 'metadata.name is missing');
    if (!nonEmpty(obj.apiVersion) || !nonEmpty(obj.kind)) return;
    const group = groupOf(obj.apiVersion);
    const isClusterScoped = clusterScoped.has(`${group}/${obj.kind}`);
    if (isClusterScoped && namespace !== undefined) {
      add('/metadata/namespace', `${obj.kind} is cluster-scoped and must not have metadata.namespace`);
    } else if (!isClusterScoped && !nonEmpty(namespace)) {
      add('/metadata/namespace', `metadata.namespace is missing (${obj.kind} is namespaced)`);
    }
    if (!nonEmpty(name)) return;
    const ns = isClusterScoped ? '' : nonEmpty(namespace) ? namespace : '';
    const id = `${group}\u0000${obj.kind}\u0000${ns}\u0000${name}`;
    const first = seen.get(id);
    // root.yaml repeats the argocd-cm health keys the root syncs from apps/ (the admin applies
    // them before any root syncs): the same object twice, by design.
    const adminCopy = first && [first.file, o.file].some((f) => f.endsWith('/root.yaml')) && JSON.stringify(first.obj) === JSON.stringify(o.obj);
    if (first && !adminCopy) {
      const what = `${group ? `${group}/` : ''}${obj.kind} ${ns ? `${ns}/` : ''}${name}`;
      add('', `duplicate object ${what}: defined at ${place(first)} and at ${place(o)}`);
    } else {
      seen.set(id, o);
    }
  });
  return issues;
}
