/**
 * The MCP servers of `mcp.servers`, each run by the component of its type (the catalog entry
 * whose `mcpServer.type` it is: one entry per type, so each gets internet egress to its own API
 * only). Its port, path and health path are that entry's (config/mcp-facts.ts). A type with code
 * below gets its containers from it; any other type runs the container its entry declares
 * (`mcpServer.container`), so a new server is config only.
 *
 * Data only: per server, its containers (image, args, env, port, probe), its credentials
 * and its labels. The objects (ExternalSecrets, ServiceAccount, Deployment, Service, HTTPRoute,
 * MCPServerRegistration) are shaped by overlays/_partials/mcp-server.hbs, which the four
 * components render through their shared overlay overlays/_shared/mcp-server/.
 */
import type { ServerType } from '../config/components.ts';
import type { ServerTypeSpec } from '../config/mcp-facts.ts';
import type { McpServer as McpServerConfig } from '../config/schema-types/index.ts';
import { postgresRoleRef, type Database } from './platform.ts';

/** postgres-mcp's SSE port inside the pod (loopback only). */
export const POSTGRES_MCP_SSE_PORT = 8000;
/** github-mcp-server's HTTP port inside the pod (loopback only; the bridge serves the Service port). */
export const GITHUB_LOOPBACK_PORT = 8083;
/** mcp-proxy's health endpoint (v0.11.0 src/mcp_proxy/mcp_server.py:64-66,128-151). */
export const BRIDGE_STATUS_PATH = '/status';
/**
 * The bridges' liveness: a real MCP round trip through the bridge to the server behind it
 * (initialize, tools/list, then the session is deleted). mcp-proxy v0.11.0 starts its stdio
 * child (the inner client of the server) once, for its whole life (src/mcp_proxy/mcp_server.py:
 * 154-170, `stack.enter_async_context(stdio_client(...))` in the lifespan), and its /status
 * answers 200 from a static dict (:40-66): after the server behind it restarts, every call fails
 * while /status and the port stay up. This probe fails then, and the kubelet restarts the bridge,
 * which connects anew. Python is the image's own (python:3.13-alpine, the project's Dockerfile).
 */
export function bridgeLivenessCommand(port: number, path: string): string[] {
  const script = [
    'import json, sys, urllib.request as r',
    `U = "http://127.0.0.1:${port}${path}"`,
    'H = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}',
    'def call(body, sid=None, method="POST"):',
    '    req = r.Request(U, json.dumps(body).encode() if body else None, dict(H, **({"Mcp-Session-Id": sid} if sid else {})), method=method)',
    '    with r.urlopen(req, timeout=4) as res:',
    '        return res.headers.get("Mcp-Session-Id"), res.read().decode()',
    'sid, _ = call({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "liveness", "version": "1"}}})',
    'call({"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)',
    '_, text = call({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, sid)',
    'try:',
    '    call(None, sid, "DELETE")',
    'except Exception:',
    '    pass',
    'sys.exit(0 if \'"tools"\' in text else 1)',
  ].join('\n');
  return ['python', '-c', script];
}

/**
 * The Brave image (obot mcp-images brave-search:2.0.75) is the nanobot wrapper: ENTRYPOINT
 * nanobot.sh with no CMD, which fails without a command argument (Dockerfile.nanobot and the
 * nanobot.sh script it copies, in obot's mcp-images repository). The server's own bin runs it in
 * HTTP mode instead.
 */
export const BRAVE_COMMAND = ['brave-search-mcp-server'];

/** A server as its component renders it. */
export interface McpServerFact {
  name: string;
  type: ServerType;
  prefix: string;
  enabled: boolean;
  component: string;
  namespace: string;
  /** Deployment, Service, ServiceAccount and HTTPRoute name. */
  workload: string;
  port: number;
  path: string;
  /** The route's host on the gateway's internal listener. */
  host: string;
}

