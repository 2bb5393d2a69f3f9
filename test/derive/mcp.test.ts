/**
 * The MCP layer through the real pipeline: the gateway instance (Gateway, MCPGatewayExtension,
 * AuthPolicy, RateLimitPolicy), one Deployment + Service + HTTPRoute + MCPServerRegistration per
 * server of `mcp.servers`, credentials from ExternalSecrets, network edges and posture, the feed
 * of Llama Stack's MCP tool groups, and the rules with their file:line:col.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serverTypes } from '../../scripts/lib/config/mcp-facts.ts';
import { gatewayUrl } from '../../scripts/lib/derive/mcp.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { runPolicies } from '../../scripts/lib/verify/policy/index.ts';
import { loadProject, renderOne, type EnvOutput } from '../../scripts/lib/render/environment.ts';
import { formatFinding, type K8sObject } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { configFindings, docs, fixtureProject, renderFixture, type Obj } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});


function kinds(objs: Obj[], kind: string): Obj[] {
  return objs.filter((o) => o.kind === kind);
}

/** The server types of the fixture project's catalog (apps/*.yaml mcpServer). */
const typesOf = (out: EnvOutput) => serverTypes([...out.plan!.env.components.values()].map((c) => c.app));

function serverObjects(out: EnvOutput): Obj[] {
  return [...typesOf(out).values()].flatMap((t) => docs(out, `${t.component}/servers.yaml`));
}


