/**
 * Issue 13 items 5, 6 and the gateway's per-tool authorization:
 * 5. MCP clients discover the authorization server (MCPGatewayExtension oauthProtectedResource,
 *    mcp-gateway v0.9.0 api/v1/mcpgatewayextension_types.go:132-170) at the http URL they call.
 * 6. One rate-limit bucket per caller, counted on both listeners (kuadrant-operator v1.4.2
 *    doc/user-guides/ratelimiting/authenticated-rl-with-jwt-and-k8s-authnz.md).
 * ACL: tools/call is matched on the mcps listener (router rewrites the host), so the tool ACL
 * and an MCPVirtualServer per agent come from agents[].tools.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

const gw = (env: string) => docs(renderFixture(env), 'mcp-gateway/gateway.yaml');
const policies = (env: string, file: string) => docs(renderFixture(env), `mcp-gateway/${file}`);

describe('OAuth protected-resource discovery', () => {
  it('advertises the issuer the AuthPolicy trusts and the http URL of the client listener', () => {
    const objs = gw('prod');
    const ext = objs.find((o) => o.kind === 'MCPGatewayExtension')!;
    const listener = objs.find((o) => o.kind === 'Gateway')!.spec.listeners.find((l: Obj) => l.name === ext.spec.targetRef.sectionName);
    const opr = ext.spec.oauthProtectedResource;
    const auth = policies('prod', 'auth-policy.yaml')[0]!;
    expect(opr.authorizationServers).toEqual([auth.spec.overrides.rules.authentication.sso.jwt.issuerUrl]);
    const url = new URL(opr.resource);
    expect(url.protocol).toBe(listener.protocol === 'HTTPS' ? 'https:' : 'http:');
    expect(`${url.hostname}:${url.port}`).toBe(`${listener.hostname}:${listener.port}`);
    expect(url.pathname).toBe('/mcp');
    expect(opr.scopesSupported).toEqual(['openid', 'profile']);
    const www = auth.spec.overrides.rules.response.unauthenticated.headers['WWW-Authenticate'].value as string;
    expect(www).toBe(`Bearer resource_metadata="${url.origin}/.well-known/oauth-protected-resource/mcp"`);
  });
});

describe('rate limits per caller', () => {
  it('counts every limit by the identity each AuthPolicy exports, on the whole Gateway', () => {
    const rlp = policies('prod', 'rate-limit-policy.yaml')[0]!;
    expect(rlp.spec.targetRef.sectionName).toBeUndefined();
    const limits = Object.values(rlp.spec.defaults.limits) as Obj[];
    expect(limits.length).toBe(2);
    for (const l of limits) expect(l.counters).toEqual([{ expression: 'auth.identity.userid' }]);
    const tool = rlp.spec.defaults.limits['per-caller-tool-calls'];
    expect(tool.rates).toEqual([{ limit: 120, window: '1m' }]);
    const aps = [...policies('prod', 'auth-policy.yaml'), ...policies('prod', 'tool-auth-policy.yaml')];
    expect(aps.map((a) => a.spec.targetRef.sectionName).sort()).toEqual(['mcp', 'mcps']);
    for (const a of aps) {
      const rules = a.spec.overrides.rules;
      expect(rules.response.success.filters.identity.json.properties.userid).toEqual({ selector: 'auth.identity.sub' });
      expect(rules.authentication.workloads.overrides.sub).toEqual({ selector: 'auth.identity.user.username' });
    }
  });
});

describe('per-tool authorization and a virtual server per agent', () => {
  it('lets each agent call exactly its listed tools of its servers', () => {
    const ap = policies('prod', 'tool-auth-policy.yaml')[0]!;
    expect(ap.spec.targetRef).toMatchObject({ kind: 'Gateway', sectionName: 'mcps' });
    const acl = ap.spec.overrides.rules.authorization['tool-access'];
    expect(acl.when).toEqual([{ predicate: "request.headers.exists(h, h == 'x-mcp-toolname')" }]);
    const pred = acl.patternMatching.patterns[0].predicate as string;
    const clause = pred.split(' || (auth.identity.user.username == ').find((c) => c.startsWith("'system:serviceaccount:catalyst-agents:benchmark-analyst'"))!;
    expect(clause).toContain("request.headers['x-mcp-servername'] == 'catalyst-mcp/benchmark' && request.headers['x-mcp-toolname'] in ['list_objects', 'get_object_details', 'execute_sql']");
    expect(clause).not.toContain('catalyst-mcp/github');
  });

  it('renders one MCPVirtualServer per agent with prefixed tools and points the agent at it', () => {
    const vs = policies('prod', 'virtual-servers.yaml');
    expect(vs.map((v) => v.metadata.name)).toEqual(['platform-assistant', 'benchmark-analyst']);
    const analyst = vs[1]!;
    expect(analyst.spec.tools).toEqual(['benchmark_list_objects', 'benchmark_get_object_details', 'benchmark_execute_sql']);
    const regs = ['mcp-github', 'mcp-jira', 'mcp-search', 'mcp-postgres'].flatMap((c) => docs(renderFixture('prod'), `${c}/servers.yaml`)).filter((o) => o.kind === 'MCPServerRegistration');
    for (const t of vs.flatMap((v) => v.spec.tools as string[])) expect(regs.some((r) => t.startsWith(r.spec.prefix)), t).toBe(true);
    const dep = docs(renderFixture('prod'), 'agents/agents.yaml').find((o) => o.kind === 'Deployment' && o.metadata.name === 'benchmark-analyst')!;
    const env = dep.spec.template.spec.containers[0].env as Obj[];
    expect(env.find((e) => e.name === 'MCP_VIRTUAL_SERVER')?.value).toBe('catalyst-mcp/benchmark-analyst');
  });
});
