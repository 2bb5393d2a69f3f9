/**
 * Facts of the MCP layer: the Kuadrant MCP gateway instance (its Gateway, in-cluster URL,
 * who may call it) and the MCP servers of `mcp.servers` (derive/mcp-servers.ts: the data of
 * each server; overlays/_partials/mcp-server.hbs shapes its objects). Each server component's
 * overlay emits its servers (`facts.mcp.byComponent[<component>]`).
 *
 * Llama Stack takes the enabled servers and the gateway URL from these facts (derive/inference.ts
 * mcpServers): the gateway's endpoint is derived here, never typed into an environment file.
 */
import type { Plan } from '../plan/plan.ts';
import { callerNamespaces, component, serviceHost, settingsOf } from './common.ts';
import { AGENTS_APP, BENCHMARKS_APP, MCP_GATEWAY_APP, mcpServerConfigs, RUNNER_SERVICE_ACCOUNT } from '../config/components.ts';
import { serverTypes } from '../config/mcp-facts.ts';
import { deriveMcpAccess } from './mcp-access.ts';
import {
  serverRender,
  type McpServerFact,
  type McpServerRender,
  type ServerComponentSettings,
  type ServerCtx,
} from './mcp-servers.ts';
import { postgresRoleRef, type PlatformFacts } from './platform.ts';


/** The Gateway; Istio deploys its proxy as Deployment and Service `<name>-<class>`. */
export const MCP_GATEWAY_NAME = 'mcp-gateway';
export const MCP_GATEWAY_CLASS = 'istio';
export const MCP_GATEWAY_PORT = 8080;
/** Listener of MCP clients (the MCPGatewayExtension and the AuthPolicy target it). */
export const CLIENT_LISTENER = 'mcp';
/** Listener the per-server HTTPRoutes attach to (hosts `<server>.mcp.local`, never resolved by DNS). */
export const INTERNAL_LISTENER = 'mcps';
export const INTERNAL_DOMAIN = 'mcp.local';
/**
 * The broker/router the mcp-gateway controller deploys next to the MCPGatewayExtension. Its
 * ports (HTTP /mcp, ext_proc gRPC) are the catalog's: the gateway entry's talksTo edge to itself
 * (apps/mcp-gateway/app.yaml), the one place they are declared.
 */
export const BROKER_NAME = 'mcp-gateway';
/** Istio proxy status/metrics port of the gateway pods (/stats/prometheus). */
export const GATEWAY_METRICS_PORT = 15020;
/** Where workloads that call the gateway mount their projected ServiceAccount token. */
export const MCP_TOKEN_DIR = '/var/run/secrets/catalyst.dev/mcp';
export const MCP_TOKEN_FILE = `${MCP_TOKEN_DIR}/token`;
export const MCP_TOKEN_SECONDS = 3600;

export function gatewayHost(namespace: string): string {
  return serviceHost(`${MCP_GATEWAY_NAME}-${MCP_GATEWAY_CLASS}`, namespace);
}

/** The gateway's in-cluster MCP endpoint (clients: agents, Llama Stack, benchmarks). */
export function gatewayUrl(namespace: string): string {
  return `http://${gatewayHost(namespace)}:${MCP_GATEWAY_PORT}/mcp`;
}

