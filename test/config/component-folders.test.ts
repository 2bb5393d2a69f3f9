/**
 * One folder per component (issue 27): the catalog is found by listing apps/, nothing else
 * left behind silently, and the environment schema's component keys agree with the folders.
 */
import { toolPaths } from '../helpers/project.ts';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { componentFolders } from '../../scripts/lib/config/catalog.ts';
import { completeComponentKeys } from '../../scripts/lib/config/schema-files.ts';
import { schemaOfValue } from '../../scripts/lib/config/values-schema.ts';
import { loadProject } from '../../scripts/lib/render/environment.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

const messages = (t: TempProject): string[] => componentFolders(t.paths).findings.map((f) => `${f.file} ${f.message}`);

describe('component folders', () => {
  it('are every folder of apps/ but _ entries, sorted', () => {
    const folders = componentFolders(toolPaths());
    expect(folders.findings).toEqual([]);
    expect(folders.folders).toEqual(readdirSync(join(ROOT, 'apps')).filter((f) => !f.startsWith('_')).sort());
  });

  it('refuse an entry at the old path, a folder without app.yaml, a linked folder', () => {
    tp = tempProject();
    tp.write('apps/stray.yaml', 'name: stray\n');
    mkdirSync(join(tp.root, 'apps/empty'));
    symlinkSync('../base', join(tp.root, 'apps/linked'));
    expect(messages(tp)).toEqual([
      'apps/empty/ has no app.yaml: every folder of apps/ is a component (name others _<name>)',
      'apps/linked is a symbolic link: only regular folders are read (links are never followed)',
      'apps/stray.yaml a component is a folder: move it to apps/stray/app.yaml',
    ]);
  });

  it('need name = folder name, and a local one needs base/ or overlays/ in its folder', () => {
    tp = tempProject();
    tp.write('apps/zz-thing/app.yaml', 'name: zz-other\ndescription: test\nlayer: platform\nnamespace: zz\noptional: true\nsource: { type: local }\n');
    tp.write('apps/zz-bare/app.yaml', 'name: zz-bare\ndescription: test\nlayer: platform\nnamespace: zz\noptional: true\nsource: { type: local }\n');
    expect(loadProject(tp.paths).catalogFindings.map((f) => `${f.file} ${f.message}`)).toEqual([
      'apps/zz-thing/app.yaml name "zz-other" must equal the folder name "zz-thing"',
      'apps/zz-bare/app.yaml local component needs apps/zz-bare/base/ or apps/zz-bare/overlays/',
    ]);
  });
});

describe('the environment schema and the folders', () => {
  const env = JSON.parse(readFileSync(join(ROOT, 'schemas/environment.schema.json'), 'utf8')) as { properties: { components: { properties: Record<string, { $ref?: string }> } } };
  const listed = env.properties.components.properties;

  it('lists no component without a folder, and refers each folder with a settings schema to it', () => {
    const folders = componentFolders(toolPaths()).folders;
    expect(Object.keys(listed).filter((k) => !folders.includes(k))).toEqual([]);
    for (const f of folders.filter((n) => readdirSync(join(ROOT, 'apps', n)).includes('settings.schema.json'))) {
      expect(listed[f]?.$ref, f).toBe(`components/${f}.schema.json`);
    }
  });

  it('takes the key of a folder it does not list: its settings schema, else the toggle', () => {
    tp = tempProject();
    tp.write('apps/zz-plain/app.yaml', 'name: zz-plain\n');
    tp.write('apps/zz-set/app.yaml', 'name: zz-set\n');
    tp.write('apps/zz-set/settings.schema.json', '{}\n');
    const schema = JSON.parse(tp.read('schemas/environment.schema.json')) as typeof env;
    expect(completeComponentKeys(schema as never, tp.paths.schemas)).toEqual(['zz-plain', 'zz-set']);
    expect(schema.properties.components.properties['zz-plain']).toEqual({ $ref: 'common.schema.json#/$defs/toggle' });
    expect(schema.properties.components.properties['zz-set']).toEqual({ $ref: 'components/zz-set.schema.json' });
    expect(Object.keys(schema.properties.components.properties).slice(0, Object.keys(listed).length)).toEqual(Object.keys(listed));
  });
});

describe('values schema', () => {
  it('types each key by its default, strict mappings, free-form empty maps', () => {
    expect(schemaOfValue({ n: 1, f: 0.5, s: 'x', b: true, z: null, m: {}, l: [{ a: 'y' }], e: [] })).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        b: { type: 'boolean' },
        e: { type: 'array' },
        f: { type: 'number' },
        l: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } },
        m: { type: 'object' },
        n: { type: 'integer' },
        s: { type: 'string' },
        z: {},
      },
    });
  });
});
