/**
 * Rules for the MCP layer (`mcp:` and the mcp-* components): what the schema cannot express.
 * Each finding points at the key in the env file (or the file it extends, or the catalog).
 */
import { mcpServerConfigs } from '../components.ts';
import { serverTypes, type ServerTypeSpec } from '../mcp-facts.ts';
import { didYouMean } from '../../suggest.ts';
import type { ResolvedEnv } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding, postgresOf } from './types.ts';
import { own } from '../../own.ts';

/** The server types of the catalog (apps/*.yaml mcpServer). */
function typesOf(env: ResolvedEnv): Map<string, ServerTypeSpec> {
  return serverTypes([...env.components.values()].map((c) => c.app));
}

/** Servers that are deployed: listed, not disabled. */
function enabledServers(env: ResolvedEnv): { i: number; s: ReturnType<typeof mcpServerConfigs>[number] }[] {
  return mcpServerConfigs(env.config)
    .map((s, i) => ({ i, s }))
    .filter(({ s }) => s.enabled !== false);
}

/** `host` is one of `hosts` or a subdomain of one. */
export function hostCovered(host: string, hosts: string[]): boolean {
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** Server names and tool prefixes are each used once (names name objects; prefixes route tools). */
export const mcpServersUnique: EnvRule = (env) => {
  const out: Finding[] = [];
  const names = new Map<string, number>();
  const prefixes = new Map<string, number>();
  mcpServerConfigs(env.config).forEach((s, i) => {
    const n = names.get(s.name);
    if (n !== undefined) out.push(finding(env, `/mcp/servers/${i}/name`, `MCP server "${s.name}" is already defined at mcp.servers[${n}]`));
    else names.set(s.name, i);
    const p = prefixes.get(s.prefix);
    if (p !== undefined) out.push(finding(env, `/mcp/servers/${i}/prefix`, `tool prefix "${s.prefix}" is already used by mcp.servers[${p}]: the gateway routes tool calls by prefix`));
    else prefixes.set(s.prefix, i);
  });
  return out;
};

/** An enabled server runs in the component of its type, which must be enabled; an enabled type component needs a listed server. */
export const mcpServerComponents: EnvRule = (env) => {
  const out: Finding[] = [];
  const types = typesOf(env);
  mcpServerConfigs(env.config).forEach((s, i) => {
    if (!types.has(s.type)) out.push(finding(env, `/mcp/servers/${i}/type`, `MCP server "${s.name}" has type "${s.type}", which no catalog entry runs (mcpServer.type of apps/*.yaml: ${[...types.keys()].sort().join(', ') || 'none'})${didYouMean(s.type, types.keys())}`));
  });
  const servers = enabledServers(env);
  for (const { i, s } of servers) {
    const comp = types.get(s.type)?.component;
    if (comp && !env.components.get(comp)?.enabled) {
      out.push(finding(env, `/mcp/servers/${i}/type`, `MCP server "${s.name}" is of type ${s.type}, but components.${comp} is disabled (enable it or set enabled: false on the server)`));
    }
  }
  // A type whose servers are all listed with enabled: false is turned off on purpose (the component renders none).
  const listed = mcpServerConfigs(env.config);
  for (const [type, spec] of types) {
    if (!env.components.get(spec.component)?.enabled) continue;
    if (listed.some((s) => s.type === type)) continue;
    out.push(
      finding(
        env,
        `/components/${spec.component}`,
        `components.${spec.component} is enabled but mcp.servers has no enabled server of type ${type}: list one, or set components.${spec.component}.enabled: false`,
      ),
    );
  }
  return out;
};

/** A server's external API host is one its component may reach (catalog egress). */
export const mcpServerEgress: EnvRule = (env) => {
  const out: Finding[] = [];
  const types = typesOf(env);
  for (const { i, s } of enabledServers(env)) {
    const spec = types.get(s.type);
    const app = spec ? env.components.get(spec.component)?.app : undefined;
    if (!app) continue;
    const checks: [string, string | undefined][] = [
      ['jira/url', s.type === 'jira' ? s.jira?.url : undefined],
      ['github/host', s.type === 'github' ? s.github?.host : undefined],
    ];
    for (const [key, url] of checks) {
      if (!url) continue;
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        continue; // a malformed URL is reported by the URL rule (rules/urls.ts)
      }
      if (!hostCovered(host, app.egress)) {
        out.push(
          finding(
            env,
            `/mcp/servers/${i}/${key}`,
            `${host} is not an egress host of ${app.name} (apps/${app.name}/app.yaml egress: ${app.egress.join(', ') || 'none'}): its pods could not reach it`,
          ),
        );
      }
    }
  }
  return out;
};

/** A PostgreSQL server reads an existing database as a declared, read-only role. */
export const mcpPostgresReadOnly: EnvRule = (env) => {
  const out: Finding[] = [];
  const { databases: dbs, roles } = postgresOf(env);
  for (const { i, s } of enabledServers(env)) {
    if (s.type !== 'postgres' || !s.postgres) continue;
    const { database, role } = s.postgres;
    if (!own(dbs, database)) {
      out.push(finding(env, `/mcp/servers/${i}/postgres/database`, `"${database}" is not a database in components.postgres.databases (have: ${Object.keys(dbs).join(', ') || 'none'})`));
    }
    const r = own(roles, role);
    if (!r) {
      out.push(finding(env, `/mcp/servers/${i}/postgres/role`, `role "${role}" is not in components.postgres.roles (have: ${Object.keys(roles).join(', ') || 'none'})`));
      continue;
    }
    if (!(r.readOn ?? []).includes(database)) {
      out.push(finding(env, `/mcp/servers/${i}/postgres/role`, `role "${role}" must list "${database}" in its readOn (components.postgres.roles): the MCP server only reads that database`));
    }
    const owned = Object.entries(dbs).filter(([, d]) => d.owner === role).map(([k]) => k);
    if (owned.length) {
      out.push(finding(env, `/mcp/servers/${i}/postgres/role`, `role "${role}" owns ${owned.join(', ')}: the MCP server must log in with a read-only role`));
    }
  }
  return out;
};

export const MCP_RULES: EnvRule[] = [mcpServersUnique, mcpServerComponents, mcpServerEgress, mcpPostgresReadOnly];
