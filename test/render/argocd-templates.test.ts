/**
 * The Argo CD templates (overlays/_argocd/). Strings that reach them from users' config come out
 * verbatim, as one value each: a catalog description with a colon, quotes, a comment sign and
 * a newline, a git source path and include pattern that look like YAML, and a cluster key
 * with quotes and flow characters. An error in one is a finding at its own file and line.
 * Fixture env in a temp project.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { argoProject } from '../helpers/argo-fixture.ts';
import { renderOk, renderTemp, type Obj } from '../helpers/render.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
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
    tp.edit('apps/cert-manager/app.yaml', /^description: .*$/m, `description: ${JSON.stringify(DESCRIPTION)}`);
    tp.edit('apps/gateway-api-crds/app.yaml', /^ {2}path: .*$/m, `  path: ${JSON.stringify(PATH)}\n  include: ${JSON.stringify(INCLUDE)}`);
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

describe('an Argo CD template with an error', () => {
  it('is a finding at the template line, and its file is not written', () => {
    tp = argoProject([{ name: 'alpha' }]);
    tp.edit('overlays/_argocd/root.hbs', '  name: {{json rootProject}}\n', '  name: {{json rootProjct}}\n');
    const line = tp.read('overlays/_argocd/root.hbs').split('\n').indexOf('  name: {{json rootProjct}}') + 1;
    const out = renderTemp(tp, 'alpha');
    expect(out.findings.map(formatFinding)).toEqual([expect.stringMatching(new RegExp(`^overlays/_argocd/root\\.hbs:${line}:\\d+ / template error: json: the value is undefined`))]);
    expect(out.files.has('root.yaml')).toBe(false);
  });
});
