/**
 * The cluster prerequisites of each model capability (data): checked by CON004
 * (verify/contracts/prerequisites.ts) and listed in generated/<env>/PREREQUISITES.md. Without them
 * KServe v0.20 accepts the LLMInferenceService and then reports it Degraded (ScalingCRDNotFound
 * for `scaling`: kserve/kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/workload.go:100-102).
 */
import type { Model } from './schema-types/index.ts';

/** A prerequisite: what it is, and how an installed one shows (a CRD group or an APIService name). */
export interface Prerequisite {
  what: string;
  crdGroup?: string;
  apiService?: string;
}

/** The prerequisites a capability may need, by the id `cluster.prerequisites` declares them with. */
export const PREREQUISITES: Record<string, Prerequisite> = {
  // KServe v0.20 spec.scaling always drives a WVA VariantAutoscaling (llmd.ai/v1alpha1).
  'wva-controller': { what: 'the llm-d Workload Variant Autoscaler controller and its llmd.ai CRDs (VariantAutoscaling)', crdGroup: 'llmd.ai' },
  // scaling.hpa: an HPA on the external metric wva_desired_replicas.
  'external-metrics': { what: 'an external metrics API (e.g. prometheus-adapter) serving wva_desired_replicas', apiService: 'v1beta1.external.metrics.k8s.io' },
  // scaling.keda: a KEDA ScaledObject (keda.sh), and the autoscaling-wva-controller-config key of inferenceservice-config.
  keda: { what: 'KEDA (keda.sh ScaledObject) and the autoscaling-wva-controller-config key of inferenceservice-config', crdGroup: 'keda.sh' },
  // multiNode: KServe renders a LeaderWorkerSet; the lws component installs it.
  lws: { what: 'the LeaderWorkerSet controller and its leaderworkerset.x-k8s.io CRD', crdGroup: 'leaderworkerset.x-k8s.io' },
};

/** Which prerequisites each capability of a model needs (data: a new capability is a new entry). */
export const CAPABILITIES: { capability: string; field: keyof Model; needs: (m: Model) => string[] }[] = [
  { capability: 'scaling', field: 'scaling', needs: (m) => (m.scaling ? ['wva-controller', m.scaling.keda ? 'keda' : 'external-metrics'] : []) },
  { capability: 'multiNode', field: 'multiNode', needs: (m) => (m.multiNode ? ['lws'] : []) },
];