describe('MCP servers: one set of objects per entry of mcp.servers', () => {
  it('prod deploys all four servers, each with Deployment, Service, HTTPRoute and MCPServerRegistration', () => {
    const out = renderFixture('prod');
    const objs = serverObjects(out);
    const regs = kinds(objs, 'MCPServerRegistration');
    // Components in catalog order (apps/mcp-*.yaml): github, jira, postgres (benchmark), search.
    expect(regs.map((r) => [r.metadata.name, r.spec.prefix])).toEqual([
      ['github', 'github_'],
      ['jira', 'jira_'],
      ['benchmark', 'benchmark_'],
      ['search', 'search_'],
    ]);
    for (const r of regs) {
      expect(r.apiVersion).toBe('mcp.kuadrant.io/v1');
      expect(r.metadata.namespace).toBe('catalyst-mcp');
      const route = kinds(objs, 'HTTPRoute').find((h) => h.metadata.name === r.spec.targetRef.name)!;
      expect(route.spec.parentRefs).toEqual([
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'mcp-gateway', namespace: 'catalyst-mcp', sectionName: 'mcps' },
      ]);
      expect(route.spec.hostnames).toEqual([`${r.metadata.name}.mcp.local`]);
      const backend = route.spec.rules[0].backendRefs[0];
      const svc = kinds(objs, 'Service').find((s) => s.metadata.name === backend.name)!;
      expect(svc.spec.ports[0].port).toBe(backend.port);
      const dep = kinds(objs, 'Deployment').find((d) => d.metadata.name === backend.name)!;
      const ports = dep.spec.template.spec.containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.containerPort));
      expect(ports).toContain(backend.port);
    }
  });

  it('dev deploys at least one server', () => {
    expect(kinds(serverObjects(renderFixture('dev')), 'MCPServerRegistration').length).toBeGreaterThan(0);
  });

  it('runs each server in the HTTP mode its image documents, with probes on its health endpoint', () => {
    const objs = serverObjects(renderFixture('prod'));
    const container = (name: string, c = 0): Obj => kinds(objs, 'Deployment').find((d) => d.metadata.name === `mcp-${name}`)!.spec.template.spec.containers[c];
    const env = (c: Obj) => Object.fromEntries(c.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));
    const gh = container('github');
    expect(gh.image).toBe('ghcr.io/github/github-mcp-server:v1.9.0');
    expect(gh.args.slice(0, 2)).toEqual(['http', '--port=8083']);
    expect(gh.args).toContain('--read-only');
    expect(env(gh)).toMatchObject({ GITHUB_TOOLSETS: 'repos,issues,pull_requests,actions', GITHUB_READ_ONLY: '1' });
    const jira = container('jira');
    expect(jira.args).toEqual(['--transport=streamable-http', '--stateless', '--host=0.0.0.0', '--port=9000']);
    expect(env(jira)).toMatchObject({ JIRA_URL: 'https://catalyst-lab.atlassian.net', JIRA_USERNAME: 'catalyst-bot@catalyst.example.com', READ_ONLY_MODE: 'true' });
    expect(jira.readinessProbe.httpGet.path).toBe('/healthz');
    const search = container('search');
    expect(search.image).not.toMatch(/:latest$/);
    expect(env(search)).toMatchObject({ BRAVE_MCP_TRANSPORT: 'http', BRAVE_MCP_HOST: '0.0.0.0', BRAVE_MCP_PORT: '8080' });
    expect(search.livenessProbe.httpGet.path).toBe('/ping');
    const pg = container('benchmark');
    expect(pg.args).toContain('--access-mode=restricted');
    expect(env(pg).DATABASE_URI).toBe('postgresql://benchmark_reader@catalyst-pg-ro.catalyst-data.svc.cluster.local:5432/benchmarks?sslmode=require');
    // The bridge serves postgres-mcp's SSE endpoint as streamable HTTP on the registered port.
    const bridge = container('benchmark', 1);
    expect(bridge.args).toEqual(['--host=0.0.0.0', '--port=8080', '--', 'mcp-proxy', 'http://127.0.0.1:8000/sse']);
    for (const d of kinds(objs, 'Deployment')) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.readinessProbe, `${d.metadata.name}/${c.name}`).toBeDefined();
        expect(c.livenessProbe, `${d.metadata.name}/${c.name}`).toBeDefined();
      }
    }
  });

  it('takes credentials from ExternalSecrets (the GitHub PAT for its credential bridge)', () => {
    const objs = serverObjects(renderFixture('prod'));
    expect(kinds(objs, 'Secret')).toEqual([]);
    const es = kinds(objs, 'ExternalSecret').find((e) => e.metadata.name === 'mcp-github-pat')!;
    expect(es.spec.data).toEqual([{ secretKey: 'pat', remoteRef: { key: 'catalyst/prod/mcp/github', property: 'token' } }]);
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'catalyst-vault' });
    // The PostgreSQL server logs in as the read-only role, with the secret LAYERS.md prescribes.
    const pg = kinds(objs, 'ExternalSecret').find((e) => e.metadata.name === 'postgres-benchmark-reader')!;
    expect(pg.spec.target.template).toMatchObject({ type: 'kubernetes.io/basic-auth', data: { username: 'benchmark_reader' } });
    expect(pg.spec.data[0].remoteRef).toEqual({ key: 'catalyst/prod/postgres/benchmark_reader', property: 'password' });
    // Credentials exist before the registrations that need them.
    for (const e of kinds(objs, 'ExternalSecret')) expect(e.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  it('adds the read-only role benchmark_reader to PostgreSQL', () => {
    const cluster = parse(renderFixture('prod').files.get('postgres/patch-cluster.yaml')!) as Obj;
    const role = cluster.spec.managed.roles.find((r: Obj) => r.name === 'benchmark_reader');
    expect(role).toMatchObject({ passwordSecret: { name: 'postgres-benchmark-reader' } });
    expect(role.inRoles).toBeUndefined();
  });

  it('renders one shared overlay in every server component', () => {
    const { catalog } = fixtureProject().project; // the real apps/, with the fixture environments
    const components = [...serverTypes(catalog.values()).values()].map((t) => t.component);
    expect(components).toHaveLength(4);
    for (const c of components) {
      expect(catalog.get(c)!.source).toEqual({ type: 'local', templates: 'mcp-server' });
      expect(existsSync(join(ROOT, 'overlays', c))).toBe(false);
    }
    expect(existsSync(join(ROOT, 'overlays/_shared/mcp-server/servers.yaml.hbs'))).toBe(true);
  });
});

