/**
 * Facts of the MCP layer: the Kuadrant MCP gateway instance (its Gateway, in-cluster URL,
 * who may call it) and the MCP servers of `mcp.servers`, each run by the component of its
 * type (mcp-github, mcp-jira, mcp-search, mcp-postgres: one catalog entry per type, so each
 * gets internet egress to its own API only).
 *
 * The four server components share one shape (ServiceAccount, Deployment, Service,
 * HTTPRoute on the gateway's internal listener, MCPServerRegistration, ExternalSecrets), so
 * it is built here as data, once; each component's overlay only emits its servers' objects
 * (`facts.mcp.manifests[<component>]`).
 *
 * Llama Stack takes the enabled servers and the gateway URL from these facts (derive/inference.ts
 * mcpServers): the gateway's endpoint is derived here, never typed into an environment file.
 */
import { isPlainObject } from '../config/merge.ts';
import type { Plan } from '../plan/plan.ts';
import type { EnvConfig } from '../config/environment.ts';
import type { K8sObject } from '../findings.ts';
import { callerNamespaces, component, serviceHost, settingsOf } from './common.ts';
import { postgresRoleSecretName, type Database, type PlatformFacts } from './platform.ts';

export const MCP_GATEWAY_APP = 'mcp-gateway';
/** The Gateway; Istio deploys its proxy as Deployment and Service `<name>-<class>`. */
export const GATEWAY_NAME = 'mcp-gateway';
export const GATEWAY_CLASS = 'istio';
export const GATEWAY_PORT = 8080;
/** Listener of MCP clients (the MCPGatewayExtension and the AuthPolicy target it). */
export const CLIENT_LISTENER = 'mcp';
/** Listener the per-server HTTPRoutes attach to (hosts `<server>.mcp.local`, never resolved by DNS). */
export const INTERNAL_LISTENER = 'mcps';
export const INTERNAL_DOMAIN = 'mcp.local';
/** The broker/router the mcp-gateway controller deploys next to the MCPGatewayExtension. */
export const BROKER_NAME = 'mcp-gateway';
export const BROKER_PORTS = { http: 8080, grpc: 50051 } as const;
/** Istio proxy status/metrics port of the gateway pods (/stats/prometheus). */
export const GATEWAY_METRICS_PORT = 15020;
/** Where workloads that call the gateway mount their projected ServiceAccount token. */
export const MCP_TOKEN_DIR = '/var/run/secrets/catalyst.dev/mcp';
export const MCP_TOKEN_FILE = `${MCP_TOKEN_DIR}/token`;
export const MCP_TOKEN_SECONDS = 3600;

export type ServerType = 'github' | 'jira' | 'search' | 'postgres';

/** What is fixed per server type: its component, port, endpoint and health checks. */
export interface ServerTypeSpec {
  component: string;
  port: number;
  /** MCP endpoint path (streamable HTTP). */
  path: string;
  /** httpGet path of the probes; undefined: a TCP probe (the server has no health endpoint). */
  healthPath?: string;
}

export const SERVER_TYPES: Record<ServerType, ServerTypeSpec> = {
  // github-mcp-server v1.9.0 `http` subcommand, default port 8082; no health endpoint.
  github: { component: 'mcp-github', port: 8082, path: '/mcp' },
  // mcp-atlassian 0.23.1 streamable HTTP on 9000, /healthz.
  jira: { component: 'mcp-jira', port: 9000, path: '/mcp', healthPath: '/healthz' },
  // Brave Search MCP 2.x in HTTP mode on 8080, /mcp, liveness /ping.
  search: { component: 'mcp-search', port: 8080, path: '/mcp', healthPath: '/ping' },
  // postgres-mcp 0.3.0 speaks SSE only (127.0.0.1:8000); the mcp-proxy bridge serves it as
  // streamable HTTP on 8080, which is what the gateway's broker speaks.
  postgres: { component: 'mcp-postgres', port: 8080, path: '/mcp' },
};

/** postgres-mcp's SSE port inside the pod (loopback only). */
export const POSTGRES_MCP_SSE_PORT = 8000;

/** One entry of `mcp.servers` as the schema allows it. */
export interface McpServerConfig {
  name: string;
  type: ServerType;
  prefix: string;
  enabled?: boolean;
  description?: string;
  github?: { toolsets: string[]; readOnly?: boolean; host?: string };
  jira?: { url: string; username: string; readOnly?: boolean; projectsFilter?: string[] };
  search?: { enabledTools?: string[] };
  postgres?: { database: string; role: string };
}

