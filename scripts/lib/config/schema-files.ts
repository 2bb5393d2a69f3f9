/**
 * Where the config schemas are: schemas/*.schema.json and schemas/components/ (shared by the
 * catalog, the environments and families of components), plus each component's own settings
 * schema in its folder, apps/<name>/settings.schema.json. The `$id` of a component's settings
 * schema is `components/<name>.schema.json`, so references between schemas resolve the same
 * wherever the file lives (`../common.schema.json`, `components/<name>.schema.json` in the
 * environment schema).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPONENTS_DIR, componentSettingsSchema } from '../paths.ts';

export interface SchemaFile {
  /** The `$id` it must have. */
  id: string;
  /** Absolute path. */
  abs: string;
  /** Path relative to the project root, for messages. */
  shown: string;
}

/** The `$id` of the settings schema of component `name`. */
export const settingsSchemaId = (name: string): string => `components/${name}.schema.json`;

/**
 * Every schema file under `schemaDir` (schemas/, not schemas/crds or schemas/app-configs) and
 * the settings schemas of the component folders next to it (../apps/<name>/), sorted by `$id`.
 */
export function schemaFiles(schemaDir: string): SchemaFile[] {
  const root = dirname(schemaDir);
  const out: SchemaFile[] = [];
  for (const sub of ['', 'components/']) {
    const dir = join(schemaDir, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.schema.json'))) out.push({ id: sub + f, abs: join(dir, f), shown: `schemas/${sub}${f}` });
  }
  const apps = join(root, COMPONENTS_DIR);
  if (existsSync(apps)) {
    for (const e of readdirSync(apps, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const shown = componentSettingsSchema(e.name);
      if (existsSync(join(root, shown))) out.push({ id: settingsSchemaId(e.name), abs: join(root, shown), shown });
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type JsonObject = { [k: string]: unknown };

/**
 * The environment schema's `components` keys, completed from the folders: a component folder
 * not listed there gets `{ $ref: components/<name>.schema.json }` when it has a settings schema,
 * else the plain on/off toggle. The listed keys keep their order (and `unknown key` messages
 * theirs); a new component needs no edit of schemas/environment.schema.json. Returns the names
 * added (to key caches on them).
 */
/** The settings of a component folder with no settings schema of its own: `enabled` only. */
export const TOGGLE_REF = 'common.schema.json#/$defs/toggle';

export function completeComponentKeys(envSchema: JsonObject, schemaDir: string): string[] {
  const root = dirname(schemaDir);
  const apps = join(root, COMPONENTS_DIR);
  const components = ((envSchema.properties as JsonObject | undefined)?.components as JsonObject | undefined)?.properties as JsonObject | undefined;
  if (!components || !existsSync(apps)) return [];
  const added: string[] = [];
  const folders = readdirSync(apps, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('_')).map((e) => e.name).sort();
  for (const name of folders) {
    if (Object.hasOwn(components, name)) continue;
    components[name] = existsSync(join(root, componentSettingsSchema(name))) ? { $ref: settingsSchemaId(name) } : { $ref: TOGGLE_REF };
    added.push(name);
  }
  return added;
}
