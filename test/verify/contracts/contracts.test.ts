/**
 * The request-path contracts (scripts/lib/verify/contracts/) on the fixture envs' rendered
 * objects, in process: they hold on dev, staging and prod; each reports a break of the rendered
 * output (not only of the env file) at the generated file's line; the Alertmanager routing model
 * follows dispatch/route.go; the tool lists apply GitHub toolsets and read-only mode.
 * The errors `check` reports at the env file's line: test/commands/check-contracts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { EnvOutput } from '../../../scripts/lib/render/environment.ts';
import { objectsOfFile, type LocatedObject } from '../../../scripts/lib/verify/hydration/collect.ts';
import { contractFindings, effectiveAlertmanagerConfig, receiversFor, toolList, servedModels, severityRoutes, unguardedHeaders } from '../../../scripts/lib/verify/contracts/index.ts';
import { servedTools } from '../../../scripts/lib/verify/contracts/mcp-tools.ts';
import { serverTypes } from '../../../scripts/lib/config/mcp-facts.ts';
import { formatFinding, type K8sObject } from '../../../scripts/lib/findings.ts';
import { renderFixture, type Obj } from '../../helpers/render.ts';

/** Every object of an env's rendered files, located (no kustomize: the overlays as rendered). */
function objects(out: EnvOutput): LocatedObject[] {
  return [...out.files].filter(([p]) => p.endsWith('.yaml') && !p.endsWith('kustomization.yaml')).flatMap(([p, t]) => objectsOfFile(`generated/${out.env}/${p}`, t));
}

/** The objects with one object replaced by an edited deep copy. */
function edited(list: LocatedObject[], pick: (o: K8sObject) => boolean, edit: (o: Obj) => void): LocatedObject[] {
  return list.map((o) => {
    if (!pick(o.obj)) return o;
    const copy = structuredClone(o.obj) as Obj;
    edit(copy);
    return { obj: copy as K8sObject, file: o.file, line: o.line, src: o.src };
  });
}

const run = (env: string, list?: LocatedObject[]) => {
  const out = renderFixture(env);
  return contractFindings({ plan: out.plan!, objects: list ?? objects(out) });
};

describe('request-path contracts on the fixture envs', () => {
  it.each(['dev', 'staging', 'prod'])('%s keeps every contract', (env) => {
    expect(run(env).map(formatFinding)).toEqual([]);
  });

  it('reads the model ids from the rendered Llama Stack providers: <provider_id>/<provider_model_id>', () => {
    const served = servedModels(objects(renderFixture('prod')))!;
    expect([...served.ids].sort()).toEqual([
      'gpt-oss-20b/RedHatAI/gpt-oss-20b',
      'qwen3-embedding-8b/Qwen/Qwen3-Embedding-8B',
      'qwen3-next-80b/RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8',
    ]);
  });
});

describe('CON001 model ids', () => {
  const isAgent = (o: K8sObject) => o.kind === 'Deployment' && o.metadata.name === 'platform-assistant';

  it('reports a rendered agent that sends the served name, at the generated line of the value', () => {
    const out = renderFixture('prod');
    const list = edited(objects(out), isAgent, (d) => {
      const e = d.spec.template.spec.containers[0].env.find((x: Obj) => x.name === 'OPENAI_CHAT_MODEL');
      e.value = 'RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8';
    });
    const f = run('prod', list);
    const text = out.files.get('agents/agents.yaml')!.split('\n');
    const line = text.findIndex((l) => l.includes('- name: OPENAI_CHAT_MODEL')) + 2;
    expect(f.map(formatFinding)).toEqual([
      expect.stringMatching(new RegExp(`^generated/prod/agents/agents\\.yaml:${line}:\\d+ Deployment/platform-assistant \\[CON001\\] .*"RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8".*use "qwen3-next-80b/RedHatAI/Qwen3-Next-80B-A3B-Instruct-FP8"`)),
    ]);
  });

  it('reports GuideLLM sending a Llama Stack id straight to vLLM (vLLM knows only its served name)', () => {
    const list = edited(objects(renderFixture('prod')), (o) => o.kind === 'Job' && o.metadata.labels?.['catalyst.dev/benchmark-kind'] === 'guidellm', (j) => {
      const c = [...(j.spec.template.spec.initContainers ?? []), ...j.spec.template.spec.containers].find((x: Obj) => x.name === 'guidellm');
      c.command = c.command.map((a: string) => a.replace('model=RedHatAI/', 'model=qwen3-next-80b/RedHatAI/'));
    });
    expect(run('prod', list).map((x) => x.message)).toEqual([expect.stringMatching(/calls vLLM at .* directly with model "qwen3-next-80b\/RedHatAI\/Qwen3-Next-80B-A3B-Instruct-FP8": vLLM serves only "RedHatAI\/Qwen3-Next-80B-A3B-Instruct-FP8"/)]);
  });
});

