/**
 * The update rules over one env: each new object against the same object (group, kind,
 * namespace, name) at the base revision. A refusal is an error whose message starts with
 * "refused by the API server" and ends with the remedy. UPD009: the KServe webhook's
 * LLMInferenceService parallelism rule (parallelism-changes.ts).
 * A sync hook whose delete policy is BeforeHookCreation (argocd.argoproj.io/hook-delete-policy or
 * helm.sh/hook-delete-policy before-hook-creation) is deleted and created again on each sync, never
 * updated (argoproj/argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go, hook/hook.go
 * DeletePolicies): its changes are not checked. A hook without that policy explicitly set is
 * checked (whether it defaults to BeforeHookCreation depends on the gitops-engine version).
 */
import type { Finding, K8sObject, SourcedObject } from '../../findings.ts';
import { parallelismChanges } from './parallelism-changes.ts';
import { hookInfo } from '../simulation/index.ts';
import { updateRefusals } from './update-rules.ts';

const csv = (v: string | undefined): string[] => (v ?? '').split(',').map((t) => t.trim());

/** A hook Argo CD deletes before creating it again: an update rule never applies to it. */
export function recreatedHook(o: K8sObject): boolean {
  const a = o.metadata?.annotations ?? {};
  return hookInfo(o).hook && (csv(a['argocd.argoproj.io/hook-delete-policy']).includes('BeforeHookCreation') || csv(a['helm.sh/hook-delete-policy']).includes('before-hook-creation'));
}

export const UPD009 = 'UPD009';

export function updateFindings(head: readonly SourcedObject[], oldOf: (o: K8sObject) => K8sObject | undefined): Finding[] {
  const out: Finding[] = [];
  const olds: K8sObject[] = [];
  for (const o of head) {
    const old = oldOf(o.obj);
    if (!old || recreatedHook(o.obj)) continue;
    olds.push(old);
    const place = { file: o.file, line: o.line, col: o.line > 0 ? 1 : 0, kind: o.obj.kind, ...(o.obj.metadata?.name ? { name: o.obj.metadata.name } : {}) };
    for (const r of updateRefusals(old, o.obj)) {
      out.push({ ...place, path: r.path, rule: r.code, message: `refused by the API server: ${r.what}. Remedy: ${r.remedy}` });
    }
  }
  for (const f of parallelismChanges(olds, head)) {
    const [what, remedy] = f.message.split(/; (?=rename)/);
    out.push({ ...f, rule: UPD009, message: `refused by the API server (KServe webhook): ${what}. Remedy: ${remedy ?? 'rename the model'}` });
  }
  return out;
}