/** The `mcp.servers` list of an environment ([] when it has none). */
export function mcpServerConfigs(config: EnvConfig): McpServerConfig[] {
  const mcp = isPlainObject(config.mcp) ? config.mcp : {};
  return Array.isArray(mcp.servers) ? (mcp.servers as McpServerConfig[]) : [];
}

/** Names of the enabled MCP servers (what agents and benchmarks may name). */
export function mcpServerNames(config: EnvConfig): string[] {
  return mcpServerConfigs(config)
    .filter((s) => s.enabled !== false)
    .map((s) => s.name);
}

export function gatewayHost(namespace: string): string {
  return serviceHost(`${GATEWAY_NAME}-${GATEWAY_CLASS}`, namespace);
}

/** The gateway's in-cluster MCP endpoint (clients: agents, Llama Stack, benchmarks). */
export function gatewayUrl(namespace: string): string {
  return `http://${gatewayHost(namespace)}:${GATEWAY_PORT}/mcp`;
}

// --- shared workload pieces (also used by facts/agents.ts) ---

/** The container securityContext every workload of these layers runs with. */
export function restrictedContainer(): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod securityContext: a fixed non-root uid (the images name no numeric USER). */
export function restrictedPod(uid: number, fsGroup = false): Record<string, unknown> {
  const pod: Record<string, unknown> = { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid };
  if (fsGroup) {
    pod.fsGroup = uid;
    pod.fsGroupChangePolicy = 'OnRootMismatch';
  }
  pod.seccompProfile = { type: 'RuntimeDefault' };
  return pod;
}

export function serviceAccount(name: string, namespace: string, labels: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels }, automountServiceAccountToken: false };
}

/** A projected ServiceAccount token for the MCP gateway only (its audience is not the API server's). */
export function mcpTokenVolume(audience: string): Record<string, unknown> {
  return {
    name: 'mcp-token',
    projected: { sources: [{ serviceAccountToken: { audience, expirationSeconds: MCP_TOKEN_SECONDS, path: 'token' } }] },
  };
}

export interface SecretStoreFacts {
  name: string;
  refreshInterval: string;
  keyPrefix: string;
}

/** An ExternalSecret from the env's ClusterSecretStore: secretKey <- remoteKey/property. */
export function externalSecret(args: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  store: SecretStoreFacts;
  data: { secretKey: string; remoteKey: string; property: string }[];
  template?: Record<string, unknown>;
  wave?: string;
}): K8sObject {
  const target: Record<string, unknown> = { name: args.name, creationPolicy: 'Owner' };
  if (args.template) target.template = args.template;
  const metadata: K8sObject['metadata'] = { name: args.name, namespace: args.namespace, labels: args.labels };
  // Before the workloads that mount it (Argo CD waits for the ExternalSecret to be healthy).
  if (args.wave) metadata.annotations = { 'argocd.argoproj.io/sync-wave': args.wave };
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata,
    spec: {
      refreshInterval: args.store.refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: args.store.name },
      target,
      data: args.data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: d.remoteKey, property: d.property } })),
    },
  };
}

/** The PostgreSQL role credentials ExternalSecret LAYERS.md prescribes for a consumer namespace. */
export function postgresRoleSecret(args: {
  role: string;
  namespace: string;
  labels: Record<string, string>;
  store: SecretStoreFacts;
  wave?: string;
}): K8sObject {
  return externalSecret({
    name: postgresRoleSecretName(args.role),
    namespace: args.namespace,
    labels: args.labels,
    store: args.store,
    wave: args.wave,
    template: { type: 'kubernetes.io/basic-auth', mergePolicy: 'Merge', data: { username: args.role } },
    data: [{ secretKey: 'password', remoteKey: `${args.store.keyPrefix}postgres/${args.role}`, property: 'password' }],
  });
}

type Resources = { requests: Record<string, string>; limits: Record<string, string> };

interface ServerComponentSettings {
  image?: string;
  replicas?: number;
  resources?: Resources;
  runAsUser?: number;
  bridge?: { image: string; resources: Resources };
}

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

interface Ctx {
  namespace: string;
  store: SecretStoreFacts;
  pg: { readHost: string; port: number; databases: Record<string, Database> };
}

function serverLabels(s: McpServerFact): Record<string, string> {
  return { 'app.kubernetes.io/name': s.workload, 'app.kubernetes.io/component': 'mcp-server', 'catalyst.dev/mcp-server': s.name };
}

