/**
 * CON004: every capability a model uses has its cluster prerequisites, each installed by a
 * component of this env or declared in `cluster.prerequisites`. Without them KServe v0.20 accepts
 * the LLMInferenceService and then reports it Degraded (ScalingCRDNotFound for `scaling`:
 * kserve/kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/workload.go:100-102; RBAC for llmd.ai variantautoscalings in controller.go:173), which no render can show.
 */
import type { Model } from '../../config/schema-types/index.ts';
import { modelsOf } from '../../config/components.ts';
import type { Finding } from '../../findings.ts';
import type { ContractInput } from './types.ts';

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

/** Is this prerequisite installed by a component of the env (its catalog CRDs or a hydrated object)? */
function installedBy(input: ContractInput, p: Prerequisite): string | undefined {
  if (p.crdGroup) {
    const app = input.plan.apps.find((a) => a.app.crds.installs.includes(p.crdGroup!));
    if (app) return app.name;
  }
  for (const o of [...(input.installed ?? []), ...input.objects.map((x) => x.obj)]) {
    if (p.crdGroup && o.kind === 'CustomResourceDefinition' && (o.spec as { group?: string } | undefined)?.group === p.crdGroup) return o.metadata.name;
    if (p.apiService && o.kind === 'APIService' && o.metadata.name === p.apiService) return o.metadata.name;
  }
  return undefined;
}

export function prerequisiteFindings(input: ContractInput): Finding[] {
  const env = input.plan.env;
  const declared = new Set<string>((env.config.cluster as { prerequisites?: string[] }).prerequisites ?? []);
  const out: Finding[] = [];
  const all = env.config.models ?? [];
  for (const m of modelsOf(env.config)) {
    const i = all.indexOf(m);
    for (const c of CAPABILITIES) {
      for (const id of c.needs(m)) {
        const p = PREREQUISITES[id]!;
        if (declared.has(id) || installedBy(input, p)) continue;
        const pointer = `/models/${i}/${String(c.field)}`;
        const at = env.locate(pointer, true);
        out.push({
          file: at.file, line: at.line, col: at.col, path: pointer, rule: 'CON004',
          message:
            `model "${m.name}" uses ${c.capability}, which needs ${p.what}: no component of this env installs it and cluster.prerequisites does not declare "${id}" ` +
            `(KServe would accept the model and then report it Degraded)`,
        });
      }
    }
  }
  return out;
}
