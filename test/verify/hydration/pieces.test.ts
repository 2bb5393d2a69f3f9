/**
 * The pieces `check` wires together: the content-addressed kustomize cache key, a hydrated CRD as
 * a strict schema source, the chart archive reader, the target cluster's API versions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { readChartFiles } from '../../../scripts/lib/verify/hydration/chart-archive.ts';
import { HydratedCrdSchemas, toJsonSchema } from '../../../scripts/lib/verify/schemas/crd-object-schemas.ts';
import { kustomizeCacheKey } from '../../../scripts/lib/verify/hydration/kustomize-build.ts';
import { schemaApiVersions } from '../../../scripts/lib/verify/hydration/kube-target.ts';
import { tempProject, type TempProject } from '../../helpers/project.ts';
import { FIXTURES, packageChart, sandbox } from './argocd-source/helpers.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('kustomize cache key', () => {
  it('changes with the rendered files, a base file or the env, and only then', async () => {
    tp = tempProject();
    const files = new Map([['kustomization.yaml', 'resources: []\n']]);
    const a = await kustomizeCacheKey(tp.paths, 'dev', files);
    expect(await kustomizeCacheKey(tp.paths, 'dev', new Map(files))).toBe(a);
    expect(await kustomizeCacheKey(tp.paths, 'prod', files)).not.toBe(a);
    expect(await kustomizeCacheKey(tp.paths, 'dev', new Map([['kustomization.yaml', 'resources: [x]\n']]))).not.toBe(a);
    tp.edit('apps/postgres/base/podmonitor.yaml', '    - port: metrics', '    - port: metrics\n      interval: 30s');
    expect(await kustomizeCacheKey(tp.paths, 'dev', files)).not.toBe(a);
  });
});

const crd = (schema: Record<string, unknown>): K8sObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'things.x.example' },
  spec: { group: 'x.example', scope: 'Namespaced', names: { kind: 'Thing' }, versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] },
});
const thing = (spec: unknown): K8sObject => ({ apiVersion: 'x.example/v1', kind: 'Thing', metadata: { name: 't', namespace: 'n' }, spec });

describe('a hydrated CRD as schema source', () => {
  const schemas = new HydratedCrdSchemas([
    crd({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            port: { 'x-kubernetes-int-or-string': true },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            note: { type: 'string', nullable: true },
          },
        },
      },
    }),
  ]);

  it('accepts int-or-string, preserved unknown fields and nullable values', () => {
    expect(schemas.has('x.example/v1', 'Thing')).toBe(true);
    expect(schemas.has('x.example/v2', 'Thing')).toBe(false);
    expect(schemas.validate(thing({ port: 'http', free: { any: 1 }, note: null }))).toEqual([]);
    expect(schemas.validate(thing({ port: 8080 }))).toEqual([]);
  });

  it('rejects unknown fields where the schema lists properties', () => {
    expect(schemas.validate(thing({ prot: 1 }))).toEqual([{ path: '/spec/prot', message: 'unknown field (schema of the hydrated CRD)' }]);
  });

  it('does not touch the CRD it converts', () => {
    const node = { type: 'object', properties: { a: { type: 'string' } } };
    toJsonSchema(node, true);
    expect(node).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });
});

describe('chart archive', () => {
  it('reads values.yaml and the templates of a chart packaged by the real helm', async () => {
    const box = await sandbox();
    try {
      const tgz = await packageChart(path.join(FIXTURES, 'charts', 'fx-leader'), path.join(box.dir, 'out'));
      const files = await readChartFiles(tgz);
      expect(files.valuesYaml).toContain('leaderElection:');
      expect(files.templates).toHaveLength(2);
      expect(files.templates.join('\n')).toContain('.Values.leaderElection.namespace');
      expect(files.subcharts).toEqual([]);
    } finally {
      await box.restore();
    }
  });
});

describe('target cluster API versions', () => {
  it("lists group/version and group/version/Kind from the project's CRD schemas", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-apiv-'));
    try {
      tp = tempProject();
      const v = schemaApiVersions(path.join(tp.paths.schemas, 'crds'), 'cert-manager.io');
      expect(v).toContain('cert-manager.io/v1');
      expect(v).toContain('cert-manager.io/v1/ClusterIssuer');
      expect(schemaApiVersions(dir, 'none.example')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