type Resources = { requests: Record<string, string>; limits: Record<string, string> };
type Env = Record<string, unknown>;

export interface ServerComponentSettings {
  image?: string;
  replicas?: number;
  resources?: Resources;
  runAsUser?: number;
  bridge?: { image: string; resources: Resources };
}

/** One container of a server's pod (the partial adds the port, probes, security and /tmp). */
export interface McpContainer {
  name: string;
  image: string;
  /** Overrides the image's ENTRYPOINT (images whose entrypoint cannot run the server). */
  command?: string[];
  args?: string[];
  env: Env[];
  /** The container's `http` port; none for a container behind a bridge. */
  port?: number;
  /** Readiness and liveness: httpGet `path` on `port`, or a TCP check without a path. */
  probe: { port: string | number; path?: string };
  /** A liveness check of its own (exec), where the port answering says too little (the bridges). */
  liveness?: { exec: string[] };
  resources: Resources;
}

/** An ExternalSecret of the server (see overlays/_partials/external-secret.hbs). */
export interface McpSecret {
  name: string;
  template?: Record<string, unknown>;
  data: { secretKey: string; remoteKey: string; property: string }[];
}

/** Everything overlays/_partials/mcp-server.hbs renders for one server. */
export interface McpServerRender extends McpServerFact {
  description?: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  replicas: number;
  runAsUser: number;
  containers: McpContainer[];
  secrets: McpSecret[];
  /** The Secret the gateway's router injects as the upstream Authorization header. */
  credentialRef?: { name: string; key: string };
  /** The PostgreSQL role credentials, on the first server of each role in the namespace. */
  roleSecret?: { role: string; secret: { secretName: string; remoteKey: string }; labels: Record<string, string> };
}

export interface ServerCtx {
  keyPrefix: string;
  pg: { readHost: string; port: number; databases: Record<string, Database> };
}