describe('the MCP gateway instance', () => {
  it('has a Gateway with the MCP listener, the extension on it, and an AuthPolicy with the env\'s issuer', () => {
    const out = renderFixture('prod');
    const gw = kinds(docs(out, 'mcp-gateway/gateway.yaml'), 'Gateway')[0]!;
    expect(gw.spec.gatewayClassName).toBe('istio');
    expect(gw.spec.listeners.map((l: Obj) => [l.name, l.hostname, l.port])).toEqual([
      ['mcp', 'mcp-gateway-istio.catalyst-mcp.svc.cluster.local', 8080],
      ['mcps', '*.mcp.local', 8080],
    ]);
    const ext = kinds(docs(out, 'mcp-gateway/gateway.yaml'), 'MCPGatewayExtension')[0]!;
    expect(ext.apiVersion).toBe('mcp.kuadrant.io/v1');
    expect(ext.spec.targetRef).toMatchObject({ kind: 'Gateway', name: 'mcp-gateway', sectionName: 'mcp' });
    const auth = docs(out, 'mcp-gateway/auth-policy.yaml')[0]!;
    expect(auth.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'mcp-gateway', sectionName: 'mcp' });
    const authn = auth.spec.overrides.rules.authentication;
    expect(authn.sso.jwt.issuerUrl).toBe('https://sso.catalyst.example.com/realms/catalyst');
    expect(authn.workloads.kubernetesTokenReview.audiences).toEqual(['catalyst-mcp-gateway']);
    // No anonymous method anywhere: every request needs a token.
    expect(JSON.stringify(auth)).not.toContain('anonymous');
    expect(auth.spec.overrides.rules.authorization['caller-namespaces'].patternMatching.patterns[0].predicate).toBe(
      "auth.identity.user.username.startsWith('system:serviceaccount:catalyst-agents:') || auth.identity.user.username.startsWith('system:serviceaccount:catalyst-benchmarks:') || auth.identity.user.username.startsWith('system:serviceaccount:catalyst-llama-stack:')",
    );
    expect(kinds(docs(renderFixture('dev'), 'mcp-gateway/auth-policy.yaml'), 'AuthPolicy')[0]!.spec.overrides.rules.authentication.sso.jwt.issuerUrl).toBe(
      'https://sso.dev.catalyst.example.com/realms/catalyst',
    );
  });

  it('has a RateLimitPolicy unless the env turns it off', () => {
    expect(docs(renderFixture('prod'), 'mcp-gateway/rate-limit-policy.yaml')[0]!.spec.defaults.limits['per-caller'].rates).toEqual([{ limit: 600, window: '1m' }]);
    tp = tempProject();
    tp.edit('environments/prod.yaml', '    rateLimit: { requests: 600, window: 1m, toolCalls: { requests: 120, window: 1m } }', '    rateLimit: { enabled: false }');
    const out = renderOne(loadProject(tp.paths), 'prod');
    expect(out.findings).toEqual([]);
    expect(out.files.has('mcp-gateway/rate-limit-policy.yaml')).toBe(false);
  });

  it('requires an issuer for the AuthPolicy, with file and line', () => {
    tp = tempProject();
    tp.edit('environments/staging.yaml', '    auth: { issuerUrl: "https://sso.staging.catalyst.example.com/realms/catalyst" }\n', '');
    const f = configFindings(tp, 'staging');
    // The auth mapping itself comes from the catalog defaults (its audience): that is where it points.
    expect(f.map((x) => [x.file, x.path, x.message])).toEqual([['apps/mcp-gateway/app.yaml', '/components/mcp-gateway/auth', 'is missing required key "issuerUrl"']]);
  });

  it('syncs after the controller and Kuadrant, the servers after the gateway', () => {
    const plan = renderFixture('prod').plan!;
    const wave = (n: string) => plan.byName.get(n)!.wave;
    for (const dep of ['mcp-gateway-operator', 'kuadrant', 'istiod']) expect(wave('mcp-gateway')).toBeGreaterThan(wave(dep));
    for (const { component: c } of typesOf(renderFixture('prod')).values()) expect(wave(c)).toBeGreaterThan(wave('mcp-gateway'));
  });
});