function secretEnv(name: string, secret: string, key: string): Record<string, unknown> {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function probes(port: string | number, healthPath: string | undefined): Record<string, unknown> {
  const handler = healthPath ? { httpGet: { path: healthPath, port } } : { tcpSocket: { port } };
  return {
    readinessProbe: { ...handler, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { ...handler, initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 5 },
  };
}

/** The containers, volumes and ExternalSecrets that differ per server type. */
function typeParts(
  cfg: McpServerConfig,
  s: McpServerFact,
  settings: ServerComponentSettings,
  ctx: Ctx,
): { containers: Record<string, unknown>[]; secrets: K8sObject[]; credentialRef?: { name: string; key: string } } {
  const labels = serverLabels(s);
  const image = settings.image ?? '';
  const resources = settings.resources ?? { requests: {}, limits: {} };
  // name, image, args, env, ports, probes first; then resources and security (readable order).
  const tail = {
    resources,
    securityContext: restrictedContainer(),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const port = [{ name: 'http', containerPort: s.port, protocol: 'TCP' }];
  const remoteKey = `${ctx.store.keyPrefix}mcp/${s.name}`;
  const home = { name: 'HOME', value: '/tmp' };
  switch (cfg.type) {
    case 'github': {
      // HTTP mode takes the PAT per request (Authorization: Bearer); the gateway's router
      // injects it from the credential Secret named in the MCPServerRegistration. The server
      // itself holds no credential.
      const gh = cfg.github ?? { toolsets: [] };
      const credential = `${s.workload}-credential`;
      const env: Record<string, unknown>[] = [{ name: 'GITHUB_TOOLSETS', value: gh.toolsets.join(',') }];
      if (gh.readOnly !== false) env.push({ name: 'GITHUB_READ_ONLY', value: '1' });
      if (gh.host) env.push({ name: 'GITHUB_HOST', value: gh.host });
      env.push(home);
      const args = ['http', `--port=${s.port}`, '--listen-host=0.0.0.0', `--base-path=${s.path}`];
      if (gh.readOnly !== false) args.push('--read-only');
      return {
        containers: [{ name: 'github-mcp-server', image, args, env, ports: port, ...probes('http', undefined), ...tail }],
        credentialRef: { name: credential, key: 'token' },
        secrets: [
          externalSecret({
            name: credential,
            namespace: s.namespace,
            labels,
            store: ctx.store,
            wave: '-1',
            // The label lets the MCP gateway controller read it; the value is the whole
            // Authorization header the router sends upstream.
            template: {
              type: 'Opaque',
              metadata: { labels: { 'mcp.kuadrant.io/secret': 'true' } },
              data: { token: 'Bearer {{ .pat }}' },
            },
            data: [{ secretKey: 'pat', remoteKey, property: 'token' }],
          }),
        ],
      };
    }
    case 'jira': {
      const jira = cfg.jira ?? { url: '', username: '' };
      const secret = `${s.workload}-jira`;
      const env: Record<string, unknown>[] = [
        { name: 'JIRA_URL', value: jira.url },
        { name: 'JIRA_USERNAME', value: jira.username },
        secretEnv('JIRA_API_TOKEN', secret, 'JIRA_API_TOKEN'),
        { name: 'READ_ONLY_MODE', value: jira.readOnly === false ? 'false' : 'true' },
        // The gateway forwards the caller's Authorization header (its SSO token): never
        // treat it as an Atlassian credential, use the server's own token.
        { name: 'IGNORE_HEADER_AUTH', value: 'true' },
      ];
      if (jira.projectsFilter?.length) env.push({ name: 'JIRA_PROJECTS_FILTER', value: jira.projectsFilter.join(',') });
      env.push(home);
      return {
        containers: [
          {
            name: 'mcp-atlassian',
            image,
            args: ['--transport=streamable-http', '--stateless', '--host=0.0.0.0', `--port=${s.port}`],
            env,
            ports: port,
            ...probes('http', SERVER_TYPES.jira.healthPath),
            ...tail,
          },
        ],
        secrets: [
          externalSecret({
            name: secret,
            namespace: s.namespace,
            labels,
            store: ctx.store,
            wave: '-1',
            data: [{ secretKey: 'JIRA_API_TOKEN', remoteKey, property: 'api_token' }],
          }),
        ],
      };
    }
    case 'search': {
      const secret = `${s.workload}-brave`;
      const env: Record<string, unknown>[] = [
        { name: 'BRAVE_MCP_TRANSPORT', value: 'http' },
        { name: 'BRAVE_MCP_HOST', value: '0.0.0.0' },
        { name: 'BRAVE_MCP_PORT', value: String(s.port) },
        secretEnv('BRAVE_API_KEY', secret, 'BRAVE_API_KEY'),
      ];
      if (cfg.search?.enabledTools?.length) env.push({ name: 'BRAVE_MCP_ENABLED_TOOLS', value: cfg.search.enabledTools.join(' ') });
      env.push(home);
      return {
        containers: [{ name: 'brave-search', image, env, ports: port, ...probes('http', SERVER_TYPES.search.healthPath), ...tail }],
        secrets: [
          externalSecret({
            name: secret,
            namespace: s.namespace,
            labels,
            store: ctx.store,
            wave: '-1',
            data: [{ secretKey: 'BRAVE_API_KEY', remoteKey, property: 'api_key' }],
          }),
        ],
      };
    }
    case 'postgres': {
      const pg = cfg.postgres ?? { database: 'benchmarks', role: 'benchmark_reader' };
      const db = ctx.pg.databases[pg.database]?.name ?? pg.database;
      const secret = postgresRoleSecretName(pg.role);
      // No password in the URI: libpq (psycopg) reads PGPASSWORD from the role's ExternalSecret.
      const uri = `postgresql://${pg.role}@${ctx.pg.readHost}:${ctx.pg.port}/${db}?sslmode=require`;
      const bridge = settings.bridge ?? { image: '', resources: { requests: {}, limits: {} } };
      return {
        containers: [
          {
            name: 'postgres-mcp',
            image,
            // restricted: every statement runs in a read-only transaction, with a timeout.
            args: ['--access-mode=restricted', '--transport=sse', '--sse-host=127.0.0.1', `--sse-port=${POSTGRES_MCP_SSE_PORT}`],
            env: [{ name: 'DATABASE_URI', value: uri }, secretEnv('PGPASSWORD', secret, 'password'), home],
            ...probes(POSTGRES_MCP_SSE_PORT, undefined),
            ...tail,
          },
          {
            // SSE -> streamable HTTP: serves a stdio client of the SSE endpoint on :8080/mcp.
            name: 'mcp-bridge',
            image: bridge.image,
            args: ['--host=0.0.0.0', `--port=${s.port}`, '--', 'mcp-proxy', `http://127.0.0.1:${POSTGRES_MCP_SSE_PORT}/sse`],
            env: [home],
            ports: port,
            ...probes('http', undefined),
            resources: bridge.resources,
            securityContext: restrictedContainer(),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ],
        secrets: [],
      };
    }
  }
}

/** Every object of one server. */
export function serverManifests(cfg: McpServerConfig, s: McpServerFact, settings: ServerComponentSettings, ctx: Ctx): K8sObject[] {
  const labels = serverLabels(s);
  const parts = typeParts(cfg, s, settings, ctx);
  const selector = { 'app.kubernetes.io/name': s.workload, 'catalyst.dev/mcp-server': s.name };
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.workload, namespace: s.namespace, labels },
    spec: {
      replicas: settings.replicas ?? 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: s.workload,
          automountServiceAccountToken: false,
          securityContext: restrictedPod(settings.runAsUser ?? 65532),
          containers: parts.containers,
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.workload, namespace: s.namespace, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    },
  };
  const route: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: s.workload, namespace: s.namespace, labels: { ...labels, 'mcp-server': 'true' } },
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME, namespace: s.namespace, sectionName: INTERNAL_LISTENER }],
      hostnames: [s.host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: s.path } }], backendRefs: [{ name: s.workload, port: s.port }] }],
    },
  };
  const regSpec: Record<string, unknown> = {
    targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: s.workload },
    prefix: s.prefix,
    path: s.path,
  };
  if (parts.credentialRef) regSpec.credentialRef = parts.credentialRef;
  const registration: K8sObject = {
    apiVersion: 'mcp.kuadrant.io/v1',
    kind: 'MCPServerRegistration',
    // After the route and the server: the controller resolves the route and (for a
    // credentialRef) checks the labelled Secret when it admits the registration.
    metadata: {
      name: s.name,
      namespace: s.namespace,
      labels,
      annotations: { 'argocd.argoproj.io/sync-wave': '1', ...(cfg.description ? { 'catalyst.dev/description': cfg.description } : {}) },
    },
    spec: regSpec,
  };
  return [...parts.secrets, serviceAccount(s.workload, s.namespace, labels), deployment, service, route, registration];
}

