/**
 * What the API server enforces, checked at config time at the line that sets it: quantities,
 * request <= limit, CIDRs, name lengths with derived suffixes, int32 ranges. Runs on the fixture
 * envs (test/fixtures/config/envs), never on environments/.
 */
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCidr } from '../../scripts/lib/config/kube/cidr.ts';
import { compareQuantities, isWhole, parseQuantity, type Quantity } from '../../scripts/lib/config/kube/quantity.ts';
import type { Finding } from '../../scripts/lib/findings.ts';
import { renderTemp } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';
import { append, findingsAfterEdit, fixtureProject, lineOf } from './fixture-project.ts';

function q(text: string): Quantity {
  const r = parseQuantity(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}
const value = (text: string): number => Number(q(text).num) / Number(q(text).den);

describe('parseQuantity (apimachinery grammar)', () => {
  it('reads every suffix', () => {
    expect(value('1Ki')).toBe(1024);
    expect(value('1Mi')).toBe(2 ** 20);
    expect(value('2Gi')).toBe(2 * 2 ** 30);
    expect(q('1Ti').num).toBe(2n ** 40n);
    expect(q('1Pi').num).toBe(2n ** 50n);
    expect(q('1Ei').num).toBe(2n ** 60n);
    expect(value('1k')).toBe(1e3);
    expect(value('1M')).toBe(1e6);
    expect(value('1G')).toBe(1e9);
    expect(value('1T')).toBe(1e12);
    expect(value('1P')).toBe(1e15);
    expect(q('1E').num).toBe(10n ** 18n);
    expect(value('500m')).toBe(0.5);
    expect(value('5u')).toBeCloseTo(5e-6);
    expect(value('5n')).toBeCloseTo(5e-9);
    expect(value('2')).toBe(2);
  });

  it('reads decimals, exponents and signs', () => {
    expect(value('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(value('.5')).toBe(0.5);
    expect(value('1.')).toBe(1);
    expect(value('1e3')).toBe(1000);
    expect(value('1E3')).toBe(1000);
    expect(value('1e-3')).toBe(0.001);
    expect(value('12E+2')).toBe(1200);
    expect(value('-1')).toBe(-1);
    expect(value('+1k')).toBe(1000);
    expect(value('0')).toBe(0);
  });

  it('refuses what apimachinery refuses', () => {
    for (const bad of ['', 'Gi', '1 Gi', '1gi', '1GB', '1e', '1e1.5', '1.2.3', '1Kii', 'one', '--1', '1K', '0x10', '1e99999']) {
      expect(parseQuantity(bad).ok, bad).toBe(false);
    }
  });

  it('compares across units exactly', () => {
    expect(compareQuantities(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantities(q('1000m'), q('1'))).toBe(0);
    expect(compareQuantities(q('1024Mi'), q('1Gi'))).toBe(0);
    expect(compareQuantities(q('8Gi'), q('2Gi'))).toBe(1);
    expect(compareQuantities(q('0.1'), q('100m'))).toBe(0);
    expect(compareQuantities(q('1e3'), q('1k'))).toBe(0);
    expect(compareQuantities(q('-1'), q('0'))).toBe(-1);
    expect(isWhole(q('500m'))).toBe(false);
    expect(isWhole(q('1.5Ki'))).toBe(true);
  });
});

describe('parseCidr', () => {
  it('accepts IPv4 and IPv6 networks', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ ok: true, value: { family: 4, canonical: '10.0.0.0/8' } });
    expect(parseCidr('172.20.0.10/32')).toMatchObject({ ok: true, value: { family: 4 } });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ ok: true });
    expect(parseCidr('fd00::/64')).toEqual({ ok: true, value: { family: 6, canonical: 'fd00::/64' } });
    expect(parseCidr('2001:db8:0:0:0:0:0:1/128')).toEqual({ ok: true, value: { family: 6, canonical: '2001:db8::1/128' } });
    expect(parseCidr('::ffff:10.0.0.1/128')).toEqual({ ok: true, value: { family: 6, canonical: '::ffff:a00:1/128' } });
    expect(parseCidr('::/0')).toEqual({ ok: true, value: { family: 6, canonical: '::/0' } });
  });

  it('refuses bad addresses and prefix lengths, with the reason', () => {
    const reason = (s: string): string => {
      const r = parseCidr(s);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason('10.0.0.0')).toMatch(/no prefix length/);
    expect(reason('10.0.0.0/33')).toMatch(/0 to 32/);
    expect(reason('fd00::/129')).toMatch(/0 to 128/);
    expect(reason('300.0.0.0/8')).toMatch(/more than 255/);
    expect(reason('010.0.0.0/8')).toMatch(/leading zero/);
    expect(reason('10.0.0/8')).toMatch(/four numbers/);
    expect(reason('fd00::1::2/64')).toMatch(/"::" may appear once/);
    expect(reason('fd00:1:2:3:4:5:6:7:8/64')).toMatch(/eight groups/);
    expect(reason('fd0g::/16')).toMatch(/hex digits/);
    expect(reason('10.10.0.5/28')).toMatch(/bits set after the \/28 prefix: write the network, 10\.10\.0\.0\/28/);
    expect(reason('fd00::1/64')).toMatch(/write the network, fd00::\/64/);
  });
});