function secretEnv(name: string, secret: string, key: string): Env {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

const HOME = { name: 'HOME', value: '/tmp' };

/** The containers and credentials that differ per server type. */
function typeParts(
  cfg: McpServerConfig,
  spec: ServerTypeSpec,
  s: McpServerFact,
  settings: ServerComponentSettings,
  ctx: ServerCtx,
): Pick<McpServerRender, 'containers' | 'secrets' | 'credentialRef'> {
  const image = settings.image ?? '';
  const resources = settings.resources ?? { requests: {}, limits: {} };
  const remoteKey = `${ctx.keyPrefix}mcp/${s.name}`;
  const http = (path?: string) => ({ port: 'http', ...(path ? { path } : {}) });
  switch (cfg.type) {
    case 'github': {
      // github-mcp-server's `http` mode takes the PAT from each request's Authorization header
      // and rejects anything but a GitHub token (v1.9.0 pkg/utils/token.go), while the gateway's
      // router forwards the caller's own header on tools/call (mcp-gateway v0.9.0
      // internal/routing/router_202511.go) and a credentialRef only feeds the broker's discovery.
      // So the credential bridge (mcp-proxy, the Service's port) calls the server with its own PAT: API_ACCESS_TOKEN becomes
      // `Authorization: Bearer …` (mcp-proxy v0.11.0 src/mcp_proxy/__main__.py:289-291; the
      // inner client needs --pass-environment to see it, :179). Callers' tokens stop at the bridge.
      // The server listens on the pod IP, where the kubelet's probes look (a loopback bind never
      // answers them: check's FLOW003); no NetworkPolicy opens its port, only the bridge's.
      const gh = cfg.github ?? { toolsets: [] };
      const secret = `${s.workload}-pat`;
      const inner = GITHUB_LOOPBACK_PORT;
      const env: Env[] = [{ name: 'GITHUB_TOOLSETS', value: gh.toolsets.join(',') }];
      if (gh.readOnly !== false) env.push({ name: 'GITHUB_READ_ONLY', value: '1' });
      if (gh.host) env.push({ name: 'GITHUB_HOST', value: gh.host });
      env.push(HOME);
      const args = ['http', `--port=${inner}`, '--listen-host=0.0.0.0', `--base-path=${s.path}`];
      if (gh.readOnly !== false) args.push('--read-only');
      const bridge = settings.bridge ?? { image: '', resources: { requests: {}, limits: {} } };
      return {
        containers: [
          { name: 'github-mcp-server', image, args, env, probe: { port: inner }, resources },
          {
            name: 'mcp-bridge',
            image: bridge.image,
            args: [
              '--host=0.0.0.0',
              `--port=${s.port}`,
              '--pass-environment',
              '--',
              'mcp-proxy',
              '--transport=streamablehttp',
              `http://127.0.0.1:${inner}${s.path}`,
            ],
            env: [secretEnv('API_ACCESS_TOKEN', secret, 'pat'), HOME],
            port: s.port,
            probe: http(BRIDGE_STATUS_PATH),
            liveness: { exec: bridgeLivenessCommand(s.port, s.path) },
            resources: bridge.resources,
          },
        ],
        secrets: [{ name: secret, data: [{ secretKey: 'pat', remoteKey, property: 'token' }] }],
      };
    }
    case 'jira': {
      const jira = cfg.jira ?? { url: '', username: '' };
      const secret = `${s.workload}-jira`;
      const env: Env[] = [
        { name: 'JIRA_URL', value: jira.url },
        { name: 'JIRA_USERNAME', value: jira.username },
        secretEnv('JIRA_API_TOKEN', secret, 'JIRA_API_TOKEN'),
        { name: 'READ_ONLY_MODE', value: jira.readOnly === false ? 'false' : 'true' },
        // The gateway forwards the caller's Authorization header (its SSO token): never
        // treat it as an Atlassian credential, use the server's own token.
        { name: 'IGNORE_HEADER_AUTH', value: 'true' },
      ];
      if (jira.projectsFilter?.length) env.push({ name: 'JIRA_PROJECTS_FILTER', value: jira.projectsFilter.join(',') });
      env.push(HOME);
      const args = ['--transport=streamable-http', '--stateless', '--host=0.0.0.0', `--port=${s.port}`];
      return {
        containers: [{ name: 'mcp-atlassian', image, args, env, port: s.port, probe: http(spec.healthPath), resources }],
        secrets: [{ name: secret, data: [{ secretKey: 'JIRA_API_TOKEN', remoteKey, property: 'api_token' }] }],
      };
    }
    case 'search': {
      const secret = `${s.workload}-brave`;
      const env: Env[] = [
        { name: 'BRAVE_MCP_TRANSPORT', value: 'http' },
        { name: 'BRAVE_MCP_HOST', value: '0.0.0.0' },
        { name: 'BRAVE_MCP_PORT', value: String(s.port) },
        secretEnv('BRAVE_API_KEY', secret, 'BRAVE_API_KEY'),
      ];
      if (cfg.search?.enabledTools?.length) env.push({ name: 'BRAVE_MCP_ENABLED_TOOLS', value: cfg.search.enabledTools.join(' ') });
      env.push(HOME);
      return {
        containers: [
          {
            name: 'brave-search',
            image,
            command: BRAVE_COMMAND,
            args: ['--transport', 'http', '--host', '0.0.0.0', '--port', String(s.port)],
            env,
            port: s.port,
            probe: http(spec.healthPath),
            resources,
          },
        ],
        secrets: [{ name: secret, data: [{ secretKey: 'BRAVE_API_KEY', remoteKey, property: 'api_key' }] }],
      };
    }
    case 'postgres': {
      const pg = cfg.postgres ?? { database: 'benchmarks', role: 'benchmark_reader' };
      const db = ctx.pg.databases[pg.database]?.name ?? pg.database;
      const secret = postgresRoleRef(pg.role, ctx.keyPrefix).secretName;
      // No password in the URI: libpq (psycopg) reads PGPASSWORD from the role's ExternalSecret.
      const uri = `postgresql://${pg.role}@${ctx.pg.readHost}:${ctx.pg.port}/${db}?sslmode=require`;
      const bridge = settings.bridge ?? { image: '', resources: { requests: {}, limits: {} } };
      const sse = POSTGRES_MCP_SSE_PORT;
      return {
        containers: [
          {
            name: 'postgres-mcp',
            image,
            // restricted: every statement runs in a read-only transaction, with a timeout. It
            // listens on the pod IP, where its probes look (FLOW003); only the bridge's port is open.
            args: ['--access-mode=restricted', '--transport=sse', '--sse-host=0.0.0.0', `--sse-port=${sse}`],
            env: [{ name: 'DATABASE_URI', value: uri }, secretEnv('PGPASSWORD', secret, 'password'), HOME],
            probe: { port: sse },
            resources,
          },
          {
            // SSE -> streamable HTTP: serves a stdio client of the SSE endpoint on :8080/mcp.
            name: 'mcp-bridge',
            image: bridge.image,
            args: ['--host=0.0.0.0', `--port=${s.port}`, '--', 'mcp-proxy', `http://127.0.0.1:${sse}/sse`],
            env: [HOME],
            port: s.port,
            probe: http(BRIDGE_STATUS_PATH),
            liveness: { exec: bridgeLivenessCommand(s.port, s.path) },
            resources: bridge.resources,
          },
        ],
        secrets: [],
      };
    }
    default:
      return dataParts(spec, s, image, resources, remoteKey);
  }
}

/** `{port}` and `{path}` in a declared arg or env value: the server's. */
const fill = (v: string, s: McpServerFact): string => v.replaceAll('{port}', String(s.port)).replaceAll('{path}', s.path);

/** A server type with no code here: the container its catalog entry declares (`mcpServer.container`). */
function dataParts(spec: ServerTypeSpec, s: McpServerFact, image: string, resources: Resources, remoteKey: string): Pick<McpServerRender, 'containers' | 'secrets'> {
  const c = spec.container;
  if (!c) throw new Error(`apps/${spec.component}/app.yaml: MCP server type "${spec.type}" has no mcpServer.container (a type the tool has no code for runs the container its entry declares)`);
  const secret = `${s.workload}-credential`;
  const env: Env[] = (c.env ?? []).map((e) => ({ name: e.name, value: fill(e.value, s) }));
  if (c.credential) env.push(secretEnv(c.credential.env, secret, c.credential.property));
  env.push(HOME);
  return {
    containers: [
      {
        name: c.name,
        image,
        ...(c.command ? { command: c.command } : {}),
        args: c.args.map((a) => fill(a, s)),
        env,
        port: s.port,
        probe: { port: 'http', ...(spec.healthPath ? { path: spec.healthPath } : {}) },
        resources,
      },
    ],
    secrets: c.credential ? [{ name: secret, data: [{ secretKey: c.credential.property, remoteKey, property: c.credential.property }] }] : [],
  };
}

/** The render data of one enabled server. */
export function serverRender(cfg: McpServerConfig, spec: ServerTypeSpec, s: McpServerFact, settings: ServerComponentSettings, ctx: ServerCtx): McpServerRender {
  const labels = { 'app.kubernetes.io/name': s.workload, 'app.kubernetes.io/component': 'mcp-server', 'catalyst.dev/mcp-server': s.name };
  return {
    ...s,
    ...(cfg.description ? { description: cfg.description } : {}),
    labels,
    selector: { 'app.kubernetes.io/name': s.workload, 'catalyst.dev/mcp-server': s.name },
    replicas: settings.replicas ?? 1,
    runAsUser: settings.runAsUser ?? 65532,
    ...typeParts(cfg, spec, s, settings, ctx),
  };
}
