import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject, SourcedObject } from '../../../scripts/lib/findings.ts';
import { hasCrdSchema, schemaFileFor, validateCustomResource } from '../../../scripts/lib/verify/schemas/crd.ts';
import { validateObjects } from '../../../scripts/lib/verify/schemas/index.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sharedCrds = path.resolve(projectRoot, '../shared/crds');

let dir: string;

/** A strict schema in the style of schemas/crds/: additionalProperties false everywhere. */
const widgetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['example.com/v1'] },
    kind: { type: 'string', enum: ['Widget'] },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1 },
        color: { type: 'string', enum: ['red', 'blue'] },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    },
  },
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'catalyst-crds-'));
  mkdirSync(path.join(dir, 'example.com'));
  writeFileSync(path.join(dir, 'example.com', 'widget_v1.json'), JSON.stringify(widgetSchema));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function widget(spec: Record<string, unknown>, name = 'w1'): K8sObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'demo' }, spec };
}
const sourced = (obj: K8sObject, line = 1): SourcedObject => ({ obj, file: 'generated/dev/demo/widget.yaml', line });

describe('custom resources against a strict schema directory', () => {
  it('uses the kubeconform layout', () => {
    expect(schemaFileFor(dir, 'example.com/v1', 'Widget')).toBe(path.join(dir, 'example.com', 'widget_v1.json'));
    expect(schemaFileFor(dir, '../../etc/v1', 'Widget')).toBeUndefined();
    expect(hasCrdSchema({ apiVersion: 'example.com/v1', kind: 'Widget' }, dir)).toBe(true);
    expect(hasCrdSchema({ apiVersion: 'example.com/v2', kind: 'Widget' }, dir)).toBe(false);
  });

  it('a valid custom resource passes', async () => {
    expect(await validateObjects([sourced(widget({ size: 3, color: 'red', port: 'http' }))], { crdSchemaDir: dir })).toEqual([]);
  });

  it('an unknown field fails', async () => {
    const f = await validateObjects([sourced(widget({ size: 3, colour: 'red' }), 7)], { crdSchemaDir: dir });
    expect(f).toEqual([
      {
        file: 'generated/dev/demo/widget.yaml',
        line: 7,
        col: 1,
        kind: 'Widget',
        name: 'w1',
        path: '/spec/colour',
        message: 'unknown field',
      },
    ]);
  });

  it('a missing required field fails', async () => {
    const f = await validateObjects([sourced(widget({ color: 'red' }))], { crdSchemaDir: dir });
    expect(f.map((x) => [x.path, x.message])).toEqual([['/spec', "must have required property 'size'"]]);
  });

  it('wrong types and enum values fail, one message per problem', () => {
    const issues = validateCustomResource(widget({ size: 0, color: 'green', port: true }), { schemaDir: dir });
    expect(issues).toEqual([
      { path: '/spec/size', message: 'must be >= 1' },
      { path: '/spec/color', message: 'must be equal to one of the allowed values: "red", "blue"' },
      { path: '/spec/port', message: 'must be integer or string' },
    ]);
  });

  it('an unknown field in metadata fails (the schema leaves metadata open)', async () => {
    const obj = widget({ size: 1 });
    obj.metadata.annotation = { a: 'b' };
    const f = await validateObjects([sourced(obj)], { crdSchemaDir: dir });
    expect(f.map((x) => [x.path, x.message])).toEqual([['/metadata/annotation', 'unknown field']]);
  });

  it('a kind without a schema file is an error, never a skip', async () => {
    const gadget = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'demo' } };
    const f = await validateObjects([sourced(gadget, 4)], { crdSchemaDir: dir });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 4, kind: 'Gadget', name: 'g', path: '' });
    expect(f[0]?.message).toMatch(/^no schema for example\.com\/v1 Gadget /);
    expect(f[0]?.message).toContain(path.join('example.com', 'gadget_v1.json'));
  });
});

const noShared = !existsSync(sharedCrds);
const why = noShared ? ` [skipped: ${sharedCrds} does not exist; CI always has it]` : '';

describe(`upstream CRD schemas (${sharedCrds})`, () => {
  const issuer: K8sObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'letsencrypt' },
    spec: {
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: 'platform@example.com',
        privateKeySecretRef: { name: 'letsencrypt-account' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
      },
    },
  };
  const certificate: K8sObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'webui', namespace: 'webui' },
    spec: { secretName: 'webui-tls', dnsNames: ['webui.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } },
  };

  it.skipIf(noShared)(`valid cert-manager resources pass${why}`, async () => {
    const f = await validateObjects([sourced(issuer, 1), sourced(certificate, 20)], { crdSchemaDir: sharedCrds, upstream: true, clusterScopedCustomKinds: ['cert-manager.io/ClusterIssuer'] });
    expect(f).toEqual([]);
  });

  it.skipIf(noShared)(`an invalid resource fails, marked as an upstream finding${why}`, async () => {
    const bad = structuredClone(certificate) as K8sObject & { spec: Record<string, unknown> };
    bad.spec.dnsNames = 'webui.example.com';
    delete bad.spec.secretName;
    const f = await validateObjects([sourced(bad)], { crdSchemaDir: sharedCrds, upstream: true });
    expect(f.map((x) => [x.path, x.message])).toEqual([
      ['/spec', "must have required property 'secretName' (upstream schema)"],
      ['/spec/dnsNames', 'must be array (upstream schema)'],
    ]);
  });
});
