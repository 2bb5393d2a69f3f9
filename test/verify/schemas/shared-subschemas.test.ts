/**
 * Sharing repeated subschemas must not change what a schema accepts or the errors it reports:
 * the project's strict ApplicationSet schema (the Application template repeated under every
 * generator) is compiled both ways and given the same documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { shareRepeatedSubschemas } from '../../../scripts/lib/verify/schemas/shared-subschemas.ts';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/crds/argoproj.io/applicationset_v1alpha1.json'), 'utf8')) as object;
const shared = shareRepeatedSubschemas(schema as never) as Record<string, unknown>;
const opts = { strict: false, allErrors: true, inlineRefs: false, logger: false, code: { optimize: false } } as const;
const plain = new Ajv(opts).compile(schema);
const deduped = new Ajv(opts).compile(shared);

const template = { metadata: { name: '{{name}}' }, spec: { project: 'p', source: { repoURL: 'https://git.example/r', path: 'x', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'n' } } };
const appSet = (generators: unknown[]): object => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'a', namespace: 'argocd' }, spec: { generators, template } });
const list = { list: { elements: [{ name: 'one' }] } };
const docs: Record<string, object> = {
  valid: appSet([list]),
  'valid matrix': appSet([{ matrix: { generators: [list, { clusters: {} }] } }]),
  'unknown field in a matrix generator template': appSet([{ matrix: { generators: [{ list: { elements: [], template: { ...template, spec: { ...template.spec, bogus: 1 } } } }, list] } }]),
  'wrong type deep in a merge': appSet([{ merge: { mergeKeys: 'name', generators: [list] } }]),
  'missing template': { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'a' }, spec: { generators: [list] } },
};

describe('shareRepeatedSubschemas', () => {
  it('moves the repeated subtrees to definitions and shrinks the schema', () => {
    expect(Object.keys(shared.definitions as object).length).toBeGreaterThan(5);
    expect(JSON.stringify(shared).length).toBeLessThan(JSON.stringify(schema).length / 3);
  });

  for (const [name, doc] of Object.entries(docs)) {
    it(`accepts and rejects as the original schema: ${name}`, () => {
      const a = plain(doc);
      const b = deduped(doc);
      expect(b).toBe(a);
      const errs = (fn: typeof plain) => (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).sort();
      expect(errs(deduped)).toEqual(errs(plain));
      if (name.startsWith('valid')) expect(a).toBe(true);
      else expect(a).toBe(false);
    });
  }

  it('leaves a schema without repeats as it is, and never rewrites data keywords', () => {
    const big = { type: 'string', description: 'x'.repeat(1200) };
    const s = { type: 'object', properties: { a: { enum: [big, big] }, b: { const: big } } };
    expect(shareRepeatedSubschemas(s as never)).toBe(s);
  });
});
