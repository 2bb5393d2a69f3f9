/**
 * EXP004: what the llm-d routing sidecar of a P/D decode pod needs from the cluster. KServe v0.20
 * gives that pod its own ServiceAccount `<name>-kserve` with a Role to read InferencePools
 * (kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/workload_single_node.go
 * expectedSingleNodeMainDeployment: hasRoutingSidecar), and the sidecar (preset
 * kserve-config-llm-decode-template, ghcr.io/llm-d/llm-d-router-disagg-sidecar) watches the
 * InferencePool of `--pool-group` through the API server:
 *  - without a ServiceAccount token (automountServiceAccountToken: false) it cannot;
 *  - without the InferencePool CRD of that group among the platform's CRDs it finds no pool.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import { expandedFinding, podsOf } from './pod-rules.ts';
import { isMap, str, type ExpandedObject, type JsonMap } from './types.ts';

export const EXP004 = 'EXP004';
export const ROUTING_SIDECAR = 'llm-d-routing-sidecar';

/** The routing sidecar of a pod (a native sidecar: an init container), if any. */
export function routingSidecar(spec: JsonMap): JsonMap | undefined {
  return (Array.isArray(spec.initContainers) ? (spec.initContainers as JsonMap[]) : []).find((c) => c.name === ROUTING_SIDECAR);
}

export function routingSidecarFindings(expanded: ExpandedObject[], objects: K8sObject[]): Finding[] {
  const crds = new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => str(o.metadata?.name)));
  const out: Finding[] = [];
  for (const e of expanded) {
    for (const pod of podsOf(e.obj)) {
      const side = routingSidecar(pod.spec);
      if (!side) continue;
      if (pod.spec.automountServiceAccountToken === false) {
        out.push(expandedFinding(EXP004, e, `container "${ROUTING_SIDECAR}" watches the InferencePool through the API server, but the pod mounts no ServiceAccount token (automountServiceAccountToken: false): P/D requests are never routed`));
      }
      const args = [...(Array.isArray(side.command) ? side.command : []), ...(Array.isArray(side.args) ? side.args : [])].map(String);
      const group = args.find((a) => a.startsWith('--pool-group='))?.slice('--pool-group='.length) ?? 'inference.networking.k8s.io';
      if (crds.size && !crds.has(`inferencepools.${group}`)) {
        out.push(expandedFinding(EXP004, e, `container "${ROUTING_SIDECAR}" reads InferencePools of group ${group} (--pool-group), but no CustomResourceDefinition inferencepools.${group} is installed`));
      }
    }
  }
  return out;
}
