/**
 * The strict schemas derived from the pinned CRDs (scripts/lib/verify/api-server/pinned-schemas.ts,
 * npm run schemas:crds): the reference form of a CRD version, the drift between a strict schema
 * and it (deliberate differences kept), the derivation that removes the drift, and the record
 * schemas/crds/pinned-sources.json: each strict file derived from a pinned CRD names the chart or
 * git source it came from with that source's charts.lock.yaml digest, so a chart bump (a new lock
 * entry) fails here until the schemas are derived again.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { CEL003, deriveStrict, pinnedReferences, pinnedSchemaFindings, referenceOf, schemaDrift } from '../../../scripts/lib/verify/api-server/pinned-schemas.ts';
import { lockDigestOf, PINNED_SOURCES } from '../../../scripts/crd-schemas.ts';

const crdSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      description: 'the spec',
      required: ['mode', 'port'],
      properties: {
        mode: { type: 'string', enum: ['A', 'B'], default: 'A' },
        port: { 'x-kubernetes-int-or-string': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        limits: { type: 'object', properties: { max: { type: 'integer', minimum: 1, nullable: true } } },
        pod: { type: 'object', properties: { hostNetwork: { type: 'boolean' } } },
      },
    },
  },
};

const strict = () => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', const: 'example.com/v1' },
    kind: { type: 'string', const: 'Thing' },
    metadata: { $ref: '#/definitions/objectMeta' },
    spec: {
      type: 'object',
      required: ['port'],
      properties: {
        mode: { type: 'string', enum: ['A', 'B'] },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        extra: { type: 'object', additionalProperties: true, $comment: 'free-form upstream' },
        limits: { $ref: '#/definitions/limits' },
        pod: { type: 'object', $comment: 'a strict subset of core/v1 PodSpec', properties: {}, additionalProperties: false },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
  definitions: { objectMeta: { type: 'object' }, limits: { type: 'object', properties: { max: { type: ['integer', 'null'], minimum: 1 } }, additionalProperties: false } },
});

describe('the reference form of a pinned CRD version', () => {
  it('int-or-string, nullable, defaulted fields not required, no descriptions', () => {
    const ref = referenceOf(crdSchema) as { properties: { spec: Record<string, unknown> & { properties: Record<string, Record<string, unknown>> } } };
    expect(ref.properties.spec.required).toEqual(['port']);
    expect(ref.properties.spec.description).toBeUndefined();
    expect(ref.properties.spec.properties.port!.anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect((ref.properties.spec.properties.limits!.properties as Record<string, { type: unknown }>).max!.type).toEqual(['integer', 'null']);
  });
});

describe('drift and derivation', () => {
  const ref = referenceOf(crdSchema);

  it('a strict schema that follows the pinned CRD has no drift; its deliberate nodes are not compared', () => {
    expect(schemaDrift(strict(), ref)).toEqual([]);
  });

  it('a field the pinned CRD lacks, a missing field, another enum, bound or required list: each named', () => {
    const s = strict();
    (s.properties.spec.properties as Record<string, unknown>).tokenizer = { type: 'object' };
    delete (s.properties.spec.properties as Record<string, unknown>).mode;
    s.definitions.limits.properties.max.minimum = 0;
    s.properties.spec.required = [];
    expect(schemaDrift(s, ref)).toEqual([
      'spec: required ["port"] in the pinned CRD, [] here',
      'spec.mode: in the pinned CRD, missing here',
      'spec.limits.max: minimum 1 in the pinned CRD, 0 here',
      'spec.tokenizer: not a field of the pinned CRD',
    ]);
    const derived = deriveStrict(s, ref);
    expect(schemaDrift(derived, ref)).toEqual([]);
    const spec = (derived.properties as Record<string, { properties: Record<string, unknown>; required: unknown }>).spec!;
    expect(spec.properties.tokenizer).toBeUndefined();
    expect(spec.properties.mode).toEqual({ type: 'string', enum: ['A', 'B'], default: 'A' });
    expect(spec.required).toEqual(['port']);
    // shared definitions are aligned through their $ref; the deliberate subset stays as it was
    expect((derived.definitions as { limits: { properties: { max: { minimum: number } } } }).limits.properties.max.minimum).toBe(1);
    expect(spec.properties.pod).toEqual(strict().properties.spec.properties.pod);
  });

  it('a field added from the pinned CRD is strict: closed objects, free-form ones say why', () => {
    const s = strict();
    delete (s.properties.spec.properties as Record<string, unknown>).limits;
    delete (s.properties.spec.properties as Record<string, unknown>).extra;
    const spec = (deriveStrict(s, ref).properties as Record<string, { properties: Record<string, Record<string, unknown>> }>).spec!;
    expect(spec.properties.limits!.additionalProperties).toBe(false);
    expect(spec.properties.extra).toMatchObject({ additionalProperties: true, $comment: expect.stringContaining('x-kubernetes-preserve-unknown-fields') });
  });

  it('pinnedReferences keys each served CRD version by its strict file name', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' }, spec: { group: 'example.com', names: { kind: 'Thing' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: crdSchema } }, { name: 'v0', served: false, schema: { openAPIV3Schema: crdSchema } }] } };
    expect([...pinnedReferences([{ obj: crd, source: 'helm:x@1/crds/thing.yaml' }]).keys()]).toEqual(['example.com/thing_v1.json']);
  });
});

describe('CEL003 in check: a strict schema that differs from the CRD its env installs', () => {
  it('names the file, the source, the differences and the remedy; none once derived again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinned-'));
    try {
      mkdirSync(join(dir, 'example.com'));
      const s = strict();
      (s.properties.spec.properties as Record<string, unknown>).tokenizer = { type: 'object' };
      writeFileSync(join(dir, 'example.com/thing_v1.json'), JSON.stringify(s));
      const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' }, spec: { group: 'example.com', names: { kind: 'Thing' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: crdSchema } }] } };
      const hydrated = [{ obj: crd, file: 'helm:thing@1.0.0/crds/thing.yaml' }];
      const found = pinnedSchemaFindings(dir, 'schemas/crds', hydrated);
      expect(found).toEqual([
        {
          file: 'schemas/crds/example.com/thing_v1.json',
          line: 0,
          col: 0,
          path: '',
          rule: CEL003,
          message: 'differs from the CRD the pinned sources install (helm:thing@1.0.0/crds/thing.yaml): spec.tokenizer: not a field of the pinned CRD; derive it again with npm run schemas:crds',
        },
      ]);
      writeFileSync(join(dir, 'example.com/thing_v1.json'), JSON.stringify(deriveStrict(s, referenceOf(crdSchema))));
      expect(pinnedSchemaFindings(dir, 'schemas/crds', hydrated)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(join(ROOT, PINNED_SOURCES)))('schemas/crds/pinned-sources.json', () => {
  const read = () => JSON.parse(readFileSync(join(ROOT, PINNED_SOURCES), 'utf8')) as Record<string, { source: string; lock: string; sha256: string }>;

  it('names a pinned chart or git source for most strict files', () => {
    const record = read();
    expect(Object.keys(record).length).toBeGreaterThan(25);
    for (const [file, r] of Object.entries(record)) {
      expect(existsSync(join(ROOT, 'schemas/crds', file)), file).toBe(true);
      expect(r.source, file).toMatch(/^(helm|git):/);
    }
  });

  it('each source is still the pinned one in charts.lock.yaml (else: npm run schemas:crds)', () => {
    const record = read();
    const stale = Object.entries(record)
      .filter(([, r]) => lockDigestOf(r.source) !== r.lock)
      .map(([file, r]) => `${file}: derived from ${r.source} (${r.lock}), which charts.lock.yaml no longer pins: run npm run schemas:crds`);
    expect(stale).toEqual([]);
  });
});
