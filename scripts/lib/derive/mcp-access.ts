/**
 * Who may call which MCP tool, from config (issue 13): per-tool authorization on the gateway's
 * internal listener and one MCPVirtualServer per agent. Data only; apps/mcp-gateway/overlays shapes
 * the AuthPolicy and the MCPVirtualServers.
 *
 * Why the internal listener: the router (ext_proc, first in the chain, BUFFERED) rewrites
 * :authority of a tools/call to the server's route host and clears the route cache, so Kuadrant
 * applies the policies of the `mcps` listener, never those of `mcp` (Kuadrant/mcp-gateway v0.9.0
 * internal/controller/mcpgatewayextension_controller.go:744-799, internal/mcp-router/
 * response_builder.go). The router sets x-mcp-servername = "<namespace>/<name>" of the
 * MCPServerRegistration and x-mcp-toolname = the upstream tool name without the prefix
 * (internal/routing/router_202511.go:82-165; docs/guides/authorization.md:56-117).
 */
import type { EnvConfig } from '../config/environment.ts';
import { agentsOf, benchmarkRunsOf } from '../config/components.ts';
import type { McpServerFact } from './mcp-servers.ts';

/** One caller's grants: per server, the tools it may call (null: all of them). */
export interface CallerGrant {
  subject: string;
  servers: { id: string; tools: string[] | null }[];
}

export interface VirtualServer {
  name: string;
  namespace: string;
  description: string;
  /** Prefixed tool names, as the gateway lists them (api/v1/types.go:259-275). */
  tools: string[];
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const SERVER = "request.headers['x-mcp-servername']";
const TOOL = "request.headers['x-mcp-toolname']";

function grantPredicate(g: CallerGrant): string {
  const servers = g.servers.map((s) =>
    s.tools === null ? `${SERVER} == ${q(s.id)}` : `(${SERVER} == ${q(s.id)} && ${TOOL} in [${s.tools.map(q).join(', ')}])`,
  );
  const what = servers.length ? servers.join(' || ') : 'false';
  return `(auth.identity.user.username == ${q(g.subject)} && (${what}))`;
}

export interface AccessInputs {
  servers: McpServerFact[];
  agentsNamespace: string;
  benchmarksNamespace: string;
  runnerServiceAccount: string;
  /** Namespaces whose ServiceAccounts the gateway accepts (talksTo mcp-gateway). */
  callerNamespaces: string[];
}

export function deriveMcpAccess(cfg: EnvConfig, i: AccessInputs) {
  const enabled = i.servers.filter((s) => s.enabled);
  const byName = new Map(enabled.map((s) => [s.name, s]));
  const id = (s: McpServerFact) => `${s.namespace}/${s.name}`;
  const grants: CallerGrant[] = [];
  const virtualServers: VirtualServer[] = [];
  for (const a of agentsOf(cfg).filter((x) => x.enabled !== false)) {
    const servers = (a.mcpServers ?? []).map((n) => byName.get(n)).filter((s): s is McpServerFact => s !== undefined);
    const tools = a.tools;
    grants.push({
      subject: `system:serviceaccount:${i.agentsNamespace}:${a.name}`,
      servers: servers.map((s) => ({ id: id(s), tools: tools?.[s.name] ?? null })),
    });
    if (tools && servers.length) {
      virtualServers.push({
        name: a.name,
        namespace: servers[0]!.namespace,
        description: `Tools of agent ${a.name}`,
        tools: servers.flatMap((s) => (tools[s.name] ?? []).map((t) => `${s.prefix}${t}`)),
      });
    }
  }
  const runServers = new Set(benchmarkRunsOf(cfg).filter((r) => r.enabled !== false).flatMap((r) => r.mcpServers ?? []));
  grants.push({
    subject: `system:serviceaccount:${i.benchmarksNamespace}:${i.runnerServiceAccount}`,
    servers: [...runServers].map((n) => byName.get(n)).filter((s): s is McpServerFact => s !== undefined).map((s) => ({ id: id(s), tools: null })),
  });
  // Callers with no per-tool entry (e.g. Llama Stack's tool groups): every tool, by namespace.
  const others = i.callerNamespaces.filter((n) => n !== i.agentsNamespace && n !== i.benchmarksNamespace);
  const clauses = [
    // People (SSO JWTs carry no TokenReview user): every tool, as on the client listener.
    '!has(auth.identity.user)',
    ...grants.map(grantPredicate),
    ...others.map((n) => `auth.identity.user.username.startsWith(${q(`system:serviceaccount:${n}:`)})`),
  ];
  return { grants, virtualServers, toolPredicate: clauses.join(' || ') };
}

export type McpAccess = ReturnType<typeof deriveMcpAccess>;
