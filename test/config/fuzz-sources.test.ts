/**
 * Property-based, for what comes from outside the repository (issue 26): mutated cache entries,
 * chart archives and git source trees never crash the tool and never steer it.
 * - a cache entry with any bytes changed, cut or added reads back as exactly what was written or
 *   as a miss, never as something else and never as an exception (cache-entry.ts);
 * - a chart archive with bytes changed unpacks or fails with an Error (chart-archive.ts), and a
 *   gzip bomb stops at the size limit;
 * - a git source tree of random kustomizations, manifests (alias bombs, bad YAML) and links
 *   hydrates, is refused with findings at its paths, or fails with a SourceInputError/ToolError;
 *   a listener on 127.0.0.1 that every remote reference names records no connection.
 * Short in `npm test`; `npm run fuzz` (CATALYST_FUZZ=long) runs 25 times as many with its own seed.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEntry, writeEntry } from '../../scripts/lib/cache-entry.ts';
import { untarGz, MAX_CHART_BYTES } from '../../scripts/lib/verify/hydration/chart-archive.ts';
import { hydrateGitSource } from '../../scripts/lib/verify/hydration/argocd-source/git-source.ts';
import { SourceInputError } from '../../scripts/lib/verify/hydration/argocd-source/hydrated.ts';
import { ToolError } from '../../scripts/lib/tools/run-tool.ts';

const LONG = process.env.CATALYST_FUZZ === 'long';
const SEED = LONG ? 20_261_208 : 20_261_207;
const SCALE = LONG ? 25 : 1;
if (LONG) vi.setConfig({ testTimeout: 3_600_000 });
const RUNS = { cache: 200 * SCALE, chart: 100 * SCALE, git: 25 * SCALE };

let dir: string;
let server: Server;
let port = 0;
let connections = 0;
const stats = { cache: 0, chart: 0, git: 0, refused: 0 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-fuzz-src-'));
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  console.log(`fuzz sources (seed ${SEED}): ${stats.cache} cache entries, ${stats.chart} chart archives, ${stats.git} git trees (${stats.refused} refused); ${connections} connection(s)`);
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** A byte-level mutation: flip, cut, append, or overwrite a span. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ op: fc.constant('write' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(b: Buffer, ms: Mutation[]): Buffer {
  let out = Buffer.from(b);
  for (const m of ms) {
    if (m.op === 'flip' && out.length) out[m.at % out.length]! ^= 1 << m.bit;
    if (m.op === 'cut') out = out.subarray(0, m.at % (out.length + 1));
    if (m.op === 'append') out = Buffer.concat([out, m.bytes]);
    if (m.op === 'write' && out.length) {
      const at = m.at % out.length;
      out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(Math.min(out.length, at + m.bytes.length))]);
    }
  }
  return out;
}

/** A minimal ustar record of one file. */
function tarFile(name: string, body: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124);
  h.write('0', 156);
  h.write('ustar\0', 257);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([h, data]);
}
const chart = gzipSync(Buffer.concat([tarFile('fx/Chart.yaml', 'apiVersion: v2\nname: fx\nversion: 1.0.0\n'), tarFile('fx/values.yaml', 'a: 1\n'), tarFile('fx/templates/cm.yaml', 'kind: ConfigMap\n'), Buffer.alloc(1024)]));

describe('fuzz: inputs from outside the repository', () => {
  it(`cache entries with bytes changed (${RUNS.cache} entries): the original or a miss, never another value`, () => {
    const file = join(dir, 'cache', 'entry.json');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (content, ms) => {
        stats.cache++;
        writeEntry(file, 'inputs', content);
        const written = readFileSync(file);
        const changed = mutate(written, ms);
        writeFileSync(file, changed);
        const got = readEntry(file, 'inputs');
        if (changed.equals(written)) expect(got).toBe(content);
        else expect(got === undefined || got === content).toBe(true);
        expect(readEntry(file, 'other inputs')).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS.cache },
    );
  });

  it(`chart archives with bytes changed (${RUNS.chart} archives): files or an Error, and a gzip bomb stops`, () => {
    expect(untarGz(chart).get('fx/values.yaml')?.toString()).toBe('a: 1\n');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        stats.chart++;
        try {
          const files = untarGz(mutate(chart, ms));
          for (const [name, body] of files) expect(typeof name === 'string' && Buffer.isBuffer(body)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { seed: SEED, numRuns: RUNS.chart },
    );
    // gzip members concatenated unpack as one stream: 17 x 16 MB of zeros, a few hundred KB packed
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: Math.ceil(MAX_CHART_BYTES / (16 * 1024 * 1024)) + 1 }, () => member));
    expect(() => untarGz(bomb)).toThrow();
  });

  it(`git source trees (${RUNS.git} trees): hydrated, refused at their paths, or failed as a source; no connection`, async () => {
    const entry = fc.constantFrom('cm.yaml', '../up', 'sub', `https://127.0.0.1:${port}/x.yaml`, `github.com/o/r//p?ref=v1`, `git@127.0.0.1:o/r.git`, `http://[::1]:${port}/x`, 'missing.yaml', '/etc/passwd');
    const manifest = fc.constantFrom(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n',
      'a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: &e [*d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n',
      'kind: [unclosed\n',
      'just text\n',
      '',
      '--- !!binary AAAA\n',
    );
    const tree = fc.record({ kustomize: fc.boolean(), entries: fc.array(entry, { maxLength: 4 }), manifests: fc.array(manifest, { minLength: 1, maxLength: 3 }), link: fc.boolean() });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        stats.git++;
        const root = join(dir, 'mirror', 'git', 'github.com', 'o', 'r', `v${++n}.0.0`);
        mkdirSync(join(root, 'app', 'sub'), { recursive: true });
        t.manifests.forEach((m, i) => writeFileSync(join(root, 'app', `m${i}.yaml`), m));
        writeFileSync(join(root, 'app', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n');
        if (t.kustomize) writeFileSync(join(root, 'app', 'kustomization.yaml'), `resources:\n${t.entries.map((e) => `  - ${JSON.stringify(e)}`).join('\n') || '  - cm.yaml'}\n`);
        if (t.link) symlinkSync('/etc/hostname', join(root, 'app', 'link.yaml'));
        const src = { kind: 'git' as const, repoURL: 'https://github.com/o/r.git', revision: `v${n}.0.0`, path: 'app', directory: { recurse: false, include: '', exclude: '' }, helm: { releaseName: 'r', namespace: 'n', valuesYaml: '', parameters: [], skipCrds: false, skipTests: false, skipSchemaValidation: false } };
        try {
          const r = await hydrateGitSource(src, { mirror: join(dir, 'mirror'), kubeVersion: '1.35.0', apiVersions: [], timeoutMs: 60_000 });
          if (r.status === 'refused') {
            stats.refused++;
            for (const f of r.findings) expect(f.file.startsWith('git:https://github.com/o/r.git@')).toBe(true);
          } else expect(['hydrated', 'not-hydrated']).toContain(r.status);
        } catch (err) {
          if (!(err instanceof SourceInputError) && !(err instanceof ToolError)) throw err;
        }
        expect(connections).toBe(0);
      }),
      { seed: SEED, numRuns: RUNS.git },
    );
  });
});
