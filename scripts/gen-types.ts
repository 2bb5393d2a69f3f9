/**
 * npm run gen:types: the TypeScript types of the config files, generated from schemas/ into
 * scripts/lib/config/schema-types/, one module per schema file mirroring schemas/ plus an index.ts
 * re-exporting them (test/config/schema-types.test.ts fails when a file is stale, missing or extra).
 *
 * The schemas reference each other across files (`../common.schema.json#/$defs/resources`,
 * `$ref` with a sibling `description`) and guard properties with if/then/else. Rather than
 * let json-schema-to-typescript resolve refs (it names types after the long `title`s and
 * declares a copy, Resources1, Resources2..., for every `$ref` that has a sibling), this
 * script bundles the schemas itself:
 *  - every file root and every object-valued `$defs` entry gets one type name (table below);
 *  - a `$ref` to a named schema becomes `tsType: <Name>` (keeping the usage site's description),
 *    a `$ref` to a scalar definition (dnsLabel, quantity, ...) is inlined;
 *  - if/then/else and `not` are dropped: they only add conditional requirements, which a
 *    static type cannot express (ajv still enforces them when the config is loaded).
 * All schemas compile together (one pass, so a shared type is declared once); each declaration then
 * goes to the module of the schema that defines it, importing the types it uses from its siblings.
 * Declarations are sorted by name, so the files depend only on the schemas.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import ts from 'typescript';
import { ROOT } from './lib/paths.ts';
import { completeComponentKeys, schemaFiles } from './lib/config/schema-files.ts';

/** The generated types, one module per schema file, mirroring schemas/ (import from `index.ts`). */
export const TYPES_DIR = 'scripts/lib/config/schema-types';
const INDEX = 'index.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

/** Names of file roots that are not component settings (those are `<Component>Settings`). */
const ROOT_NAMES: Record<string, string> = {
  'environment.schema.json': 'EnvironmentConfig',
  'app.schema.json': 'CatalogAppConfig',
  'models.schema.json': 'ModelList',
  'components/mcp-registry.schema.json': 'McpRegistry',
  'components/agents-list.schema.json': 'AgentList',
  'components/benchmark-runs.schema.json': 'BenchmarkRunList',
};
/** Names of `$defs` entries where `<File><Def>` (or `<Def>` in common) would read badly. */
const DEF_NAMES: Record<string, string> = {
  'models.schema.json#/$defs/model': 'Model',
  'models.schema.json#/$defs/scorers': 'SchedulerScorers',
  'components/mcp-registry.schema.json#/$defs/server': 'McpServer',
  'components/agents-list.schema.json#/$defs/agent': 'Agent',
  'components/benchmark-runs.schema.json#/$defs/run': 'BenchmarkRun',
  'common.schema.json#/$defs/toggle': 'ToggleSettings',
  'common.schema.json#/$defs/operator': 'OperatorSettings',
};
/** Keywords whose value is one schema, a list of schemas, or a map of name to schema. */
const ONE = ['items', 'additionalProperties', 'contains', 'propertyNames'];
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties'];
/** Dropped: identity and structure the bundle replaces, and conditions a type cannot state. */
const DROP = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'if', 'then', 'else', 'not']);

const pascal = (s: string): string => s.replace(/(^|[-_.])([a-z0-9])/gi, (_m, _sep, c: string) => c.toUpperCase());
const stem = (id: string): string => id.replace(/^components\//, '').replace(/\.schema\.json$/, '');
const isObj = (v: Json | undefined): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema files by `$id` (a path relative to schemas/, which `$ref`s resolve against). */
export function readSchemas(schemaDir: string): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const f of schemaFiles(schemaDir)) {
    const s = JSON.parse(readFileSync(f.abs, 'utf8')) as Schema;
    if (s.$id !== f.id) throw new Error(`${f.shown}: $id is ${JSON.stringify(s.$id)}, expected "${f.id}" (refs resolve against it)`);
    if (out.has(f.id)) throw new Error(`${f.shown}: a second schema with $id "${f.id}"`);
    if (f.id === 'environment.schema.json') completeComponentKeys(s, schemaDir);
    out.set(f.id, s);
  }
  return out;
}

/** A schema is a named type when it is an object or a list of objects; scalars are inlined. */
function objectish(s: Schema): boolean {
  return s.type === 'object' || (s.type === 'array' && isObj(s.items) && s.items.type === 'object');
}

class Bundler {
  /** `<$id>#<pointer>` -> type name. */
  readonly names = new Map<string, string>();

