/**
 * CON004: every capability a model uses has its cluster prerequisites, each installed by a
 * component of this env or declared in `cluster.prerequisites`. Without them KServe v0.20 accepts
 * the LLMInferenceService and then reports it Degraded (ScalingCRDNotFound for `scaling`:
 * kserve/kserve@v0.20.0 pkg/controller/v1alpha2/llmisvc/workload.go:100-102; RBAC for llmd.ai variantautoscalings in controller.go:173), which no render can show.
 */
import { modelsOf } from '../../config/components.ts';
import type { Finding } from '../../findings.ts';
import type { ContractInput } from './types.ts';

// The data (what each capability needs) is read by the render stage too (PREREQUISITES.md).
import { CAPABILITIES, PREREQUISITES, type Prerequisite } from '../../config/capability-prerequisites.ts';
export { CAPABILITIES, PREREQUISITES, type Prerequisite };

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
