/**
 * What the operators create: every custom resource whose operator makes pods is expanded into
 * the objects the operator will create at its pinned version (kserve.ts, llama-stack.ts,
 * istio-gateway.ts, cnpg-cluster.ts, mcp-gateway.ts, kuadrant.ts), and
 * those pods go through the pod rules (pod-rules.ts) and the traffic rules (flows/).
 * The LLMInferenceService presets come from the hydrated kserve-runtime-configs chart: without
 * them (the chart not hydrated, HYD001) the models are not expanded; likewise istiod's values
 * (its hydrated istio-sidecar-injector ConfigMap) for the Gateways.
 */
import type { Finding, K8sObject } from '../../findings.ts';
import { expandLLMInferenceService, presetsFrom } from './kserve.ts';
import { defaultStorageConfig, storageConfigFrom } from './kserve-storage.ts';
import { expandLlamaStackDistribution } from './llama-stack.ts';
import { expandIstioGateway, istiodValuesFrom } from './istio-gateway.ts';
import { cnpgOperatorImageFrom, expandCnpgCluster } from './cnpg-cluster.ts';
import { brokerImageFrom, expandMcpGatewayExtension } from './mcp-gateway.ts';
import { expandKuadrant } from './kuadrant.ts';
import { EXP001, EXP002, expandedFinding, podsOf, podSecurityFindings, referenceFindings } from './pod-rules.ts';
import { FLOW003, probeProblems } from './probes.ts';
import { EXP004, routingSidecarFindings } from './kserve-prereqs.ts';
import { flowFindings, FLOW001, FLOW002, type DeclaredFlows } from './flows.ts';
import { componentFlowFindings } from './component-flows.ts';
import type { Expansion, ExpandedObject, SourceObject } from './types.ts';

export const EXP003 = 'EXP003';
export { EXP001, EXP002, EXP004, FLOW001, FLOW002, FLOW003 };
export type { DeclaredFlows } from './flows.ts';
export { connectionAllowed } from './network-policy.ts';
export { probeProblems } from './probes.ts';
export type { ExpandedObject, Expansion, SourceObject } from './types.ts';
export { podsOf } from './pod-rules.ts';
export { strategicMerge } from './strategic-merge.ts';
export { combinedSpec, presetNames, presetsFrom, expandLLMInferenceService, KSERVE } from './kserve.ts';
export { attachModelArtifacts, storageInitializerContainer, extractStorageInitializer, defaultStorageConfig, STORAGE_INITIALIZER_ROLE } from './kserve-storage.ts';
export { expandLlamaStackDistribution, LLAMA_STACK_OPERATOR } from './llama-stack.ts';
export { expandIstioGateway, istiodValuesFrom, ISTIO } from './istio-gateway.ts';
export { expandCnpgCluster, cnpgOperatorImageFrom, CNPG } from './cnpg-cluster.ts';
export { expandMcpGatewayExtension, brokerImageFrom, MCP_GATEWAY } from './mcp-gateway.ts';
export { expandKuadrant, KUADRANT } from './kuadrant.ts';

/**
 * Every operator-created object of one env's objects (rendered, charts and git sources). `images`:
 * the catalog's images by role (config/family-versions.ts catalogImages), the operators' compiled-in
 * defaults where their config names none (KServe's storage-initializer).
 */
export function expandOperators(objects: SourceObject[], images: Record<string, string> = {}): Expansion {
  const all = objects.map((o) => o.obj);
  const presets = presetsFrom(all);
  const storage = storageConfigFrom(all as unknown as Record<string, unknown>[], defaultStorageConfig(images));
  const istiod = istiodValuesFrom(all);
  const cnpgImage = cnpgOperatorImageFrom(all);
  const brokerImage = brokerImageFrom(all);
  const out: Expansion = { objects: [], problems: [], skipped: [] };
  for (const o of objects) {
    let e: Expansion | undefined;
    if ((o.obj.kind === 'LLMInferenceService' && !presets.size) || (o.obj.kind === 'Gateway' && !istiod)) out.skipped!.push(o);
    if (o.obj.kind === 'LLMInferenceService' && presets.size) e = expandLLMInferenceService(o, presets, storage);
    else if (o.obj.kind === 'LlamaStackDistribution') e = expandLlamaStackDistribution(o);
    else if (o.obj.kind === 'Gateway' && o.obj.apiVersion.startsWith('gateway.networking.k8s.io/') && istiod) e = expandIstioGateway(o, istiod);
    else if (o.obj.kind === 'Cluster' && o.obj.apiVersion === 'postgresql.cnpg.io/v1') e = expandCnpgCluster(o, cnpgImage);
    else if (o.obj.kind === 'MCPGatewayExtension') e = expandMcpGatewayExtension(o, all, brokerImage);
    else if (o.obj.kind === 'Kuadrant' && o.obj.apiVersion.startsWith('kuadrant.io/')) e = expandKuadrant(o);
    if (!e) continue;
    out.objects.push(...e.objects);
    out.problems.push(...e.problems);
  }
  return out;
}

export interface ExpansionResult {
  expanded: ExpandedObject[];
  findings: Finding[];
}

/** The expansion of one env and the findings of the pod and traffic rules over it (flows and images: the catalog's declarations). */
export function expansionFindings(objects: SourceObject[], namespaces: K8sObject[], flows?: DeclaredFlows, images: Record<string, string> = {}): ExpansionResult {
  const { objects: expanded, problems } = expandOperators(objects, images);
  const findings: Finding[] = problems.map((p) => ({
    file: p.from.file,
    line: p.from.line,
    col: 0,
    path: '',
    rule: EXP003,
    kind: p.from.obj.kind,
    name: p.from.obj.metadata?.name ?? '',
    message: `${p.from.obj.kind} ${p.from.obj.metadata?.namespace ?? ''}/${p.from.obj.metadata?.name ?? ''}: not expanded: ${p.message}`,
  }));
  findings.push(...podSecurityFindings(expanded, namespaces));
  findings.push(...referenceFindings(expanded, objects.map((o) => o.obj)));
  findings.push(...probeFindings(objects, expanded));
  findings.push(...routingSidecarFindings(expanded, objects.map((o) => o.obj)));
  if (flows) findings.push(...flowFindings(objects, expanded, namespaces, flows), ...componentFlowFindings(objects, expanded, namespaces, flows.talksTo));
  return { expanded, findings };
}

/** FLOW003 over the pods the project renders (generated/) and the pods operators create from them. */
export function probeFindings(objects: SourceObject[], expanded: ExpandedObject[]): Finding[] {
  const out: Finding[] = [];
  for (const o of objects) {
    if (!o.file.startsWith('generated/')) continue;
    for (const pod of podsOf(o.obj)) {
      for (const p of probeProblems(pod.spec)) {
        out.push({ file: o.file, line: o.line, col: 0, path: '', rule: FLOW003, kind: o.obj.kind, name: o.obj.metadata?.name ?? '', message: `${o.obj.kind} ${o.obj.metadata?.namespace ?? ''}/${o.obj.metadata?.name ?? ''}: ${p.message}` });
      }
    }
  }
  for (const e of expanded) for (const pod of podsOf(e.obj)) for (const p of probeProblems(pod.spec)) out.push(expandedFinding(FLOW003, e, `${pod.role ? `${pod.role} pods: ` : ''}${p.message}`));
  return out;
}
