/** Local components: overlays on the base, the storage layer, determinism, template errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { fixtureProject, renderFixture } from '../helpers/render.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
function doc(files: Map<string, string>, path: string): Record<string, any> {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} not rendered`);
  return parse(text) as Record<string, any>;
}

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

describe('overlays', () => {
  it('build on the base and list rendered resources and patches', () => {
    const { files } = renderFixture('prod');
    const k = doc(files, 'postgres/kustomization.yaml');
    expect(k.resources[0]).toBe('../../../apps/postgres/base');
    expect(k.resources).toContain('databases.yaml');
    expect(k.patches).toEqual([{ path: 'patch-cluster.yaml' }]);
    const agg = doc(files, 'kustomization.yaml');
    expect(agg.resources).toContain('postgres');
    expect(agg.resources).toEqual([...agg.resources].sort());
  });

  it('render the storage layer: instances, pgvector databases, no plaintext credential', () => {
    const { files } = renderFixture('prod');
    expect(doc(files, 'postgres/patch-cluster.yaml').spec.instances).toBe(3);
    const dbs = parseAllDocuments(files.get('postgres/databases.yaml')!).map((d) => d.toJS() as Record<string, any>);
    expect(dbs.map((d) => d.spec.name)).toEqual(['vectors', 'llamastack', 'mlflow', 'benchmarks']);
    expect(dbs[0]!.spec.extensions).toEqual([{ name: 'vector', ensure: 'present' }]);
    for (const text of files.values()) expect(text).not.toMatch(/^kind: Secret$/m);
  });

  it('are byte-for-byte identical when rendered twice', () => {
    const a = renderFixture('prod').files;
    const b = renderOne(fixtureProject().project, 'prod').files;
    expect([...b.entries()]).toEqual([...a.entries()]);
    for (const text of a.values()) {
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toContain('\r');
    }
  });

  it('report a missing template variable at the template line, and write nothing', () => {
    tp = tempProject();
    tp.edit('apps/postgres/overlays/patch-cluster.yaml.hbs', 'instances: {{json settings.instances}}', 'instances: {{json settings.instancez}}');
    const out = renderOne(loadProject(tp.paths), 'dev');
    expect(out.findings.map(formatFinding)).toEqual([expect.stringMatching(/^apps\/postgres\/overlays\/patch-cluster\.yaml\.hbs:7:\d+ \/ template error: json: the value is undefined \(a missing setting or a misspelled name\)/)]);
  });
});