export function deriveMcp(plan: Plan, platform: PlatformFacts) {
  const env = plan.env;
  const cfg = env.config;
  const gw = component(plan, MCP_GATEWAY_APP);
  const ns = gw.app.namespace;
  const gwSettings = settingsOf<{
    auth?: { issuerUrl?: string; workloadAudience?: string };
    rateLimit?: { enabled?: boolean; requests?: number; window?: string };
    backendPingIntervalSeconds?: number;
  }>(plan, MCP_GATEWAY_APP);
  const store: SecretStoreFacts = platform.secretStore;
  const pg = platform.postgres;
  const ctx: Ctx = { namespace: ns, store, pg: { readHost: pg.readHost, port: pg.port, databases: pg.databases } };

  const servers: McpServerFact[] = [];
  const manifests: Record<string, K8sObject[]> = {};
  for (const t of Object.values(SERVER_TYPES)) manifests[t.component] = [];
  const seenRoles = new Set<string>();
  for (const s of mcpServerConfigs(cfg)) {
    const spec = SERVER_TYPES[s.type];
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
    const objs = serverManifests(s, fact, settingsOf<ServerComponentSettings>(plan, spec.component), { ...ctx, namespace: fact.namespace });
    // PostgreSQL role credentials: one ExternalSecret per role and namespace, shared by servers.
    if (s.type === 'postgres' && s.postgres && !seenRoles.has(s.postgres.role)) {
      seenRoles.add(s.postgres.role);
      objs.unshift(postgresRoleSecret({ role: s.postgres.role, namespace: fact.namespace, labels: { 'app.kubernetes.io/component': 'mcp-server' }, store, wave: '-1' }));
    }
    // Plain trees: a shared object would serialize as a YAML alias, which the renderer rejects.
    manifests[spec.component]!.push(...(JSON.parse(JSON.stringify(objs)) as K8sObject[]));
  }

  // Whose ServiceAccount tokens the gateway accepts: namespaces of enabled components that
  // declare talksTo mcp-gateway in apps/ (agents, benchmarks, and Llama Stack once it does).
  const callers = callerNamespaces(plan, MCP_GATEWAY_APP);
  const audience = gwSettings.auth?.workloadAudience ?? 'catalyst-mcp-gateway';
  const host = gatewayHost(ns);
  const rate = gwSettings.rateLimit ?? {};
  return {
    mcp: {
      enabled: gw.enabled,
      namespace: ns,
      gateway: {
        name: GATEWAY_NAME,
        namespace: ns,
        className: GATEWAY_CLASS,
        port: GATEWAY_PORT,
        service: `${GATEWAY_NAME}-${GATEWAY_CLASS}`,
        host,
        /** In-cluster MCP endpoint (streamable HTTP). */
        url: gatewayUrl(ns),
        /** host:port the broker hairpins its backend initialize requests through. */
        privateHost: `${host}:${GATEWAY_PORT}`,
        listener: CLIENT_LISTENER,
        internalListener: INTERNAL_LISTENER,
        internalHostPattern: `*.${INTERNAL_DOMAIN}`,
        metricsPort: GATEWAY_METRICS_PORT,
        broker: { name: BROKER_NAME, ports: BROKER_PORTS },
        issuerUrl: gwSettings.auth?.issuerUrl ?? null,
        /** Audience of the projected ServiceAccount tokens workloads present (TokenReview). */
        workloadAudience: audience,
        callerNamespaces: callers,
        /** CEL: a TokenReview identity from one of the caller namespaces. */
        callerPredicate: callers.length
          ? callers.map((n) => `auth.identity.user.username.startsWith('system:serviceaccount:${n}:')`).join(' || ')
          : 'false',
        backendPingIntervalSeconds: gwSettings.backendPingIntervalSeconds ?? 60,
        rateLimit: { enabled: rate.enabled === true, requests: rate.requests ?? 600, window: rate.window ?? '1m' },
        token: { dir: MCP_TOKEN_DIR, file: MCP_TOKEN_FILE, expirationSeconds: MCP_TOKEN_SECONDS },
      },
      servers,
      byName: Object.fromEntries(servers.map((s) => [s.name, s])),
      manifests,
    },
  };
}

export type McpFacts = ReturnType<typeof deriveMcp>;
