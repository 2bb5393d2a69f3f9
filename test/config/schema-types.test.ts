/** scripts/lib/config/schema-types.ts is generated from schemas/ and must match them. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSchemaTypes, TYPES_FILE } from '../../scripts/gen-types.ts';
import { ROOT } from '../../scripts/lib/paths.ts';

describe('schema-types.ts', () => {
  it('is up to date with schemas/', async () => {
    const fresh = await generateSchemaTypes(join(ROOT, 'schemas'));
    const committed = readFileSync(join(ROOT, TYPES_FILE), 'utf8');
    // A plain boolean keeps vitest from printing a 1400-line diff; the message says what to do.
    expect(committed === fresh, `${TYPES_FILE} does not match schemas/ (a schema changed, or the file was edited by hand): run npm run gen:types and commit the result.`).toBe(true);
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
    const out = await generateSchemaTypes(schemas({ 'common.schema.json': common, 'components/widget.schema.json': widget, 'environment.schema.json': environment }));
    const names = [...out.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(names).toEqual(['EnvironmentConfig', 'Size', 'WidgetSettings']);
    expect(out).toMatch(/^\/\*\*\n \* GENERATED .*\n \* DO NOT EDIT.*npm run gen:types/);
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
