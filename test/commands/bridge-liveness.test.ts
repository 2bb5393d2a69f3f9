/**
 * The MCP bridges' liveness probe (derive/mcp-servers.ts bridgeLivenessCommand) run by a real
 * Python against a stand-in of the bridge's streamable HTTP endpoint: it passes while a
 * tools/list round trip works, and fails (so the kubelet restarts the bridge) once calls fail
 * while the port still answers, as mcp-proxy v0.11.0 does after the server behind it restarted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeLivenessCommand } from '../../scripts/lib/derive/mcp-servers.ts';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
let server: Server | undefined;
afterEach(() => server?.close());

/** A stand-in bridge: MCP over streamable HTTP on /mcp; `broken` answers tools/list with 500. */
async function bridge(broken: boolean): Promise<{ port: number; deleted: string[] }> {
  const deleted: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'DELETE') {
        deleted.push(String(req.headers['mcp-session-id']));
        return res.writeHead(200).end();
      }
      const msg = JSON.parse(body) as { id?: number; method: string };
      if (msg.method === 'initialize') return res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Mcp-Session-Id': 's1' }).end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: '2025-03-26', capabilities: {}, serverInfo: { name: 'x', version: '1' } } })}\n\n`);
      if (msg.id === undefined) return res.writeHead(202).end();
      if (broken) return res.writeHead(500).end('Internal Server Error');
      return res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { tools: [{ name: 'execute_sql' }] } })}\n\n`);
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as AddressInfo).port, deleted };
}

function probe(port: number): Promise<number | null> {
  const [, ...args] = bridgeLivenessCommand(port, '/mcp');
  return new Promise((ok) => spawn(python!, args, { stdio: 'ignore' }).on('exit', (code) => ok(code)));
}

describe.skipIf(!python)('MCP bridge liveness probe', () => {
  it('passes on a working round trip and ends its session', async () => {
    const b = await bridge(false);
    expect(await probe(b.port)).toBe(0);
    expect(b.deleted).toEqual(['s1']);
  });

  it('fails when the port answers but calls through the bridge fail', async () => {
    const b = await bridge(true);
    expect(await probe(b.port)).not.toBe(0);
  });
});

describe('the rendered bridges', () => {
  it('probe liveness through the bridge (GitHub and PostgreSQL), not only its port', () => {
    const out = renderFixture('prod');
    for (const file of ['mcp-github/servers.yaml', 'mcp-postgres/servers.yaml']) {
      const d = docs(out, file).find((o) => o.kind === 'Deployment')!;
      const c = d.spec.template.spec.containers.find((x: Obj) => x.name === 'mcp-bridge');
      const port = c.ports[0].containerPort as number;
      expect(c.livenessProbe.exec.command, file).toEqual(bridgeLivenessCommand(port, '/mcp'));
    }
  });
});
