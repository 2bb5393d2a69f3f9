/**
 * Changes the KServe v0.20 webhook refuses on update: the parallelism *size* of an existing
 * LLMInferenceService (and of its prefill), where size is max(data / dataLocal, 1) for data
 * parallelism, else pipeline, else 1 (pkg/apis/serving/v1alpha2/llm_inference_service_types_func.go
 * GetSize; _validation.go validateImmutableParallelism). Tensor parallelism is not part of it:
 * a tensor change applies in place. Compare the previous render (generated/ in git) with the
 * new one; Argo CD's Replace=true is an update too and is refused the same way.
 */
import type { Finding, K8sObject, SourcedObject } from '../../findings.ts';

type Parallelism = { data?: number; dataLocal?: number; pipeline?: number; tensor?: number } | undefined;

/** GetSize of a ParallelismSpec (1 when it has neither data nor pipeline parallelism). */
export function parallelismSize(p: Parallelism): number {
  if (!p) return 1;
  if ((p.data ?? 0) > 0 || (p.dataLocal ?? 0) > 0) return Math.max(Math.floor(Math.max(p.data ?? 1, 1) / Math.max(p.dataLocal ?? 1, 1)), 1);
  if ((p.pipeline ?? 0) > 0) return p.pipeline!;
  return 1;
}

const isLlmisvc = (o: K8sObject): boolean => o.apiVersion.startsWith('serving.kserve.io/') && o.kind === 'LLMInferenceService';
const keyOf = (o: K8sObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const specOf = (o: K8sObject): Record<string, unknown> => (o.spec ?? {}) as Record<string, unknown>;

export function parallelismChanges(previous: readonly K8sObject[], next: readonly SourcedObject[]): Finding[] {
  const before = new Map(previous.filter(isLlmisvc).map((o) => [keyOf(o), o]));
  const out: Finding[] = [];
  for (const n of next) {
    if (!isLlmisvc(n.obj)) continue;
    const prev = before.get(keyOf(n.obj));
    if (!prev) continue;
    const pairs: [string, Parallelism, Parallelism][] = [['/spec/parallelism', specOf(prev).parallelism as Parallelism, specOf(n.obj).parallelism as Parallelism]];
    const pPre = specOf(prev).prefill as { parallelism?: Parallelism } | undefined;
    const nPre = specOf(n.obj).prefill as { parallelism?: Parallelism } | undefined;
    if (pPre && nPre) pairs.push(['/spec/prefill/parallelism', pPre.parallelism, nPre.parallelism]);
    for (const [path, a, b] of pairs) {
      const from = parallelismSize(a);
      const to = parallelismSize(b);
      if (from === to) continue;
      out.push({
        file: n.file,
        line: n.line,
        col: n.line > 0 ? 1 : 0,
        path,
        kind: n.obj.kind,
        name: n.obj.metadata.name ?? '?',
        message: `parallelism size changes from ${from} to ${to} (data/dataLocal or pipeline): the KServe v0.20 webhook refuses it on update; rename the model, or delete it before the sync (Argo CD Replace=true,Force=true deletes and recreates)`,
      });
    }
  }
  return out;
}
