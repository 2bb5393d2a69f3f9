/**
 * Names that collide in the output (issue 26, class 5): each is refused by validate at its file
 * and line, and the message names the other side's file and line where there is one.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runMain } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { MCP_RESERVED_OBJECT_NAMES, windowsReserved } from '../../scripts/lib/config/rules/collisions.ts';
import { BROKER_NAME, MCP_GATEWAY_CLASS, MCP_GATEWAY_NAME } from '../../scripts/lib/derive/mcp.ts';

let tp: TempProject;
const saved = new Map<string, string | undefined>();
beforeAll(() => {
  tp = tempProject();
});
afterAll(() => tp?.cleanup());
/** Write a project file for one test; afterEach puts it back. */
function put(rel: string, text: string): void {
  if (!saved.has(rel)) saved.set(rel, (() => { try { return tp.read(rel); } catch { return undefined; } })());
  tp.write(rel, text);
}
afterEach(async () => {
  const { rmSync, rmdirSync } = await import('node:fs');
  for (const [rel, text] of saved) {
    if (text === undefined) {
      rmSync(`${tp.root}/${rel}`, { force: true });
      // A component folder made for the test goes too (an empty apps/<name>/ is a finding).
      if (/^apps\/[^/]+\/app\.yaml$/.test(rel)) rmdirSync(`${tp.root}/${rel.slice(0, rel.lastIndexOf('/'))}`);
    }
    else tp.write(rel, text);
  }
  saved.clear();
});

interface F { file: string; line: number; path: string; message: string }
async function findings(): Promise<F[]> {
  const r = await runMain(tp.root, ['validate', '--format', 'json']);
  expect(r.stdout + r.stderr).not.toMatch(/internal error/);
  return (JSON.parse(r.stdout) as { findings: F[] }).findings;
}

function edit(rel: string, change: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(tp.read(rel));
  change(doc);
  put(rel, doc.toString());
}

describe('name collisions', () => {
  it('the reserved MCP names are the ones derive gives the gateway', () => {
    expect(MCP_RESERVED_OBJECT_NAMES.sort()).toEqual([...new Set([MCP_GATEWAY_NAME, BROKER_NAME, `${MCP_GATEWAY_NAME}-${MCP_GATEWAY_CLASS}`])].sort());
    expect(['con', 'NUL', 'aux.yaml', 'com1', 'lpt9'].every(windowsReserved)).toBe(true);
    expect(['console', 'dev', 'com10'].some(windowsReserved)).toBe(false);
  });

  it('an MCP server named like the gateway\'s Istio Deployment', async () => {
    edit('environments/dev.yaml', (d) => d.setIn(['mcp', 'servers'], [{ name: 'gateway-istio', type: 'search', prefix: 'gwi_' }]));
    const f = (await findings()).find((x) => /would name its objects mcp-gateway-istio/.test(x.message));
    expect(f).toMatchObject({ file: 'environments/dev.yaml', path: expect.stringMatching(/^\/mcp\/servers\/\d+\/name$/) });
    expect(f!.line).toBeGreaterThan(0);
  });

  it('a LoRA adapter named like another model, and one listed twice: both sides located', async () => {
    edit('environments/dev.yaml', (d) => d.setIn(['models', 0, 'lora'], { adapters: [{ name: 'qwen3-embedding-0-6b', uri: 'hf://x/y' }] }));
    const across = (await findings()).find((x) => /is also served at/.test(x.message));
    expect(across).toMatchObject({ file: 'environments/dev.yaml', path: '/models/0/lora/adapters/0/name' });
    expect(across!.message).toMatch(/environments\/dev\.yaml:\d+ \(\/models\/1\/name\)/);
    edit('environments/dev.yaml', (d) => d.setIn(['models', 0, 'lora'], { adapters: [{ name: 'sql', uri: 'hf://x/y' }, { name: 'sql', uri: 'hf://x/z' }] }));
    const twice = (await findings()).find((x) => /listed twice/.test(x.message));
    expect(twice).toMatchObject({ file: 'environments/dev.yaml', path: '/models/0/lora/adapters/1/name' });
    expect(twice!.message).toMatch(/first at environments\/dev\.yaml:\d+, \/models\/0\/lora\/adapters\/0\/name/);
  });

  it('one cluster registered from two Argo CD instances: once, at the copy, naming both env files and lines', async () => {
    put('environments/other.yaml', tp.read('environments/prod.yaml').replace(/^name: prod$/m, 'name: other').replace(/instance: central/, 'instance: other-argo').replace(/project: (\S+)/, 'project: catalyst-other').replace(/domain: (\S+)/, 'domain: other.catalyst.example.com'));
    const f = (await findings()).filter((x) => x.path === '/cluster/server');
    expect(f.map((x) => [x.file, x.line])).toEqual([['environments/other.yaml', 7]]);
    expect(f[0]!.message).toMatch(/^cluster https:\/\/prod\.k8s\.catalyst\.example\.com:6443 is registered by environments\/other\.yaml:7 \(Argo CD instance "other-argo"\) and by environments\/prod\.yaml:7 \(Argo CD instance "central"\): two Argo CDs would sync and prune the same cluster/);
    // On one instance the same server is the generic shared-identity error, not this one.
    put('environments/other.yaml', tp.read('environments/other.yaml').replace(/instance: other-argo/, 'instance: central'));
    const same = (await findings()).filter((x) => x.path === '/cluster/server');
    expect(same.map((x) => x.file)).toEqual(['environments/other.yaml']);
    expect(same[0]!.message).toMatch(/both use cluster\.server "https:\/\/prod\.k8s/);
  });

  it('an env named con and a component named apps', async () => {
    put('environments/con.yaml', tp.read('environments/dev.yaml').replace(/^name: dev$/m, 'name: con'));
    expect(await findings()).toContainEqual(expect.objectContaining({ file: 'environments/con.yaml', line: 4, path: '/name', message: expect.stringMatching(/reserved device name on Windows/) }));
    put('apps/apps/app.yaml', tp.read('apps/namespaces/app.yaml').replace(/^name: namespaces$/m, 'name: apps'));
    expect(await findings()).toContainEqual(expect.objectContaining({ file: 'apps/apps/app.yaml', line: 2, path: '/name', message: expect.stringMatching(/collides with generated\/<env>\/apps\//) }));
  });
});
