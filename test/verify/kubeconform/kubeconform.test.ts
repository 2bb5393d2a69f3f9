/**
 * The kubeconform wrapper. The real kubeconform binary cannot be installed on the build machines
 * (no network apart from the npm registry, and it is not on npm), so this is the one place where a
 * stand-in is used: a shell script named `kubeconform` on PATH that records its arguments and
 * stdin and prints a result in kubeconform's `-output json` format (v0.6+: `validationErrors`).
 * CI, where the real binary can be installed, runs the real one through the same code.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasKubeconform, kubeconformResultsToFindings, runKubeconform } from '../../../scripts/lib/verify/kubeconform/index.ts';

const stream = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: webui
spec:
  replicas: three
---
# a comment before the document
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: webui
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ok
  namespace: webui
`;

const result = {
  resources: [
    {
      filename: 'stdin',
      kind: 'Deployment',
      name: 'web',
      version: 'apps/v1',
      status: 'statusInvalid',
      msg:
        "problem validating schema. Check JSON formatting: jsonschema: '/spec/replicas' does not validate with " +
        'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/master-standalone-strict/deployment-apps-v1.json' +
        '#/properties/spec/properties/replicas/type: expected integer or null, but got string',
      validationErrors: [{ path: '/spec/replicas', msg: 'expected integer or null, but got string' }],
    },
    { filename: 'stdin', kind: 'Widget', name: 'w', version: 'example.com/v1', status: 'statusError', msg: 'could not find schema for Widget' },
  ],
};

let dir: string;
const savedPath = process.env.PATH;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'catalyst-kubeconform-'));
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
  const script = [
    '#!/bin/sh',
    `printf '%s\\n' "$@" > '${dir}/args.txt'`,
    `cat > '${dir}/stdin.yaml'`,
    `cat '${dir}/result.json'`,
    'exit 1',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'kubeconform'), script);
  chmodSync(path.join(dir, 'kubeconform'), 0o755);
});
afterEach(() => {
  process.env.PATH = savedPath;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeconform wrapper', () => {
  it('is found on PATH, and not when absent', async () => {
    process.env.PATH = `${dir}${path.delimiter}${savedPath ?? ''}`;
    expect(await hasKubeconform()).toBe(true);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'catalyst-empty-'));
    process.env.PATH = empty;
    expect(await hasKubeconform()).toBe(false);
    rmSync(empty, { recursive: true });
  });

  it('runs kubeconform with the stream on stdin and converts its JSON into findings', async () => {
    process.env.PATH = `${dir}${path.delimiter}${savedPath ?? ''}`;
    const findings = await runKubeconform(stream, { schemaDir: 'schemas/crds', file: 'generated/dev/all.yaml' });
    expect(readFileSync(path.join(dir, 'args.txt'), 'utf8').trimEnd().split('\n')).toEqual([
      '-strict',
      '-output',
      'json',
      '-schema-location',
      'default',
      '-schema-location',
      'schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
    ]);
    expect(readFileSync(path.join(dir, 'stdin.yaml'), 'utf8')).toBe(stream);
    expect(findings).toEqual([
      {
        file: 'generated/dev/all.yaml',
        line: 1,
        col: 1,
        kind: 'Deployment',
        name: 'web',
        path: '/spec/replicas',
        message: 'kubeconform: expected integer or null, but got string',
      },
      {
        file: 'generated/dev/all.yaml',
        line: 10,
        col: 1,
        kind: 'Widget',
        name: 'w',
        path: '',
        message: 'kubeconform: could not find schema for Widget',
      },
    ]);
  });

  it('reads results without validationErrors (kubeconform before v0.6) and ignores valid ones', () => {
    const old = {
      resources: [
        { filename: 'stdin', kind: 'ConfigMap', name: 'ok', version: 'v1', status: 'statusValid', msg: '' },
        { filename: 'stdin', kind: 'Deployment', name: 'web', version: 'apps/v1', status: 'statusInvalid', msg: 'bad replicas' },
      ],
    };
    expect(kubeconformResultsToFindings(JSON.stringify(old), stream)).toEqual([
      { file: 'stdin', line: 1, col: 1, kind: 'Deployment', name: 'web', path: '', message: 'kubeconform: bad replicas' },
    ]);
  });

  it('fails clearly when kubeconform prints no JSON', () => {
    expect(() => kubeconformResultsToFindings('failed initialising: bad template', stream)).toThrow(/not JSON/);
  });
});
