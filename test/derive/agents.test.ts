/**
 * The agents layer through the real pipeline: BeeAI agents on Kagenti (Deployment, Service,
 * AgentRuntime, AgentCard) serving A2A on 9999, wired to Llama Stack, the MCP gateway and the
 * collector; the Llama Stack UI behind TLS ingress; and the config errors of `agents:` with
 * their file, line and column.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../scripts/lib/paths.ts';
import { runPolicies } from '../../scripts/lib/verify/policy/index.ts';
import { formatFinding, type K8sObject } from '../../scripts/lib/findings.ts';
import { validateObjects } from '../../scripts/lib/verify/schemas/index.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { configFindings, docs, lineAt, renderFixture, renderTemp, type Obj } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

const kinds = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);

const envOf = (c: Obj): Record<string, string> => Object.fromEntries(c.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));

describe('agents: BeeAI agents on Kagenti over A2A', () => {
  it('prod runs its agents, each as Deployment, Service, AgentRuntime and AgentCard with the Kagenti labels', () => {
    const objs = docs(renderFixture('prod'), 'agents/agents.yaml');
    const deps = kinds(objs, 'Deployment');
    expect(deps.map((d) => d.metadata.name)).toEqual(['platform-assistant', 'benchmark-analyst']);
    for (const d of deps) {
      const name = d.metadata.name;
      const labels = d.spec.template.metadata.labels;
      expect(labels).toMatchObject({ 'kagenti.io/type': 'agent', 'protocol.kagenti.io/a2a': '', 'kagenti.io/framework': 'BeeAI' });
      const c = d.spec.template.spec.containers[0];
      expect(c.ports).toEqual([{ name: 'a2a', containerPort: 9999, protocol: 'TCP' }]);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/.well-known/agent-card.json', port: 'a2a' });
      const svc = kinds(objs, 'Service').find((s) => s.metadata.name === name)!;
      expect(svc.spec.ports).toEqual([{ name: 'a2a', port: 9999, targetPort: 'a2a', protocol: 'TCP', appProtocol: 'http' }]);
      const rt = kinds(objs, 'AgentRuntime').find((r) => r.metadata.name === name)!;
      expect(rt.apiVersion).toBe('agent.kagenti.dev/v1alpha1');
      expect(rt.spec).toEqual({ type: 'agent', targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, mtlsMode: 'disabled' });
      const card = kinds(objs, 'AgentCard').find((r) => r.metadata.name === name)!;
      expect(card.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    }
  });

  it('dev runs at least one agent', () => {
    expect(kinds(docs(renderFixture('dev'), 'agents/agents.yaml'), 'Deployment').length).toBeGreaterThan(0);
  });

  it('points each agent at Llama Stack and its model, the MCP gateway and the collector', () => {
    const d = kinds(docs(renderFixture('prod'), 'agents/agents.yaml'), 'Deployment')[0]!;
    const c = d.spec.template.spec.containers[0];
    expect(envOf(c)).toMatchObject({
      PORT: '9999',
      LLM_API_BASE: 'http://llama-stack-service.catalyst-llama-stack.svc.cluster.local:8321/v1',
      LLM_MODEL: 'qwen3-next-80b/RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8',
      MCP_URL: 'http://mcp-gateway-istio.catalyst-mcp.svc.cluster.local:8080/mcp',
      MCP_SERVERS: 'github,jira,search,benchmark',
      MCP_TOOL_PREFIXES: 'github_,jira_,search_,benchmark_',
      MCP_TOKEN_FILE: '/var/run/secrets/catalyst.dev/mcp/token',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.catalyst-observability.svc.cluster.local:4318',
      OTEL_SERVICE_NAME: 'platform-assistant',
    });
    // The gateway token is a projected token for the gateway's audience; no API token is mounted.
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    const vol = d.spec.template.spec.volumes.find((v: Obj) => v.name === 'mcp-token');
    expect(vol.projected.sources).toEqual([{ serviceAccountToken: { audience: 'catalyst-mcp-gateway', expirationSeconds: 3600, path: 'token' } }]);
  });

  it('opens exactly the edges the agents need', () => {
    const pols = docs(renderFixture('prod'), 'namespaces/network-policies.yaml').filter((p) => p.metadata.namespace === 'catalyst-agents');
    const edges = Object.fromEntries(pols.filter((p) => p.metadata.annotations).map((p) => [p.metadata.name, p.metadata.annotations['catalyst.dev/edges']]));
    expect(edges).toEqual({
      'allow-from-catalyst-agents': 'agents -> agents',
      'allow-from-catalyst-benchmarks': 'benchmarks -> agents',
      'allow-from-ingress-nginx': 'ingress controller -> webui',
      'allow-from-kagenti-system': 'kagenti-operator -> agents',
      'allow-to-catalyst-llama-stack': 'agents -> llama-stack; webui -> llama-stack',
      'allow-to-catalyst-mcp': 'agents -> mcp-gateway',
      'allow-to-catalyst-observability': 'agents -> otel-collector',
      'allow-to-catalyst-agents': 'agents -> agents',
    });
    expect(pols.some((p) => p.metadata.name.startsWith('allow-internet-'))).toBe(false);
  });
});

describe('webui: the Llama Stack UI', () => {
  it('talks to the Llama Stack service, behind TLS ingress on the env\'s domain', () => {
    const out = renderFixture('prod');
    const d = docs(out, 'webui/deployment.yaml')[0]!;
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/llamastack/ui:0.7.1');
    expect(envOf(c)).toMatchObject({ LLAMA_STACK_BACKEND_URL: 'http://llama-stack-service.catalyst-llama-stack.svc.cluster.local:8321', PORT: '8322', NEXTAUTH_URL: 'https://webui.catalyst.example.com' });
    const ing = docs(out, 'webui/ingress.yaml')[0]!;
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toEqual([{ hosts: ['webui.catalyst.example.com'], secretName: 'webui-tls' }]);
    expect(ing.spec.rules[0].host).toBe('webui.catalyst.example.com');
    expect(docs(renderFixture('dev'), 'webui/ingress.yaml')[0]!.spec.rules[0].host).toBe('webui.dev.catalyst.example.com');
    // Llama Stack lets the UI's namespace in.
    const lsd = docs(out, 'llama-stack/llama-stack.yaml')[0]!;
    expect(lsd.spec.network.allowedFrom.namespaces).toContain('catalyst-agents');
  });
});

describe('agents and UI posture', () => {
  it('meet every posture rule and the CRD schemas', async () => {
    for (const env of ['dev', 'prod']) {
      const out = renderFixture(env);
      const objs = [...docs(out, 'agents/agents.yaml'), ...docs(out, 'webui/deployment.yaml'), ...docs(out, 'webui/ingress.yaml'), ...docs(out, 'webui/external-secret.yaml')];
      const base = ['serviceaccount.yaml', 'service.yaml'].flatMap((f) => parseAllDocuments(readFileSync(join(ROOT, 'apps', 'webui', 'base', f), 'utf8')).map((d) => d.toJS() as Obj));
      const located = [...objs, ...base].map((obj) => ({ obj: obj as K8sObject, file: 'test', line: 0 }));
      expect(runPolicies({ plan: out.plan!, objects: located }).map(formatFinding), env).toEqual([]);
      expect((await validateObjects(located, { crdSchemaDir: join(ROOT, 'schemas', 'crds') })).map(formatFinding), env).toEqual([]);
    }
  });
});

describe('agents config errors: file, line and column', () => {
  it('an agent naming an unknown model is a config error at the model', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /(name: platform-assistant[\s\S]*?model:) qwen3-8b/, '$1 llama-9000');
    const pos = lineAt(tp.read('environments/dev.yaml'), /model: llama-9000/, 'llama-9000');
    expect(configFindings(tp, 'dev')).toEqual([
      { file: 'environments/dev.yaml', line: pos.line, col: pos.col, path: '/agents/0/model', message: '"llama-9000" is not a model in models: (have: qwen3-8b, qwen3-embedding-0-6b)' },
    ]);
  });

  it('an agent naming an embedding model is a config error', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /(name: platform-assistant[\s\S]*?model:) qwen3-8b/, '$1 qwen3-embedding-0-6b');
    expect(configFindings(tp, 'dev').map((f) => [f.path, f.message])).toEqual([['/agents/0/model', '"qwen3-embedding-0-6b" is an embedding model: it needs an llm model']]);
  });

  it('an agent naming an unknown MCP server is a config error at that name', () => {
    tp = tempProject();
    // No plausible future server (slack, gitlab…): a name no catalog will ever hold.
    tp.edit('environments/dev.yaml', 'mcpServers: [github, jira, search, benchmark]', 'mcpServers: [github, no-such-server-x]');
    const pos = lineAt(tp.read('environments/dev.yaml'), /mcpServers: \[github, no-such-server-x\]/, 'no-such-server-x');
    expect(configFindings(tp, 'dev')).toEqual([
      {
        file: 'environments/dev.yaml',
        line: pos.line,
        col: pos.col,
        path: '/agents/0/mcpServers/1',
        message: '"no-such-server-x" is not an MCP server in mcp.servers (have: github, jira, search, benchmark)',
      },
    ]);
  });

  it('a disabled MCP server an agent names is not an error: it is off in that env, the agent gets the others', () => {
    tp = tempProject();
    tp.edit('environments/_base.yaml', '    - name: jira\n      type: jira\n', '    - name: jira\n      type: jira\n      enabled: false\n');
    tp.edit('environments/dev.yaml', '  mcp-gateway:\n', '  mcp-jira: { enabled: false }\n  mcp-gateway:\n');
    expect(renderTemp(tp, 'dev').findings).toEqual([]);
  });
});