export function deriveMcp(plan: Plan, platform: PlatformFacts) {
  const env = plan.env;
  const cfg = env.config;
  const gw = component(plan, MCP_GATEWAY_APP);
  const ns = gw.app.namespace;
  const gwSettings = settingsOf(plan, MCP_GATEWAY_APP);
  const keyPrefix = platform.secretStore.keyPrefix;
  const pg = platform.postgres;
  const ctx: ServerCtx = { keyPrefix, pg: { readHost: pg.readHost, port: pg.port, databases: pg.databases } };

  const servers: McpServerFact[] = [];
  const byComponent: Record<string, McpServerRender[]> = {};
  // The server types are the catalog's (apps/*.yaml mcpServer, config/mcp-facts.ts).
  const types = serverTypes([...env.components.values()].map((c) => c.app));
  for (const t of types.values()) byComponent[t.component] = [];
  const seenRoles = new Set<string>();
  for (const s of mcpServerConfigs(cfg)) {
    const spec = types.get(s.type);
    if (!spec) continue;
    const comp = component(plan, spec.component);
    const fact: McpServerFact = {
      name: s.name,
      type: s.type,
      prefix: s.prefix,
      enabled: s.enabled !== false && comp.enabled,
      component: spec.component,
      namespace: comp.app.namespace,
      workload: `mcp-${s.name}`,
      port: spec.port,
      path: spec.path,
      host: `${s.name}.${INTERNAL_DOMAIN}`,
    };
    servers.push(fact);
    if (!fact.enabled) continue;
    const server = serverRender(s, spec, fact, component(plan, spec.component).settings as ServerComponentSettings, ctx);
    // PostgreSQL role credentials: one ExternalSecret per role and namespace, shared by servers.
    if (s.type === 'postgres' && s.postgres && !seenRoles.has(s.postgres.role)) {
      seenRoles.add(s.postgres.role);
      const role = s.postgres.role;
      server.roleSecret = { role, secret: postgresRoleRef(role, keyPrefix), labels: { 'app.kubernetes.io/component': 'mcp-server' } };
    }
    byComponent[spec.component]!.push(server);
  }

  // Whose ServiceAccount tokens the gateway accepts: namespaces of enabled components that
  // declare talksTo mcp-gateway in apps/ (agents, benchmarks, and Llama Stack once it does).
  const callers = callerNamespaces(plan, MCP_GATEWAY_APP);
  const audience = gwSettings.auth?.workloadAudience ?? 'catalyst-mcp-gateway';
  const host = gatewayHost(ns);
  const rate = gwSettings.rateLimit ?? {};
  const access = deriveMcpAccess(cfg, {
    servers,
    agentsNamespace: component(plan, AGENTS_APP).app.namespace,
    benchmarksNamespace: component(plan, BENCHMARKS_APP).app.namespace,
    runnerServiceAccount: RUNNER_SERVICE_ACCOUNT,
    callerNamespaces: callers,
  });
  const url = gatewayUrl(ns);
  return {
    mcp: {
      enabled: gw.enabled,
      namespace: ns,
      gateway: {
        name: MCP_GATEWAY_NAME,
        namespace: ns,
        className: MCP_GATEWAY_CLASS,
        port: MCP_GATEWAY_PORT,
        service: `${MCP_GATEWAY_NAME}-${MCP_GATEWAY_CLASS}`,
        host,
        /** In-cluster MCP endpoint (streamable HTTP). */
        url,
        /** host:port the broker hairpins its backend initialize requests through. */
        privateHost: `${host}:${MCP_GATEWAY_PORT}`,
        listener: CLIENT_LISTENER,
        internalListener: INTERNAL_LISTENER,
        internalHostPattern: `*.${INTERNAL_DOMAIN}`,
        metricsPort: GATEWAY_METRICS_PORT,
        broker: { name: BROKER_NAME, ports: gw.app.talksTo.find((t) => t.component === MCP_GATEWAY_APP)?.ports ?? [] },
        issuerUrl: gwSettings.auth?.issuerUrl ?? null,
        /** Audience of the projected ServiceAccount tokens workloads present (TokenReview). */
        workloadAudience: audience,
        callerNamespaces: callers,
        /** CEL: a TokenReview identity from one of the caller namespaces. */
        callerPredicate: callers.length
          ? callers.map((n) => `auth.identity.user.username.startsWith('system:serviceaccount:${n}:')`).join(' || ')
          : 'false',
        backendPingIntervalSeconds: gwSettings.backendPingIntervalSeconds ?? 60,
        /**
         * Per caller, on the whole Gateway (tools/call is matched on the mcps listener): counted by
         * the identity both AuthPolicies export as auth.identity.userid (kuadrant-operator v1.4.2
         * doc/user-guides/ratelimiting/authenticated-rl-with-jwt-and-k8s-authnz.md:171-207,374-380).
         */
        rateLimit: {
          enabled: rate.enabled === true,
          requests: rate.requests ?? 600,
          window: rate.window ?? '1m',
          toolCalls: rate.toolCalls ?? null,
        },
        /**
         * RFC 9728 metadata the broker serves at /.well-known/oauth-protected-resource (v0.9.0
         * api/v1/mcpgatewayextension_types.go:132-170). `resource` is the URL clients use: the
         * controller's default is https://<publicHost>/mcp (internal/controller/broker_router.go:157),
         * wrong for this plain-HTTP listener.
         */
        oauth: {
          authorizationServers: gwSettings.auth?.issuerUrl ? [gwSettings.auth.issuerUrl] : [],
          resource: url,
          resourceName: 'Catalyst MCP gateway',
          scopes: gwSettings.auth?.scopes ?? ['openid'],
          metadataUrl: `http://${host}:${MCP_GATEWAY_PORT}/.well-known/oauth-protected-resource/mcp`,
        },
        /** CEL of the tools/call ACL on the mcps listener (derive/mcp-access.ts). */
        toolPredicate: access.toolPredicate,
        token: { dir: MCP_TOKEN_DIR, file: MCP_TOKEN_FILE, expirationSeconds: MCP_TOKEN_SECONDS },
      },
      servers,
      /** One MCPVirtualServer per agent with a tool list. */
      virtualServers: access.virtualServers,
      byName: Object.fromEntries(servers.map((s) => [s.name, s])),
      /** Render data of the enabled servers, by the component that runs them. */
      byComponent,
    },
  };
}

export type McpFacts = ReturnType<typeof deriveMcp>;
