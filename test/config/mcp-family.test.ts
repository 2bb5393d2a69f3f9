/**
 * MCP servers are data (issue #27): a new server type is a catalog entry with `mcpServer`, served
 * by the shared overlays/_shared/mcp-server templates, with no TypeScript change; its port is
 * declared once (the gateway's edge takes it from there) and the catalog check refuses the ways
 * the gateway and a server could disagree.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hashTree } from '../../scripts/lib/fs/tree-hash.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { mcpToolFindings } from '../../scripts/lib/verify/contracts/mcp-tools.ts';
import { join } from 'node:path';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { docs, renderOk, renderTemp, type Obj } from '../helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

const scriptsHash = (): string => {
  const h = createHash('sha256');
  hashTree(h, join(ROOT, 'scripts'), 'scripts');
  return h.digest('hex');
};

/** A fixture server type the tool has no code for (a made-up image: nothing is pulled). */
const SLACK = `name: mcp-slack
description: Slack MCP server (fixture of a server type declared only as data)
layer: mcp
namespace: catalyst-mcp
dependsOn: [mcp-gateway, secret-store]
crds:
  uses: [gateway.networking.k8s.io, mcp.kuadrant.io, external-secrets.io]
source: { type: local, templates: mcp-server }
mcpServer:
  type: slack
  port: 3001
  path: /mcp
  healthPath: /healthz
  container:
    name: slack-mcp
    args: [--transport=http, "--port={port}", "--path={path}"]
    env: [{ name: SLACK_READ_ONLY, value: "true" }]
    credential: { env: SLACK_BOT_TOKEN, property: token }
  tools:
    registry.example.com/slack-mcp:1.0.0:
      source: "fixture"
      tools:
        - { readOnly: true, names: [channels_list, conversations_history] }
defaults:
  image: registry.example.com/slack-mcp:1.0.0
  replicas: 1
  runAsUser: 65532
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 200m, memory: 128Mi }
namespacedResources:
  - { group: "", kind: Service }
  - { group: "", kind: ServiceAccount }
  - { group: apps, kind: Deployment }
  - { group: external-secrets.io, kind: ExternalSecret }
  - { group: gateway.networking.k8s.io, kind: HTTPRoute }
  - { group: mcp.kuadrant.io, kind: MCPServerRegistration }
`;

/** Add the Slack server: its catalog entry, the gateway's edge, and a server in dev only. */
function addSlack(t: TempProject): void {
  t.write('apps/mcp-slack/app.yaml', SLACK);
  t.edit('apps/mcp-gateway/app.yaml', '  - { component: mcp-postgres }\n', '  - { component: mcp-postgres }\n  - { component: mcp-slack }\n');
  t.edit('environments/_base.yaml', '    - name: benchmark\n', '    - { name: slack, type: slack, prefix: slack_, enabled: false }\n    - name: benchmark\n');
  t.edit('environments/dev.yaml', /$(?![\s\S])/, '\nmcp:\n  servers:\n    - { name: slack, enabled: true }\n');
}

