/**
 * The MCP server family as data: each catalog entry with `mcpServer` (apps/mcp-<type>/app.yaml) runs
 * the servers of `mcp.servers` with that type and declares, once, the server's port, endpoint,
 * health path and the tools of each pinned image. Everything else derives from it: the server
 * types an environment may name (rules/mcp.ts), the ports of the gateway's talksTo edges (below),
 * the servers' render data (derive/mcp.ts) and the tool contract (verify/contracts/mcp-tools.ts).
 */
import type { CatalogAppConfig } from './schema-types/index.ts';
import type { Finding } from '../findings.ts';
import type { YamlSource } from './yaml-source.ts';

/** The MCP gateway instance's component (re-exported by components.ts). */
export const MCP_GATEWAY_APP = 'mcp-gateway';

/** What the edge rules read of a catalog entry (catalog.ts CatalogApp). */
interface EdgeApp {
  name: string;
  src: YamlSource;
  talksTo: { component: string; ports: number[] }[];
  mcpServer?: McpServerSpec;
}

/** The settings schema of an MCP server component the environment schema does not name (image, replicas, resources). */
export const MCP_SERVER_SETTINGS = 'components/mcp-server.schema.json';

/** apps/<name>/app.yaml `mcpServer`, as the schema accepted it. */
export type McpServerSpec = NonNullable<CatalogAppConfig['mcpServer']>;
/** A server type: its catalog facts and the component that runs it. */
export interface ServerTypeSpec extends McpServerSpec {
  component: string;
}
/** The tools of one pinned image (apps/<name>/app.yaml `mcpServer.tools[<image>]`). */
export type ServerToolList = NonNullable<McpServerSpec['tools']>[string];

/** The server types of the catalog, by type (the first entry of a type; a second is a catalog finding). */
export function serverTypes(apps: Iterable<{ name: string; mcpServer?: McpServerSpec }>): Map<string, ServerTypeSpec> {
  const out = new Map<string, ServerTypeSpec>();
  for (const a of apps) if (a.mcpServer && !out.has(a.mcpServer.type)) out.set(a.mcpServer.type, { ...a.mcpServer, component: a.name });
  return out;
}

type Pos = (app: EdgeApp, pointer: string) => { line: number; col: number };

/**
 * Each type is run by one component; the gateway lists every server component in talksTo; an
 * edge towards a server takes its port from the server's entry (and states none itself), any
 * other edge states its ports. Fills in the derived ports, so the two can never disagree.
 */
export function mcpEdgeFindings(catalog: Map<string, EdgeApp>, pos: Pos): Finding[] {
  const out: Finding[] = [];
  const at = (app: EdgeApp, pointer: string, message: string): void => {
    const p = pos(app, pointer);
    out.push({ file: app.src.file, line: p.line, col: p.col, path: pointer, message });
  };
  const byType = new Map<string, string>();
  for (const app of catalog.values()) {
    if (!app.mcpServer) continue;
    const other = byType.get(app.mcpServer.type);
    if (other) at(app, '/mcpServer/type', `MCP server type "${app.mcpServer.type}" is already run by apps/${other}/app.yaml: each type has one component`);
    else byType.set(app.mcpServer.type, app.name);
  }
  for (const app of catalog.values()) {
    const raw = ((app.src.data as { talksTo?: { ports?: unknown }[] }).talksTo ?? []).map((t) => t.ports !== undefined);
    app.talksTo.forEach((t, i) => {
      const server = catalog.get(t.component)?.mcpServer;
      if (server && raw[i]) at(app, `/talksTo/${i}/ports`, `${t.component} is an MCP server: its port is mcpServer.port in apps/${t.component}/app.yaml (${server.port}); remove ports here`);
      else if (server) t.ports = [server.port];
      else if (!raw[i] && catalog.has(t.component)) at(app, `/talksTo/${i}`, `talksTo ${t.component} needs ports (only edges towards an MCP server take theirs from its catalog entry)`);
    });
  }
  const gateway = catalog.get(MCP_GATEWAY_APP);
  if (gateway) {
    for (const app of catalog.values()) {
      if (!app.mcpServer || gateway.talksTo.some((t) => t.component === app.name)) continue;
      at(app, '/mcpServer', `the MCP gateway could not reach ${app.name}: apps/${MCP_GATEWAY_APP}/app.yaml talksTo must list { component: ${app.name} } (its port comes from mcpServer.port)`);
    }
  }
  return out;
}
