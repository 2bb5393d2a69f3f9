/**
 * `check` enforces the request-path contracts (scripts/lib/verify/contracts/, docs/CONTRACTS.md):
 * on a fixture env carrying one break of each, it fails with an error at the env file's line for
 * an agent model id without its provider prefix, a tool the pinned MCP server does not serve, a
 * severity routed to nothing and `scaling` without its prerequisites; declaring the
 * prerequisites clears that one. One env (dev), one kustomize build per check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderCommand } from '../../scripts/lib/commands/render.ts';
import { check } from '../helpers/check.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

function project(edit: (t: TempProject) => void): TempProject {
  tp = tempProject({ withGenerated: true });
  edit(tp);
  let err = '';
  const code = renderCommand({ paths: tp.paths, envs: ['dev'], format: 'text', kubeconform: false, out: () => {}, err: (s) => (err += s) });
  if (code !== 0) throw new Error(err);
  return tp;
}

/** The 1-based line of the first line of `file` containing `text`, after the line that contains `after`. */
function lineOf(t: TempProject, file: string, text: string, after = ''): number {
  const lines = t.read(file).split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
}

const BREAKS = (x: TempProject): void => {
  // An agent model id without the provider prefix (set through agents[].env).
  x.edit('environments/dev.yaml', '    mcpServers: [github, jira, search, benchmark]\n', [
    '    mcpServers: [github, jira, search, benchmark]',
    '    env: { LLM_MODEL: Qwen/Qwen3-8B }',
    // A tool github-mcp-server v1.9.0 does not have (it is issue_read).
    '    tools:',
    '      github: [get_issue]',
    '      jira: [jira_search]',
    '      search: [brave_web_search]',
    '      benchmark: [execute_sql]',
    '',
  ].join('\n'));
  // Warning alerts routed to nothing: the one receiver takes critical only.
  x.edit('environments/dev.yaml', 'severities: [critical, warning]', 'severities: [critical]');
  // Autoscaling with no WVA controller or external metrics installed or declared.
  x.edit('environments/dev.yaml', '    gpuMemoryUtilization: 0.5\n', '    gpuMemoryUtilization: 0.5\n    scaling: { minReplicas: 1, maxReplicas: 1, hpa: {} }\n');
};

describe('check: request-path contracts', () => {
  it('reports each broken contract as an error at the env file line that causes it', async () => {
    const t = project(BREAKS);
    const lines = (await check(t.root, ['dev'])).lines;
    const f = 'environments/dev.yaml';
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${f}:${lineOf(t, f, 'LLM_MODEL')}:\\d+ \\[CON001\\] /agents/0/env/LLM_MODEL agent platform-assistant \\(LLM_MODEL\\) asks Llama Stack for model "Qwen/Qwen3-8B".*use "qwen3-8b/Qwen/Qwen3-8B"`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${f}:${lineOf(t, f, 'get_issue')}:\\d+ \\[CON002\\] /agents/0/tools/github/0 tool "get_issue" is not served by MCP server "github" \\(ghcr.io/github/github-mcp-server:v1.9.0\\).*did you mean "issue_read"`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${f}:${lineOf(t, f, '- { name: lab-slack')}:\\d+ \\[CON003\\] .*severity "warning" reach no one`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${f}:${lineOf(t, f, 'scaling:')}:\\d+ \\[CON004\\] /models/0/scaling model "qwen3-8b" uses scaling, which needs the llm-d Workload Variant Autoscaler`)));
    expect(lines).toContainEqual(expect.stringMatching(/\[CON004\] .*external metrics API/));
    expect(lines.filter((l) => l.includes('[CON'))).toHaveLength(5);
  });

  it('accepts scaling once the cluster declares its prerequisites', async () => {
    const t = project((x) => {
      x.edit('environments/dev.yaml', '    gpuMemoryUtilization: 0.5\n', '    gpuMemoryUtilization: 0.5\n    scaling: { minReplicas: 1, maxReplicas: 1, hpa: {} }\n');
      x.edit('environments/dev.yaml', '  storageClass: local-path\n', '  storageClass: local-path\n  prerequisites: [wva-controller, external-metrics]\n');
    });
    expect((await check(t.root, ['dev'])).lines).toEqual([]);
  });
});
