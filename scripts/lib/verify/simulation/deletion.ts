/**
 * Delete hooks: what Argo CD v3.3.14 does with `helm.sh/hook: pre-delete|post-delete` and
 * `argocd.argoproj.io/hook: PreDelete|PostDelete` when an Application is deleted (a component
 * disabled, an env torn down). Rules (argoproj/argo-cd@v3.3.14):
 * - a sync never applies them: controller/state.go `partitionTargetObjsForSync` drops a delete
 *   hook unless it is also a PreSync/Sync/PostSync/SyncFail hook (controller/hook.go
 *   `hasGitOpsEngineSyncPhaseHook`), and marks the Application: controller/appcontroller.go adds
 *   the pre-/post-delete finalizers when the compare finds such hooks;
 * - on deletion, controller/appcontroller.go `finalizeApplicationDeletion` runs the PreDelete hooks
 *   before deleting anything and the PostDelete hooks after every resource is gone;
 *   controller/hook.go `executeHooks` creates every hook of the type at once (no wave or weight
 *   order, unlike Helm), waits while one is Progressing, deletes and recreates a Degraded one,
 *   and the Application stays (its finalizer) until all are Healthy; `cleanupHooks` then deletes
 *   them per delete policy (none given: BeforeHookCreation, gitops-engine/pkg/sync/hook/delete_policy.go).
 * - After a sync, a sync-phase hook whose delete policy is HookSucceeded is gone (Helm's
 *   `hook-succeeded`): a delete hook cannot use it.
 * A delete hook whose pod needs an object that is gone when it runs (and is not a hook of the same
 * type, created with it) never gets a pod (or never
 * starts): the Application's deletion never finishes (SIM011). Hooks of one type with different
 * weights run at once (SIM012, a warning: Helm would order them).
 */
import type { Finding } from '../../findings.ts';
import type { SimObject } from './app-sync.ts';
import type { EnvInput } from './bootstrap.ts';
import { refKey } from './cluster.ts';
import { embeddedPodSpecs, hookInfo, objKey, podRefs, podSpecOf, producedBy, syncOptions, waveOf } from './objects.ts';

const HOOK_RULE = 'argoproj/argo-cd@v3.3.14:controller/hook.go executeHooks';
const DELETE_RULE = 'argoproj/argo-cd@v3.3.14:controller/appcontroller.go finalizeApplicationDeletion';

type DeletePhase = 'PreDelete' | 'PostDelete';

/** Helm's and Argo CD's delete policies of a hook (gitops-engine hook/delete_policy.go; default BeforeHookCreation). */
function deletedAfterSuccess(o: SimObject): boolean {
  const csv = (k: string): string[] => (o.obj.metadata.annotations?.[k] ?? '').split(',').map((s) => s.trim());
  return csv('argocd.argoproj.io/hook-delete-policy').includes('HookSucceeded') || csv('helm.sh/hook-delete-policy').includes('hook-succeeded');
}

/** Keys of what an Application leaves after its sync (`afterDelete`: after its own deletion, only Delete=false objects). */
function liveKeys(objects: SimObject[], ns: string, afterDelete: boolean): Set<string> {
  const keys = new Set<string>();
  for (const o of objects) {
    const h = hookInfo(o.obj);
    if (h.deleteHooks.length && !h.phases.length) continue;
    if (h.hook && deletedAfterSuccess(o)) continue;
    const keep = syncOptions(o.obj).has('Delete=false') || o.obj.metadata.annotations?.['helm.sh/resource-policy'] === 'keep';
    if (afterDelete && !keep) continue;
    const at = o.obj.metadata.namespace ?? ns;
    keys.add(objKey(o.obj, at));
    for (const p of producedBy(o.obj, at)) keys.add(p.key);
  }
  return keys;
}

/** Findings and timeline lines for the delete hooks of an env's hydrated children. */
export function deletionFindings(input: EnvInput): { findings: Finding[]; timeline: string[] } {
  const findings: Finding[] = [];
  const timeline: string[] = [];
  for (const [app, child] of input.children) {
    const objects = child.objects ?? [];
    const made = new Set<string>();
    for (const o of objects) {
      const at = o.obj.metadata.namespace ?? child.namespace;
      made.add(objKey(o.obj, at));
      for (const p of producedBy(o.obj, at)) made.add(p.key);
    }
    for (const phase of ['PreDelete', 'PostDelete'] as DeletePhase[]) {
      const hooks = objects.filter((o) => hookInfo(o.obj).deleteHooks.includes(phase));
      if (!hooks.length) continue;
      const live = liveKeys(objects, child.namespace, phase === 'PostDelete');
      // The hooks of the phase are created together (a chart's prune Job and its ServiceAccount hook).
      for (const h of hooks) live.add(objKey(h.obj, h.obj.metadata.namespace ?? child.namespace));
      const weights = [...new Set(hooks.map((h) => waveOf(h.obj)))].sort((a, b) => a - b);
      const when = phase === 'PreDelete' ? 'before any of its resources is deleted' : 'after all of its resources are deleted';
      timeline.push(`  ${app} on deletion: ${phase} ${hooks.map((h) => `${h.obj.kind}/${h.obj.metadata.name}`).join(', ')} created at once ${when}; the Application stays until they complete`);
      if (weights.length > 1) {
        const h = hooks.find((x) => waveOf(x.obj) === weights[weights.length - 1])!;
        findings.push({
          file: h.file, line: h.line, col: 0, path: '', kind: h.obj.kind, name: h.obj.metadata.name, rule: 'SIM012', severity: 'warning',
          message: `${input.env}: ${app}'s ${phase} hooks have weights ${weights.join(', ')}, but Argo CD creates them all at once: ${h.obj.kind}/${h.obj.metadata.name} does not wait for the lower weights as it would under Helm [${HOOK_RULE}]`,
        });
      }
      for (const h of hooks) {
        const ns = h.obj.metadata.namespace ?? child.namespace;
        const specs = [podSpecOf(h.obj), ...embeddedPodSpecs(h.obj)].filter((s): s is NonNullable<typeof s> => s !== undefined);
        for (const ref of specs.flatMap(podRefs)) {
          const key = refKey(ref, ns);
          if (!made.has(key) || live.has(key)) continue;
          const gone = phase === 'PostDelete' ? 'deleted with the Application before PostDelete hooks run' : 'a sync hook deleted after it succeeded (hook-succeeded)';
          findings.push({
            file: h.file, line: h.line, col: 0, path: '', kind: h.obj.kind, name: h.obj.metadata.name, rule: 'SIM011',
            message: `${input.env}: deleting ${app} never finishes: its ${phase} hook ${h.obj.kind}/${h.obj.metadata.name} needs ${ref.kind} ${ref.name} (${ref.via}), ${gone}, so it ${ref.blocks === 'create' ? 'gets no pod' : 'never starts'} and the Application keeps its ${phase === 'PreDelete' ? 'pre' : 'post'}-delete finalizer [${DELETE_RULE}; ${HOOK_RULE}]`,
          });
        }
      }
    }
  }
  return { findings, timeline };
}
