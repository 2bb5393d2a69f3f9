/**
 * Issue 13 items 1, 2: MCP servers that actually answer tools/call.
 * 1. github-mcp-server (v1.9.0 pkg/utils/token.go) rejects any non-GitHub token, and the gateway
 *    forwards the caller's own Authorization on tools/call (mcp-gateway v0.9.0
 *    internal/routing/router_202511.go:474-499): the server must get its PAT from inside its pod.
 * 2. The Brave image (obot mcp-images brave-search:2.0.75) has ENTRYPOINT nanobot.sh and no CMD.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

function deployment(env: string, component: string, name: string): Obj {
  const d = docs(renderFixture(env), `${component}/servers.yaml`).find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  if (!d) throw new Error(`no Deployment ${name}`);
  return d;
}

describe('GitHub MCP server: tools/call works with the server\'s own PAT', () => {
  for (const env of ['dev', 'prod']) {
    it(`${env}: the Service port is a bridge that calls the server (on the pod IP, where its probes look) with API_ACCESS_TOKEN`, () => {
      const out = renderFixture(env);
      const objs = docs(out, 'mcp-github/servers.yaml');
      const dep = deployment(env, 'mcp-github', 'mcp-github');
      const [server, bridge] = dep.spec.template.spec.containers as Obj[];
      expect(server!.args).toContain('--listen-host=0.0.0.0');
      expect(server!.ports).toBeUndefined();
      const svc = objs.find((o) => o.kind === 'Service')!;
      expect(bridge!.ports[0].containerPort).toBe(svc.spec.ports[0].port);
      expect(bridge!.image).toMatch(/^ghcr\.io\/sparfenyuk\/mcp-proxy:v0\.11\.0$/);
      // The inner client sees the token only with --pass-environment (mcp-proxy v0.11.0 __main__.py:179).
      const sep = bridge!.args.indexOf('--');
      expect(bridge!.args.slice(0, sep)).toContain('--pass-environment');
      expect(bridge!.args.slice(sep + 1)).toEqual(['mcp-proxy', '--transport=streamablehttp', 'http://127.0.0.1:8083/mcp']);
      const token = (bridge!.env as Obj[]).find((e) => e.name === 'API_ACCESS_TOKEN');
      const es = objs.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === token?.valueFrom.secretKeyRef.name);
      expect(es?.spec.data[0]).toMatchObject({ secretKey: token?.valueFrom.secretKeyRef.key, remoteRef: { property: 'token' } });
      // The raw PAT (mcp-proxy adds "Bearer "), and no credentialRef the router would never send on tools/call.
      expect(es?.spec.target.template).toBeUndefined();
      const reg = objs.find((o) => o.kind === 'MCPServerRegistration')!;
      expect(reg.spec.credentialRef).toBeUndefined();
    });
  }
});

describe('Brave search MCP server: a command the image can run', () => {
  it('overrides the nanobot entrypoint with the server binary in HTTP mode', () => {
    const dep = deployment('prod', 'mcp-search', 'mcp-search');
    const c = dep.spec.template.spec.containers[0] as Obj;
    expect(c.command).toEqual(['brave-search-mcp-server']);
    expect(c.args.join(' ')).toBe(`--transport http --host 0.0.0.0 --port ${c.ports[0].containerPort}`);
  });
});