describe('CON002 tool lists', () => {
  const types = () => serverTypes([...renderFixture('prod').plan!.env.components.values()].map((c) => c.app));
  const gh = () => toolList(types().get('github')!.tools!['ghcr.io/github/github-mcp-server:v1.9.0']!);

  it('serves the tools of the enabled toolsets only, and only read tools in read-only mode', () => {
    const s = servedTools({ name: 'github', type: 'github', prefix: 'github_', github: { toolsets: ['repos'], readOnly: true } }, gh());
    expect(s.names.has('get_file_contents')).toBe(true);
    expect(s.names.has('issue_read')).toBe(false);
    expect(s.why('issue_read')).toMatch(/toolset "issues" is not in GITHUB_TOOLSETS \(repos\)/);
    expect(s.names.has('create_branch')).toBe(false);
    expect(s.why('create_branch')).toMatch(/writes, and the server runs read-only/);
    expect(s.why('get_issue')).toBe('no such tool');
    const all = servedTools({ name: 'github', type: 'github', prefix: 'github_', github: { toolsets: ['default'], readOnly: false } }, gh());
    expect(all.names.has('issue_write')).toBe(true);
    expect(all.names.has('actions_list')).toBe(false);
  });

  it('has a list for every MCP server image the catalog pins', () => {
    const t = types();
    expect(t.size).toBe(4);
    for (const spec of t.values()) {
      const image = String(renderFixture('prod').plan!.env.components.get(spec.component)!.settings.image);
      expect(spec.tools?.[image], image).toBeDefined();
    }
  });
});

describe('CON003 Alertmanager routing (alertmanager@v0.34.0 dispatch/route.go)', () => {
  it('sends everything to "null" with the chart defaults, Watchdog included', () => {
    expect(severityRoutes(undefined).map((r) => [r.severity, r.receivers, r.notified])).toEqual([
      ['critical', ['null'], []],
      ['warning', ['null'], []],
      ['info', ['null'], []],
    ]);
  });

  it('stops at the first matching child unless it continues; a child without a receiver inherits its parent\'s', () => {
    const route = {
      receiver: 'root',
      routes: [
        { receiver: 'a', matchers: ['severity =~ "critical|warning"'], continue: true },
        { matchers: ['severity = critical'] },
        { receiver: 'b', matchers: ['severity="critical"'] },
        { receiver: 'c', match: { severity: 'warning' } },
      ],
    };
    expect(receiversFor(route, { severity: 'critical' })).toEqual(['a', 'root']);
    expect(receiversFor(route, { severity: 'warning' })).toEqual(['a', 'c']);
    expect(receiversFor(route, { severity: 'info' })).toEqual(['root']);
  });

  it('merges the values over the chart default as Helm does: inhibit rules stay, routes and receivers are replaced', () => {
    const cfg = effectiveAlertmanagerConfig({ alertmanager: { config: { route: { receiver: 'x', routes: [] }, receivers: [{ name: 'x', slack_configs: [{}] }] } } });
    expect((cfg.inhibit_rules as unknown[]).length).toBe(4);
    expect(cfg.route).toMatchObject({ receiver: 'x', routes: [], group_by: ['namespace'] });
    expect(severityRoutes({ alertmanager: { config: { route: { receiver: 'x', routes: [] }, receivers: [{ name: 'x', slack_configs: [{}] }] } } })[0]!.notified).toEqual(['x']);
  });
});

describe('CON005 header guards (wasm-shim v0.12.1 skips the whole rate-limit task on a predicate error)', () => {
  it('the tools/call limit of the rendered RateLimitPolicy tests x-mcp-method before reading it', () => {
    const rlp = objects(renderFixture('prod')).find((o) => o.obj.kind === 'RateLimitPolicy')!;
    const when = (rlp.obj.spec as Obj).defaults.limits['per-caller-tool-calls'].when[0].predicate as string;
    expect(unguardedHeaders(when)).toEqual([]);
    expect(when).toContain("request.headers['x-mcp-method'] == 'tools/call'");
  });

  it('finds a header read without its guard, and reports it at the rendered line', () => {
    expect(unguardedHeaders("request.headers['x-mcp-method'] == 'tools/call'")).toEqual(['x-mcp-method']);
    expect(unguardedHeaders(`"x-a" in request.headers && request.headers["x-a"] == '1' && request.headers['x-b'] == '2'`)).toEqual(['x-b']);
    const list = edited(objects(renderFixture('prod')), (o) => o.kind === 'RateLimitPolicy', (p) => {
      p.spec.defaults.limits['per-caller-tool-calls'].when[0].predicate = "request.headers['x-mcp-method'] == 'tools/call'";
    });
    expect(run('prod', list).map(formatFinding)).toEqual([
      expect.stringMatching(/^generated\/prod\/mcp-gateway\/rate-limit-policy\.yaml:\d+:\d+ RateLimitPolicy\/mcp-gateway-ratelimit \[CON005\] \/spec\/defaults\/limits\/per-caller-tool-calls\/when\/0\/predicate .*"x-mcp-method"/),
    ]);
  });
});
