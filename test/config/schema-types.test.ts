/** scripts/lib/config/schema-types/ is generated from schemas/ and must match them, file for file. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { existingTypeFiles, generateSchemaTypes, TYPES_DIR } from '../../scripts/gen-types.ts';
import { ROOT } from '../../scripts/lib/paths.ts';

/** What differs between the generated modules and the files in `dir`: stale, missing and extra files. */
function staleFiles(fresh: Map<string, string>, dir: string): string[] {
  const onDisk = existingTypeFiles(dir);
  const stale = [...fresh].filter(([f, code]) => !onDisk.includes(f) || readFileSync(join(dir, f), 'utf8') !== code).map(([f]) => f);
  const extra = onDisk.filter((f) => !fresh.has(f));
  return [...stale.map((f) => `${f} (stale or missing)`), ...extra.map((f) => `${f} (extra)`)];
}

let generated: Promise<Map<string, string>> | undefined;
/** The modules generated from the real schemas/, once per file. */
const realModules = (): Promise<Map<string, string>> => (generated ??= generateSchemaTypes(join(ROOT, 'schemas')));

describe('schema-types/', () => {
  it('is up to date with schemas/: no stale, missing or extra file', async () => {
    const fresh = await realModules();
    // A list of names keeps vitest from printing long diffs; the message says what to do.
    expect(staleFiles(fresh, join(ROOT, TYPES_DIR)), `${TYPES_DIR}/ does not match schemas/ (a schema changed, or a file was edited by hand): run npm run gen:types and commit the result.`).toEqual([]);
  });

  it('reports a changed, a missing and an extra file', async () => {
    const fresh = await realModules();
    const dir = mkdtempSync(join(tmpdir(), 'schema-types-tree-'));
    try {
      for (const [f, code] of fresh) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), code);
      }
      expect(staleFiles(fresh, dir)).toEqual([]);
      writeFileSync(join(dir, 'common.ts'), 'edited');
      rmSync(join(dir, 'app.ts'));
      writeFileSync(join(dir, 'components/removed-schema.ts'), 'export type X = 1;\n');
      expect(staleFiles(fresh, dir)).toEqual(['app.ts (stale or missing)', 'common.ts (stale or missing)', 'components/removed-schema.ts (extra)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every module under 400 lines', async () => {
    const fresh = await realModules();
    const long = [...fresh].filter(([, code]) => code.split('\n').length > 400).map(([f]) => f);
    expect(long).toEqual([]);
  });
});

describe('generateSchemaTypes (fixture schemas)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function schemas(files: Record<string, object>): string {
    dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
    for (const [f, s] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: f, ...s }));
    }
    return dir;
  }

  const common = {
    $defs: {
      label: { type: 'string', pattern: '^[a-z]+$', description: 'a label' },
      size: { type: 'object', additionalProperties: false, required: ['gb'], properties: { gb: { type: 'integer' } } },
    },
  };
  const widget = {
    title: 'components.widget: a widget',
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { $ref: '../common.schema.json#/$defs/label' },
      disk: { $ref: '../common.schema.json#/$defs/size', description: 'The disk.' },
      memory: { $ref: '../common.schema.json#/$defs/size', description: 'The memory.' },
      mode: { enum: ['a', 'b'] },
      extra: { type: 'string', not: { pattern: 'x' } },
    },
    allOf: [{ if: { properties: { mode: { const: 'a' } } }, then: { required: ['extra'] }, else: { properties: { extra: false } } }],
  };
  const environment = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { $ref: 'common.schema.json#/$defs/label' }, components: { type: 'object', properties: { widget: { $ref: 'components/widget.schema.json' } } } },
  };

  it('names each shared object once, inlines scalars, keeps usage-site docs, drops conditions, sorts', async () => {
    const files = await generateSchemaTypes(schemas({ 'common.schema.json': common, 'components/widget.schema.json': widget, 'environment.schema.json': environment }));
    expect([...files.keys()]).toEqual(['common.ts', 'components/widget.ts', 'environment.ts', 'index.ts']);
    const namesIn = (f: string): (string | undefined)[] => [...(files.get(f) ?? '').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect([namesIn('common.ts'), namesIn('components/widget.ts'), namesIn('environment.ts')]).toEqual([['Size'], ['WidgetSettings'], ['EnvironmentConfig']]);
    expect(files.get('components/widget.ts')).toContain("import type { Size } from '../common.ts';");
    expect(files.get('environment.ts')).toContain("import type { WidgetSettings } from './components/widget.ts';");
    expect(files.get('index.ts')).toContain("export type * from './components/widget.ts';");
    const out = [...files.values()].join('\n');
    expect(files.get('components/widget.ts')).toMatch(/^\/\*\*\n \* GENERATED .*\n \* DO NOT EDIT.*npm run gen:types/);
    expect(out).toContain('widget?: WidgetSettings;');
    expect(out).toMatch(/\* The disk\.\n\s+\*\/\n\s+disk\?: Size;/);
    expect(out).toMatch(/\* The memory\.\n\s+\*\/\n\s+memory\?: Size;/);
    expect(out).toMatch(/\* a label\n\s+\*\/\n\s+name: string;/);
    expect(out).toContain("mode?: 'a' | 'b';");
    expect(out).toContain('extra?: string;');
    expect(out).toContain('components.widget: a widget');
    expect(out).not.toMatch(/Size1|&|\bnever\b/);
  });

  it('refuses two schemas that would get the same type name', async () => {
    const clash = { ...common, $defs: { ...common.$defs, widgetPart: { type: 'object' } } };
    const widgetWithPart = { ...widget, $defs: { part: { type: 'object' } } };
    const root = schemas({ 'common.schema.json': clash, 'components/widget.schema.json': widgetWithPart, 'environment.schema.json': environment });
    await expect(generateSchemaTypes(root)).rejects.toThrow(/type name WidgetPart given to both/);
  });
});
