/**
 * Request-path contracts (CON0xx), as data checked against each env's rendered objects: the
 * model ids each Llama Stack client sends (model-ids.ts), the tools each pinned MCP server serves
 * (mcp-tools.ts over the tool lists of the MCP server catalog entries), where every alert severity is routed (alert-routes.ts over
 * alertmanager-routing.ts), the cluster prerequisites of each capability (prerequisites.ts), and
 * request headers read by Kuadrant policy predicates (header-guards.ts).
 * docs/CONTRACTS.md describes each one.
 */
import type { Finding } from '../../findings.ts';
import { alertRouteFindings } from './alert-routes.ts';
import { headerGuardFindings } from './header-guards.ts';
import { mcpToolFindings } from './mcp-tools.ts';
import { modelIdFindings } from './model-ids.ts';
import { prerequisiteFindings } from './prerequisites.ts';
import type { ContractInput } from './types.ts';

export type { ContractInput } from './types.ts';
export { servedModels, MODEL_CLIENTS } from './model-ids.ts';
export { toolList } from './mcp-tools.ts';
export { severityRoutes, alertmanagerApp, helmValues, SEVERITIES } from './alert-routes.ts';
export { effectiveAlertmanagerConfig, receiversFor } from './alertmanager-routing.ts';
export { PREREQUISITES, CAPABILITIES } from './prerequisites.ts';
export { unguardedHeaders } from './header-guards.ts';

/** The contracts in CON order: one entry per request path. */
export const CONTRACTS: { id: string; title: string; run: (input: ContractInput) => Finding[] }[] = [
  { id: 'CON001', title: 'clients ask Llama Stack for registered model ids', run: modelIdFindings },
  { id: 'CON002', title: 'tool allow-lists name tools the pinned MCP server serves', run: mcpToolFindings },
  { id: 'CON003', title: 'every alert severity reaches a receiver or is discarded on purpose', run: alertRouteFindings },
  { id: 'CON004', title: 'capabilities have their cluster prerequisites', run: prerequisiteFindings },
  { id: 'CON005', title: 'policy predicates test a request header before reading it', run: headerGuardFindings },
];

export function contractFindings(input: ContractInput): Finding[] {
  return CONTRACTS.flatMap((c) => c.run(input));
}