describe('Llama Stack reads the MCP servers from the env', () => {
  it('gets one MCP connector for the servers behind the gateway URL, not one per server listing them all (Llama Stack 0.7.1 connectors)', () => {
    const cm = docs(renderFixture('prod'), 'llama-stack/config.yaml')[0]!;
    const connectors = (parse(cm.data['config.yaml']) as Obj).connectors;
    const url = gatewayUrl('catalyst-mcp');
    expect(connectors).toEqual([{ connector_type: 'mcp', connector_id: 'mcp-gateway', url, server_label: 'mcp-gateway' }]);
  });

  it('a disabled server is neither deployed nor offered', () => {
    tp = tempProject();
    tp.edit('environments/_base.yaml', '    - name: jira\n      type: jira\n', '    - name: jira\n      type: jira\n      enabled: false\n');
    tp.edit('environments/prod.yaml', '  mcp-gateway:\n', '  mcp-jira: { enabled: false }\n  mcp-gateway:\n');
    tp.edit('environments/prod.yaml', 'mcpServers: [github, jira, search, benchmark]', 'mcpServers: [github, search, benchmark]');
    tp.edit('environments/prod.yaml', '      jira: [jira_get_issue, jira_search]\n', '');
    const out = renderOne(loadProject(tp.paths), 'prod');
    expect(out.findings).toEqual([]);
    expect(out.files.has('apps/mcp-jira.yaml')).toBe(false);
    const cm = docs(out, 'llama-stack/config.yaml')[0]!;
    const ids = (parse(cm.data['config.yaml']) as Obj).connectors.map((g: Obj) => g.connector_id);
    expect(ids).not.toContain('jira');
  });
});

describe('MCP network edges and posture', () => {
  it('lets the gateway reach every server on the port its container listens on', () => {
    const out = renderFixture('prod');
    const gw = out.plan!.byName.get('mcp-gateway')!.app;
    const types = typesOf(out);
    expect(types.size).toBe(4);
    for (const [type, spec] of types) {
      const edge = gw.talksTo.find((t) => t.component === spec.component);
      expect(edge?.ports, type).toEqual([spec.port]);
    }
  });

  it('gives internet egress to each server\'s own pods only, for its own API', () => {
    const pols = docs(renderFixture('prod'), 'namespaces/network-policies.yaml').filter((p) => p.metadata.namespace === 'catalyst-mcp' && p.metadata.name.startsWith('allow-internet-'));
    expect(pols.map((p) => [p.metadata.name, p.spec.podSelector.matchLabels['catalyst.dev/component'], p.metadata.annotations['catalyst.dev/edges']])).toEqual([
      ['allow-internet-mcp-gateway', 'mcp-gateway', 'mcp-gateway calls quay.io, cdn01.quay.io, cdn02.quay.io, cdn03.quay.io'],
      ['allow-internet-mcp-github', 'mcp-github', 'mcp-github calls api.github.com, raw.githubusercontent.com'],
      ['allow-internet-mcp-jira', 'mcp-jira', 'mcp-jira calls atlassian.net'],
      ['allow-internet-mcp-search', 'mcp-search', 'mcp-search calls api.search.brave.com'],
    ]);
    // The benchmark server reaches PostgreSQL and nothing outside the cluster.
    const egress = docs(renderFixture('prod'), 'namespaces/network-policies.yaml').find((p) => p.metadata.namespace === 'catalyst-mcp' && p.metadata.name === 'allow-to-catalyst-data')!;
    expect(egress.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  it('meets every posture rule and the CRD schemas', async () => {
    const out = renderFixture('prod');
    const objs: K8sObject[] = [...serverObjects(out), ...docs(out, 'mcp-gateway/gateway.yaml'), ...docs(out, 'mcp-gateway/auth-policy.yaml'), ...docs(out, 'mcp-gateway/rate-limit-policy.yaml')] as K8sObject[];
    const located = objs.map((obj) => ({ obj, file: 'test', line: 0 }));
    expect(runPolicies({ plan: out.plan!, objects: located }).map(formatFinding)).toEqual([]);
    expect((await validateObjects(located, { crdSchemaDir: join(ROOT, 'schemas', 'crds') })).map(formatFinding)).toEqual([]);
  });
});