  constructor(private readonly files: Map<string, Schema>) {
    const taken = new Map<string, string>();
    const name = (key: string, n: string): void => {
      if (taken.has(n)) throw new Error(`type name ${n} given to both ${taken.get(n)} and ${key}: add one to DEF_NAMES`);
      taken.set(n, key);
      this.names.set(key, n);
    };
    for (const [id, s] of files) {
      if (id === 'common.schema.json') {
        // Only $defs: no root type.
      } else if (ROOT_NAMES[id]) name(`${id}#`, ROOT_NAMES[id]);
      else if (id.startsWith('components/')) name(`${id}#`, `${pascal(stem(id))}Settings`);
      else throw new Error(`schemas/${id}: no type name for it in ROOT_NAMES`);
      const defs = isObj(s.$defs) ? s.$defs : {};
      for (const [k, d] of Object.entries(defs)) {
        const key = `${id}#/$defs/${k}`;
        if (!isObj(d) || !objectish(d)) continue;
        name(key, DEF_NAMES[key] ?? (id === 'common.schema.json' ? pascal(k) : pascal(stem(id)) + pascal(k)));
      }
    }
  }

  /** `$ref` from file `from` -> `<$id>#<pointer>`. */
  private target(ref: string, from: string): { id: string; pointer: string } {
    const base = 'https://schemas.invalid/';
    const url = new URL(ref, base + from);
    return { id: url.pathname.slice(1), pointer: decodeURIComponent(url.hash.slice(1)) };
  }

  private lookup(id: string, pointer: string): Schema {
    let node: Json | undefined = this.files.get(id);
    for (const seg of pointer.split('/').slice(1)) node = isObj(node) ? node[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (!isObj(node)) throw new Error(`$ref ${id}#${pointer} does not resolve`);
    return node;
  }

  /** The schema at `<id>#<pointer>` with refs rewritten, ready for the generator. */
  bundle(id: string, pointer = ''): Schema {
    const s = this.lookup(id, pointer);
    const out = this.rewrite(s, id);
    if (pointer === '') {
      const doc = [s.title, s.description].filter((x): x is string => typeof x === 'string').join('\n\n');
      if (doc) out.description = doc;
    }
    return out;
  }

  private rewrite(s: Schema, from: string): Schema {
    if (typeof s.$ref === 'string') {
      const { id, pointer } = this.target(s.$ref, from);
      const named = this.names.get(`${id}#${pointer}`);
      const base: Schema = named ? { tsType: named } : this.rewrite(this.lookup(id, pointer), id);
      return typeof s.description === 'string' ? { ...base, description: s.description } : base;
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(s)) {
      if (DROP.has(k)) continue;
      if (ONE.includes(k) && isObj(v)) out[k] = this.rewrite(v, from);
      else if (MANY.includes(k) && Array.isArray(v)) {
        const kept = v.filter(isObj).map((x) => this.rewrite(x, from)).filter((x) => Object.keys(x).length > 0);
        if (kept.length) out[k] = kept;
      } else if (MAP.includes(k) && isObj(v)) {
        out[k] = Object.fromEntries(Object.entries(v).map(([p, x]) => [p, isObj(x) ? this.rewrite(x, from) : x]));
      } else out[k] = v;
    }
    return out;
  }
}

/** The generator notes which root "referenced" each definition: noise here, every type is a root's. */
function dropBacklinks(text: string): string {
  const note = String.raw` \* This (?:interface|type) was referenced by \`[A-Za-z]+\`'s JSON-Schema\n \* via the \`definition\` "[A-Za-z]+"\.\n`;
  return text.replace(new RegExp(String.raw`^/\*\*\n${note} \*/\n`), '').replace(new RegExp(String.raw` \*\n${note}`), '');
}

type Declaration = { name: string; text: string; uses: Set<string> };

/** Top-level declarations sorted by name, each with its doc comment and the type names it uses. */
function declarations(code: string): Declaration[] {
  const file = ts.createSourceFile('schema-types/index.ts', code, ts.ScriptTarget.Latest, true);
  const decls = file.statements.map((st) => {
    if (!ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) throw new Error(`unexpected generated statement: ${st.getText(file).slice(0, 80)}`);
    const uses = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) uses.add(n.typeName.text);
      ts.forEachChild(n, visit);
    };
    visit(st);
    return { name: st.name.text, text: dropBacklinks(st.getFullText(file).trim()), uses };
  });
  return decls.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `components/postgres.schema.json` -> `config/schema-types/components/postgres.ts`: the generated files mirror schemas/. */