describe('config rules on the fixture envs', () => {
  let t: TempProject;
  beforeAll(() => {
    t = fixtureProject();
  });
  afterAll(() => t.cleanup());
  const file = 'environments/lab.yaml';

  /** Findings of lab after appending `yaml` to lab.yaml (restored after), and the edited text. */
  function withLab(yaml: string[]): { findings: Finding[]; text: string; files: Map<string, string> } {
    const original = t.read(file);
    append(t, file, `${yaml.join('\n')}\n`);
    const text = t.read(file);
    try {
      const out = renderTemp(t, 'lab');
      return { findings: out.findings, text, files: out.files };
    } finally {
      t.write(file, original);
    }
  }
  /** Findings of lab after `edit` changed lab.yaml (restored after), and the edited text. */
  const withEdit = (edit: () => void) => findingsAfterEdit(t, 'lab', file, edit);
  /** Settings added under lab.yaml's `components:` (for components it does not set yet). */
  const withLabComponents = (yaml: string[]) => withEdit(() => t.edit(file, /^components:\n/m, `components:\n${yaml.map((l) => `  ${l}`).join('\n')}\n`));

  it('reports a request above its limit at the request, naming the limit line', () => {
    const { findings, text } = withLabComponents(['otel-collector:', '  resources:', '    requests: { cpu: 100m, memory: 8Gi }', '    limits: { cpu: "1", memory: 2Gi }']);
    expect(findings).toEqual([
      expect.objectContaining({
        file,
        line: lineOf(text, 'memory: 8Gi'),
        path: '/components/otel-collector/resources/requests/memory',
        message: expect.stringMatching(/^requests\.memory 8Gi is more than limits\.memory 2Gi \(line \d+\): the API server refuses/),
      }),
    ]);
  });

  it('compares a request inherited from _base.yaml with a limit an env overrides', () => {
    const { findings, text } = withLab(['models:', '  - name: qwen3-8b', '    resources:', '      limits: { memory: 16Gi }']);
    const f = findings.find((x) => x.path === '/models/0/resources/requests/memory');
    expect(f?.file).toBe('environments/_base.yaml');
    expect(f?.message).toContain(`limits.memory 16Gi (${file}:${lineOf(text, 'memory: 16Gi')})`);
    expect(findings).toHaveLength(1);
  });

  it('reports memory in milli-bytes, CPU finer than 1m and a zero volume size', () => {
    const { findings, text } = withEdit(() => {
      t.edit(file, /^components:\n/m, 'components:\n  otel-collector:\n    resources:\n      requests: { cpu: "0.0001", memory: 500m }\n      limits: { cpu: "1", memory: 1Gi }\n');
      t.edit(file, /pvc: \{ size: [^}]*\}/, 'pvc: { size: "0" }');
    });
    const at = (path: string) => findings.find((x) => x.path === path);
    expect(at('/components/otel-collector/resources/requests/memory')).toMatchObject({ line: lineOf(text, 'memory: 500m'), message: expect.stringMatching(/fraction of a byte \("m" means milli: 500Mi was probably meant\)/) });
    expect(at('/components/otel-collector/resources/requests/cpu')?.message).toMatch(/finer than 1m/);
    expect(at('/components/mlflow/artifacts/pvc/size')?.message).toMatch(/must be more than 0/);
  });

  it('reports each bad CIDR at its line', () => {
    const { findings, text } = withEdit(() => t.edit(file, /apiServerCidrs: \[[^\]]*\]/, 'apiServerCidrs: ["10.0.0.0/8", "10.10.0.5/28", "fd00::/129", "010.0.0.0/8", "fd00::1/128"]'));
    expect(findings.map((f) => [f.path, f.line])).toEqual([
      ['/cluster/apiServerCidrs/1', lineOf(text, 'apiServerCidrs')],
      ['/cluster/apiServerCidrs/2', lineOf(text, 'apiServerCidrs')],
      ['/cluster/apiServerCidrs/3', lineOf(text, 'apiServerCidrs')],
    ]);
  });

  it('reports a name whose derived object names pass 63 characters, with the room left', () => {
    const long = `s${'x'.repeat(48)}`; // mcp-<49>-credential = 64
    const { findings, text } = withLab(['mcp:', '  servers:', `    - { name: ${long}, type: search, prefix: extra_ }`]);
    expect(findings).toEqual([
      expect.objectContaining({ file, line: lineOf(text, long), path: '/mcp/servers/4/name', message: expect.stringMatching(/makes "mcp-sx+-credential" \(64 characters\).*at most 48$/) }),
    ]);
  });

  it('the longest names the rule allows render objects whose names and labels fit 63 characters', () => {
    const server = `s${'x'.repeat(47)}`;
    const model = `m${'x'.repeat(41)}`;
    const out = withLab([
      'mcp:',
      '  servers:',
      `    - { name: ${server}, type: search, prefix: extra_ }`,
      'models:',
      `  - { name: ${model}, role: embedding, uri: "hf://Qwen/Qwen3-Embedding-0.6B", servedName: extra/embedding, tensorParallelism: 1, embeddingDimension: 1024 }`,
    ]);
    expect(out.findings).toEqual([]);
    const tooLong: string[] = [];
    for (const [path, text] of out.files) {
      if (!path.endsWith('.yaml')) continue;
      for (const doc of parseAllDocuments(text)) {
        const o = doc.toJS() as { metadata?: { name?: string; labels?: Record<string, string> } } | null;
        const names = [o?.metadata?.name, ...Object.values(o?.metadata?.labels ?? {})].filter((n): n is string => typeof n === 'string');
        for (const n of names) if ((n.includes(server) || n.includes(model)) && n.length > 63) tooLong.push(`${path}: ${n}`);
      }
    }
    expect(out.files.size).toBeGreaterThan(0);
    expect(tooLong).toEqual([]);
    // What the rule counts on is there: the credential and the model's PodMonitor.
    const all = [...out.files.values()].join('\n');
    expect(all).toContain(`mcp-${server}-`);
    expect(all).toContain(`${model}-vllm`);
  });

  it('reports an int32 field out of range at its line', () => {
    const { findings, text } = withEdit(() => t.edit(file, /^( {4}instances: 1\n)/m, '$1    roles:\n      benchmark_reader: { connectionLimit: 3000000000 }\n'));
    expect(findings).toEqual([
      expect.objectContaining({ file, line: lineOf(text, '3000000000'), message: expect.stringMatching(/^connectionLimit 3000000000 is out of range for a PostgreSQL connection limit/) }),
    ]);
  });
});
