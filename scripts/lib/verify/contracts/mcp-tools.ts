/**
 * CON002: every tool an allow-list names (agents[].tools, search.enabledTools) is one the pinned
 * MCP server serves with this env's settings (its toolsets, read-only mode), by the tool lists
 * each pinned image serves, which the server's catalog entry declares (apps/mcp-<type>.yaml
 * `mcpServer.tools`, config/mcp-facts.ts). The gateway's tool-auth policy and the agent's MCPVirtualServer pass only
 * listed names, so a name the server does not serve is a tool the agent can never call.
 */
import { serverTypes, type ServerToolList } from '../../config/mcp-facts.ts';
import type { McpServer as McpServerConfig } from '../../config/schema-types/index.ts';
import { settingsOf } from '../../derive/common.ts';
import type { Finding } from '../../findings.ts';
import type { ContractInput } from './types.ts';

/** One tool: its name, the toolset that serves it (servers with toolsets) and whether it only reads. */
export interface ToolSpec {
  name: string;
  toolset?: string;
  readOnly: boolean;
}

/** The tools of one image, one entry per tool (from the catalog's groups). */
export interface ServerTools extends Omit<ServerToolList, 'tools'> {
  tools: ToolSpec[];
}

/** A catalog tool list (groups of names) as one entry per tool. */
export function toolList(list: ServerToolList): ServerTools {
  const tools = list.tools.flatMap((g) => g.names.map((name) => ({ name, readOnly: g.readOnly, ...(g.toolset ? { toolset: g.toolset } : {}) })));
  return { ...list, tools };
}

/** The tools a server of this config serves at this image: by name, or why none can be known. */
export function servedTools(cfg: McpServerConfig, list: ServerTools): { names: Set<string>; all: Set<string>; why: (tool: string) => string } {
  const all = new Set(list.tools.map((t) => t.name));
  let tools = list.tools;
  const why: Record<string, string> = {};
  if (cfg.type === 'github') {
    const gh = cfg.github ?? { toolsets: [] };
    const picked = new Set(gh.toolsets.flatMap((t) => (t === 'default' ? (list.defaultToolsets ?? []) : [t])));
    if (!picked.has('all')) {
      for (const t of tools) if (t.toolset && !tools.some((x) => x.name === t.name && x.toolset && picked.has(x.toolset))) why[t.name] = `its toolset "${t.toolset}" is not in GITHUB_TOOLSETS (${gh.toolsets.join(', ')})`;
      tools = tools.filter((t) => !t.toolset || picked.has(t.toolset));
    }
  }
  const readOnly = cfg.type === 'github' ? cfg.github?.readOnly !== false : cfg.type === 'jira' ? cfg.jira?.readOnly !== false : false;
  if (readOnly) {
    for (const t of tools) if (!t.readOnly) why[t.name] ??= 'it writes, and the server runs read-only';
    tools = tools.filter((t) => t.readOnly);
  }
  return { names: new Set(tools.map((t) => t.name)), all, why: (tool) => why[tool] ?? 'no such tool' };
}

/** Verbs every tool name shares: a match on them says little. */
const COMMON = new Set(['get', 'list', 'read', 'write', 'search', 'create', 'update']);

/** The served name sharing the most of this name's words (nouns count more than verbs), to suggest. */
function suggest(tool: string, names: Set<string>): string | undefined {
  const words = new Set(tool.split('_'));
  let best: string | undefined;
  let score = 0;
  for (const n of names) {
    const s = n.split('_').filter((w) => words.has(w)).reduce((t, w) => t + (COMMON.has(w) ? 1 : w.length), 0);
    if (s > score) [best, score] = [n, s];
  }
  return score > 1 ? best : undefined;
}

export function mcpToolFindings(input: ContractInput): Finding[] {
  const { plan } = input;
  const cfg = plan.env.config;
  const servers = (cfg.mcp?.servers ?? []) as McpServerConfig[];
  const out: Finding[] = [];
  const at = (pointer: string, message: string): Finding => {
    const p = plan.env.locate(pointer, false);
    return { file: p.file, line: p.line, col: p.col, path: pointer, message, rule: 'CON002' };
  };
  const lists = new Map<string, { image: string; component: string; list?: ServerTools }>();
  const types = serverTypes([...plan.env.components.values()].map((c) => c.app));
  for (const s of servers) {
    const spec = types.get(s.type);
    if (s.enabled === false || !spec) continue;
    const image = String((settingsOf(plan, spec.component as never) as { image?: unknown }).image ?? '');
    const list = spec.tools?.[image];
    lists.set(s.name, { image, component: spec.component, ...(list ? { list: toolList(list) } : {}) });
  }
  const check = (server: string, tools: string[], pointer: string): void => {
    const s = servers.find((x) => x.name === server);
    const l = lists.get(server);
    if (!s || !l) return; // an unknown or disabled server is a config rule's finding
    if (!l.list) {
      out.push(at(pointer, `no tool list for ${l.image} (MCP server "${server}"): add the tools of this version to mcpServer.tools in apps/${l.component}/app.yaml, read at its tag`));
      return;
    }
    const served = servedTools(s, l.list);
    for (const [i, tool] of tools.entries()) {
      if (served.names.has(tool)) continue;
      const hint = served.all.has(tool) ? '' : (l.list.renamed?.[tool] ?? suggest(tool, served.names));
      out.push(at(`${pointer}/${i}`, `tool "${tool}" is not served by MCP server "${server}" (${l.image}): ${served.why(tool)}${hint ? `; did you mean "${hint}"?` : ''} (${l.list.source})`));
    }
  };
  for (const [i, a] of (cfg.agents ?? []).entries()) {
    if (a.enabled === false) continue;
    for (const [server, tools] of Object.entries(a.tools ?? {})) check(server, tools as string[], `/agents/${i}/tools/${server}`);
  }
  for (const [i, s] of servers.entries()) {
    if (s.type === 'search' && s.search?.enabledTools) check(s.name, s.search.enabledTools, `/mcp/servers/${i}/search/enabledTools`);
  }
  return out;
}
