/**
 * Strings that reach the Argo CD templates (overlays/_argocd/) from users' config come out
 * verbatim, as one value each: a catalog description with a colon, quotes, a comment sign and
 * a newline, a git source path and include pattern that look like YAML, and a cluster key
 * with quotes and flow characters. Fixture env in a temp project.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { argoProject } from '../helpers/argo-fixture.ts';
import { renderOk, type Obj } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const DESCRIPTION = 'Certificates: "quoted" #not-a-comment\nsecond: line, {flow}: [x] & *alias !tag';
const PATH = 'config/crd: standard #x';
const INCLUDE = '{*.yaml,*.yml}';
const KEY = 'fixture/x:"y"#{z},[w]';

const docs = (text: string): Obj[] =>
  parseAllDocuments(text, { uniqueKeys: true, strict: true }).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Obj;
  });

describe('Argo CD objects quote values from users config', () => {
  it('keep colons, quotes, comment signs and newlines inside their own field', () => {
    tp = argoProject([
      { name: 'alpha', server: 'https://alpha.k8s.fixture.example.com:6443', argocd: ['  cluster:', '    store: { name: hub-vault }', `    key: ${JSON.stringify(KEY)}`] },
    ]);
    tp.edit('apps/cert-manager.yaml', /^description: .*$/m, `description: ${JSON.stringify(DESCRIPTION)}`);
    tp.edit('apps/gateway-api-crds.yaml', /^ {2}path: .*$/m, `  path: ${JSON.stringify(PATH)}\n  include: ${JSON.stringify(INCLUDE)}`);
    const out = renderOk(tp, 'alpha');

    const [cm] = docs(out.files.get('apps/cert-manager.yaml')!);
    expect(cm!.spec.info).toEqual([expect.objectContaining({ name: 'description', value: DESCRIPTION }), expect.objectContaining({ name: 'depends on' })]);
    expect(Object.keys(cm!.spec)).toEqual(['project', 'source', 'destination', 'syncPolicy', 'info']);

    const [git] = docs(out.files.get('apps/gateway-api-crds.yaml')!);
    expect(git!.spec.source.path).toBe(PATH);
    expect(git!.spec.source.directory).toEqual({ include: INCLUDE });

    const es = docs(out.files.get('root.yaml')!).find((o) => o.kind === 'ExternalSecret')!;
    expect(es.spec.data.map((d: Obj) => d.remoteRef.key)).toEqual([KEY, KEY]);
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'hub-vault' });
  });
});
