/**
 * Names that collide in the output or on disk, each finding naming both sides (file and line):
 * - an env named like a device on Windows (`con`, `nul`, `aux`, `prn`, `com1`…`com9`,
 *   `lpt1`…`lpt9`, any case, with any extension): `environments/con.yaml` and `generated/con/`
 *   cannot be checked out there (Microsoft, "Naming Files, Paths, and Namespaces");
 * - an MCP server whose objects (`mcp-<name>`) take a name the platform already gives another
 *   object in the same namespace: the MCP gateway (`mcp-gateway`, also the broker) and the
 *   Deployment and Service Istio creates for it (`<gateway>-<class>` = `mcp-gateway-istio`,
 *   istio/istio@1.28.0:pilot/pkg/config/kube/gateway/deploymentcontroller.go);
 * - a LoRA adapter whose name another model already serves (as its name, servedName or an adapter):
 *   clients pick a model by that name, so one of the two is unreachable.
 */
import { finding, type EnvRule } from './types.ts';
import type { Finding } from '../../findings.ts';
import { windowsReserved } from '../reserved-names.ts';

export { windowsReserved };

/** Object names the MCP layer derives for itself (derive/mcp.ts MCP_GATEWAY_NAME, BROKER_NAME, `<gateway>-<class>`); a test keeps them equal. */
export const MCP_RESERVED_OBJECT_NAMES = ['mcp-gateway', 'mcp-gateway-istio'];

export const envNameNotReserved: EnvRule = (env) =>
  windowsReserved(env.name) ? [finding(env, '/name', `environment name "${env.name}" is a reserved device name on Windows: environments/${env.name}.yaml and generated/${env.name}/ could not be checked out there; choose another name`)] : [];

export const mcpServerNamesFree: EnvRule = (env) => {
  const out: Finding[] = [];
  (env.config.mcp?.servers ?? []).forEach((s, i) => {
    const objects = `mcp-${s.name}`;
    if (MCP_RESERVED_OBJECT_NAMES.includes(objects)) {
      out.push(finding(env, `/mcp/servers/${i}/name`, `MCP server "${s.name}" would name its objects ${objects}, which the platform already gives ${objects === 'mcp-gateway' ? 'the MCP gateway and its broker' : "the MCP gateway's Istio Deployment and Service (scripts/lib/derive/mcp.ts: Gateway mcp-gateway, class istio)"} in the same namespace; choose another name`));
    }
  });
  return out;
};

export const loraNamesUniqueAcrossModels: EnvRule = (env) => {
  const out: Finding[] = [];
  const served = new Map<string, string>();
  const where = (pointer: string): string => {
    const f = finding(env, pointer, '');
    return `${f.file}:${f.line}`;
  };
  (env.config.models ?? []).forEach((m, i) => {
    for (const n of new Set([m.name, m.servedName ?? m.name])) if (!served.has(n)) served.set(n, `/models/${i}/${n === m.name ? 'name' : 'servedName'}`);
  });
  (env.config.models ?? []).forEach((m, i) => {
    const own = new Set<string>();
    (m.lora?.adapters ?? []).forEach((a, j) => {
      const p = `/models/${i}/lora/adapters/${j}/name`;
      const first = served.get(a.name);
      if (first && !first.startsWith(`/models/${i}/`)) out.push(finding(env, p, `adapter "${a.name}" of model "${m.name}" is also served at ${where(first)} (${first}): clients choose by this name, so one of them is unreachable`));
      else if (!own.has(a.name) && !first) served.set(a.name, p);
      own.add(a.name);
    });
  });
  return out;
};

export const COLLISION_RULES: EnvRule[] = [envNameNotReserved, mcpServerNamesFree, loraNamesUniqueAcrossModels];
