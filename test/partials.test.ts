/**
 * Shared partials (overlays/_partials): they see only their parameters, an error inside one is
 * reported at the partial's own file and line, and a component can take its overlay from
 * overlays/_shared/<templates>/ (the four MCP server components share one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileTemplate } from '../scripts/lib/render/handlebars.ts';
import { formatFinding } from '../scripts/lib/findings.ts';
import { tempProject, type TempProject } from './helpers/project.ts';
import { renderTemp } from './helpers/render.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

describe('partials', () => {
  it('report an error inside a partial at the partial\'s line, naming the template that called it', () => {
    tp = tempProject();
    tp.edit('overlays/_partials/external-secret.hbs', '  name: {{json name}}\n', '  name: {{json nmae}}\n');
    const found = renderTemp(tp, 'dev').findings.map(formatFinding);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f).toMatch(/^overlays\/_partials\/external-secret\.hbs:15:\d+ \/ template error: json: the value is undefined .*\(rendering (?:apps\/[^/]+\/)?overlays\/.+\.yaml\.hbs\)$/);
    }
    expect(found.some((f) => f.includes('(rendering apps/webui/overlays/external-secret.yaml.hbs)'))).toBe(true);
  });

  it('report a syntax error in a partial at its file and line', () => {
    tp = tempProject();
    tp.edit('overlays/_partials/restricted-pod-security.hbs', 'runAsNonRoot: true\n', 'runAsNonRoot: {{#if}}\n');
    const found = renderTemp(tp, 'dev').findings.map(formatFinding);
    expect(found).toContainEqual(expect.stringMatching(/^overlays\/_partials\/restricted-pod-security\.hbs:\d+:1 \/ template error: Parse error on line \d+/));
  });

  it('see only the parameters they are given, not the caller\'s names', () => {
    tp = tempProject();
    tp.write('overlays/_partials/probe-scope.hbs', 'given: {{json (default given "none")}}\nleaked: {{json (default component "none")}}\n');
    tp.write('apps/webui/overlays/scope.yaml.hbs', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scope\ndata:\n  {{> probe-scope given="yes"}}\n');
    const out = renderTemp(tp, 'dev');
    expect(out.findings.map(formatFinding)).toEqual([]);
    expect(out.files.get('webui/scope.yaml')).toContain('given: "yes"');
    expect(out.files.get('webui/scope.yaml')).toContain('leaked: none');
  });

  it('source.templates must name a folder of overlays/_shared', () => {
    tp = tempProject();
    tp.edit('apps/mcp-search/app.yaml', 'templates: mcp-server', 'templates: no-such-folder');
    const found = renderTemp(tp, 'dev').findings.map(formatFinding);
    expect(found).toContainEqual(expect.stringMatching(/^apps\/mcp-search\/app\.yaml:\d+:\d+ \/source\/templates overlays\/_shared\/no-such-folder\/ does not exist/));
  });
});

describe('the obj helper', () => {
  it('keeps keys in the order written (key order is output order)', () => {
    expect(compileTemplate('{{json (obj b=1 a=2 c=3)}}')({})).toBe('{"b":1,"a":2,"c":3}');
  });
});