describe('a new MCP server is config only', () => {
  it('adds Slack with no file under scripts/ changed, rendered on the shared templates and reachable by the gateway', () => {
    const before = scriptsHash();
    tp = tempProject();
    addSlack(tp);
    const dev = renderOk(tp, 'dev');
    for (const env of ['prod', 'staging']) expect(renderTemp(tp, env).findings.map(formatFinding)).toEqual([]);
    const objs = docs(dev, 'mcp-slack/servers.yaml');
    const reg = objs.find((o) => o.kind === 'MCPServerRegistration')!;
    expect(reg.spec.prefix).toBe('slack_');
    const dep = objs.find((o) => o.kind === 'Deployment')!;
    const c = dep.spec.template.spec.containers[0] as Obj;
    expect(c.image).toBe('registry.example.com/slack-mcp:1.0.0');
    expect(c.args).toEqual(['--transport=http', '--port=3001', '--path=/mcp']);
    expect(c.env).toContainEqual({ name: 'SLACK_BOT_TOKEN', valueFrom: { secretKeyRef: { name: 'mcp-slack-credential', key: 'token' } } });
    expect(c.readinessProbe.httpGet.path).toBe('/healthz');
    const svc = objs.find((o) => o.kind === 'Service')!;
    expect(svc.spec.ports.map((p: Obj) => p.port)).toEqual([3001]);
    const es = objs.find((o) => o.kind === 'ExternalSecret')!;
    expect(es.spec.data[0].remoteRef.property).toBe('token');
    // The gateway's edge took the server's port from its entry: the namespace lets 3001 in.
    expect(dev.plan!.byName.get('mcp-gateway')!.app.talksTo.find((t) => t.component === 'mcp-slack')!.ports).toEqual([3001]);
    // Staging lists the server disabled: the component renders none.
    expect(docs(renderTemp(tp, 'staging'), 'mcp-slack/servers.yaml')).toEqual([]);
    expect(scriptsHash()).toBe(before);
  });

  it('checks an agent\'s Slack tools against the tool list of the entry (CON002, no code for the type)', () => {
    tp = tempProject();
    addSlack(tp);
    tp.edit('environments/dev.yaml', 'mcpServers: [github, jira, search, benchmark]', 'mcpServers: [slack]\n    tools: { slack: [channels_list, chat_post_message] }');
    const out = renderOk(tp, 'dev');
    expect(mcpToolFindings({ plan: out.plan!, objects: [] }).map((f) => f.message)).toEqual([
      'tool "chat_post_message" is not served by MCP server "slack" (registry.example.com/slack-mcp:1.0.0): no such tool (fixture)',
    ]);
  });
});

describe('the gateway and the servers cannot disagree', () => {
  const messages = (t: TempProject): string[] => renderTemp(t, 'dev').findings.map((f) => `${f.file} ${f.path} ${f.message}`);

  it('flags a server the gateway does not list (it could not reach it)', () => {
    tp = tempProject();
    tp.edit('apps/mcp-gateway/app.yaml', '  - { component: mcp-jira }\n', '');
    expect(messages(tp)).toContainEqual(expect.stringMatching(/^apps\/mcp-jira\/app\.yaml \/mcpServer the MCP gateway could not reach mcp-jira: apps\/mcp-gateway\/app\.yaml talksTo must list/));
  });

  it('flags a port stated on an edge towards a server (the server\'s entry is the one place)', () => {
    tp = tempProject();
    tp.edit('apps/mcp-gateway/app.yaml', '  - { component: mcp-jira }', '  - { component: mcp-jira, ports: [9001] }');
    expect(messages(tp)).toContainEqual(expect.stringMatching(/^apps\/mcp-gateway\/app\.yaml \/talksTo\/\d+\/ports mcp-jira is an MCP server: its port is mcpServer\.port in apps\/mcp-jira\/app\.yaml \(9000\)/));
  });

  it('flags an edge without ports towards a component that is no MCP server', () => {
    tp = tempProject();
    tp.edit('apps/mcp-gateway/app.yaml', '  - { component: istiod, ports: [15012] }', '  - { component: istiod }');
    expect(messages(tp)).toContainEqual(expect.stringMatching(/\/talksTo\/\d+ talksTo istiod needs ports/));
  });

  it('flags two components of one type, and an env server of a type no entry runs', () => {
    tp = tempProject();
    tp.edit('apps/mcp-search/app.yaml', '  type: search\n', '  type: jira\n');
    expect(messages(tp)).toContainEqual(expect.stringMatching(/^apps\/mcp-search\/app\.yaml \/mcpServer\/type MCP server type "jira" is already run by apps\/mcp-jira\/app\.yaml/));
    tp.cleanup();
    tp = tempProject();
    tp.edit('environments/_base.yaml', '      type: search\n', '      type: serch\n');
    expect(messages(tp)).toContainEqual(expect.stringMatching(/\/mcp\/servers\/2\/type MCP server "search" has type "serch", which no catalog entry runs .*did you mean "search"/));
  });
});