const moduleOf = (id: string): string => id.replace(/\.schema\.json$/, '.ts');

/** `./x.ts` or `../x.ts` from module `from` to module `to` (both relative to TYPES_DIR). */
function relativeImport(from: string, to: string): string {
  const rel = relative(dirname(from), to).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** One generated module: its header, type imports from its siblings, and its declarations. */
function moduleText(module: string, source: string, decls: Declaration[], ownerOf: Map<string, string>): string {
  const imports = new Map<string, Set<string>>();
  for (const d of decls) {
    for (const used of d.uses) {
      const owner = ownerOf.get(used);
      if (owner === undefined || owner === module) continue;
      imports.set(owner, (imports.get(owner) ?? new Set()).add(used));
    }
  }
  const header = `/**
 * GENERATED by scripts/gen-types.ts from ${source} (json-schema-to-typescript).
 * DO NOT EDIT: change the schemas, then regenerate with \`npm run gen:types\`.
 */
`;
  const importLines = [...imports]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([owner, names]) => `import type { ${[...names].sort().join(', ')} } from '${relativeImport(module, owner)}';`);
  const body = decls.map((d) => d.text).join('\n\n');
  return `${header}${importLines.length ? `\n${importLines.join('\n')}\n` : ''}\n${body}\n`;
}

const INDEX_HEADER = `/**
 * GENERATED by scripts/gen-types.ts: the TypeScript types of the config files, one module per
 * schema under schemas/. Import from here. DO NOT EDIT: run \`npm run gen:types\`.
 */
`;

/**
 * The generated modules for the schemas in `schemaDir`, by path relative to TYPES_DIR: one per
 * schema file (its root type and its object `$defs`), plus `index.ts` re-exporting them all.
 */
export async function generateSchemaTypes(schemaDir: string): Promise<Map<string, string>> {
  const bundler = new Bundler(readSchemas(schemaDir));
  const shownOf = new Map(schemaFiles(schemaDir).map((f) => [f.id, f.shown]));
  const $defs: Record<string, Json> = {};
  const ownerOf = new Map<string, string>();
  const sourceOf = new Map<string, string>();
  let root: Schema | undefined;
  for (const [key, name] of [...bundler.names].sort(([, a], [, b]) => (a < b ? -1 : 1))) {
    const [id, pointer] = key.split('#') as [string, string];
    ownerOf.set(name, moduleOf(id));
    sourceOf.set(moduleOf(id), shownOf.get(id) ?? `schemas/${id}`);
    const schema = { ...bundler.bundle(id, pointer), title: name };
    if (name === 'EnvironmentConfig') root = schema;
    else $defs[name] = schema;
  }
  if (!root) throw new Error('environment.schema.json is missing');
  const code = await compile({ ...root, $defs } as JSONSchema, 'EnvironmentConfig', {
    bannerComment: '',
    declareExternallyReferenced: true,
    unreachableDefinitions: true,
    additionalProperties: true,
    ignoreMinAndMaxItems: true,
    unknownAny: true,
    strictIndexSignatures: false,
    format: true,
    style: { singleQuote: true, printWidth: 140, trailingComma: 'all', semi: true, tabWidth: 2, useTabs: false, endOfLine: 'lf' },
  });
  const byModule = new Map<string, Declaration[]>();
  for (const d of declarations(code)) {
    const module = ownerOf.get(d.name);
    if (module === undefined) throw new Error(`generated type ${d.name} belongs to no schema`);
    byModule.set(module, [...(byModule.get(module) ?? []), d]);
  }
  const out = new Map<string, string>();
  const modules = [...byModule.keys()].sort();
  for (const m of modules) out.set(m, moduleText(m, sourceOf.get(m) ?? m, byModule.get(m) ?? [], ownerOf));
  out.set(INDEX, `${INDEX_HEADER}\n${modules.map((m) => `export type * from './${m}';`).join('\n')}\n`);
  return out;
}

/** The `.ts` files under `dir`, relative to it, sorted. */
export function existingTypeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.split(sep).join('/'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await generateSchemaTypes(join(ROOT, 'schemas'));
  const dir = join(ROOT, TYPES_DIR);
  for (const stale of existingTypeFiles(dir)) if (!files.has(stale)) rmSync(join(dir, stale));
  for (const [f, code] of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), code);
  }
  console.log(`wrote ${files.size} files to ${TYPES_DIR}/`);
}
