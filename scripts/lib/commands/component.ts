/**
 * `catalyst component add NAME --chart REPO/CHART@VERSION [--layer L] [--namespace NS]` and
 * `catalyst component add NAME --mcp-server`: scaffold apps/NAME/, one folder holding the
 * component (docs/ARCHITECTURE.md, "One folder per component").
 *
 * A chart component: the chart is found like `check` finds it (the chart mirror, else the chart
 * cache, else `helm pull` with --fetch) and read with the real helm: `helm show values` gives
 * the strict settings schema (config/values-schema.ts) and `helm template --include-crds` the
 * CRD groups it installs (crds.installs) and the kinds it creates, split into clusterResources
 * and namespacedResources by their scope (the built-in kinds and the chart's own CRDs).
 * An MCP server: a local component on the shared templates of the MCP server family, shaped
 * like the family's existing members (layer, namespace, dependencies, kinds, settings schema).
 * The settings types are regenerated (scripts/gen-types.ts); nothing else outside apps/NAME/ is
 * written: the environment schema takes the new folder's key by itself (config/schema-files.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { UsageError, groupOf, type K8sObject } from '../findings.ts';
import { componentDir, componentSettingsSchema, componentOverlays, componentFile, type ProjectPaths } from '../paths.ts';
import { windowsReserved } from '../config/reserved-names.ts';
import { LAYERS } from '../config/catalog.ts';
import { loadProject } from '../render/environment.ts';
import { cacheDir } from '../cache-dir.ts';
import { loadAllowedHosts } from '../config/hosts.ts';
import { locateChart } from '../verify/hydration/index.ts';
import { runHelm } from '../tools/helm.ts';
import { clusterScopedKindsFrom } from '../verify/admission/index.ts';
import { chartSettingsSchema } from '../config/values-schema.ts';
import { chartMirror } from './platform-options.ts';
import { EXIT_OK, type CommandOptions } from './common.ts';

const NAME = /^[a-z]([a-z0-9-]{0,40}[a-z0-9])?$/;

/** `https://host/path/CHART@VERSION` or `oci://host/path/CHART@VERSION`. */
export function parseChartRef(text: string): { repoURL: string; chart: string; version: string } {
  const m = /^((?:https|oci):\/\/[^@\s]+)\/([a-z0-9][a-z0-9._-]*)@([^@/\s]+)$/.exec(text);
  if (!m) throw new UsageError(`--chart ${JSON.stringify(text)}: expected REPO/CHART@VERSION (e.g. https://charts.example.com/kueue@0.14.1 or oci://registry.example/charts/kueue@0.14.1)`);
  return { repoURL: m[1]!, chart: m[2]!, version: m[3]! };
}

export async function componentCommand(opts: CommandOptions): Promise<number> {
  const [verb, name, ...extra] = opts.args ?? [];
  if (verb !== 'add' || !name) throw new UsageError('usage: catalyst component add NAME --chart REPO/CHART@VERSION [--layer L] [--namespace NS] | --mcp-server');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!NAME.test(name)) throw new UsageError(`component name "${name}": lowercase letters, digits and '-', at most 42 characters, starting with a letter`);
  if (name === 'apps' || name === 'root' || windowsReserved(name)) throw new UsageError(`component name "${name}" is reserved (generated/<env>/apps/, root.yaml, Windows device names)`);
  const dir = join(opts.paths.root, componentDir(name));
  if (existsSync(dir)) throw new UsageError(`${componentDir(name)}/ exists already`);
  if (opts.mcpServer === (opts.chart !== undefined)) throw new UsageError('component add needs exactly one of --chart REPO/CHART@VERSION and --mcp-server');
  const files = opts.mcpServer ? mcpServerFiles(opts.paths, name) : await chartFiles(opts, name);
  try {
    for (const [rel, text] of files) {
      mkdirSync(join(opts.paths.root, rel, '..'), { recursive: true });
      writeFileSync(join(opts.paths.root, rel), text);
    }
    await writeTypes(opts.paths);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  opts.out(`component: wrote ${[...files.keys()].join(', ')}\n`);
  opts.out(`next: review ${componentFile(name)} (description, dependsOn, podSecurity), enable it in environments/<env>.yaml (components.${name}.enabled: true), then npm run render and npm run check\n`);
  return EXIT_OK;
}

async function chartFiles(opts: CommandOptions, name: string): Promise<Map<string, string>> {
  const ref = parseChartRef(opts.chart!);
  const layer = opts.layer ?? 'platform';
  if (!(LAYERS as readonly string[]).includes(layer)) throw new UsageError(`--layer ${layer}: one of ${LAYERS.join(', ')}`);
  const namespace = opts.namespace ?? `${name}-system`;
  if (!NAME.test(namespace)) throw new UsageError(`--namespace ${namespace}: not a namespace name`);
  const found = await locateChart({ ...ref, oci: ref.repoURL.startsWith('oci://') }, { mirror: chartMirror(opts)?.dir, cacheDir: cacheDir('charts'), fetch: opts.fetch, allowedHosts: loadAllowedHosts(opts.paths).hosts });
  if ('missing' in found) throw new UsageError(`${found.missing}: put it in the chart mirror (--chart-mirror DIR) or pass --fetch`);
  const values: unknown = parse((await runHelm(['show', 'values', found.path])).stdout) ?? {};
  const rendered = (await runHelm(['template', name, found.path, '--namespace', namespace, '--include-crds'])).stdout;
  const objects = parseAllDocuments(rendered).map((d) => d.toJS() as unknown).filter((o): o is K8sObject => o !== null && typeof o === 'object' && typeof (o as K8sObject).kind === 'string');
  const installs = [...new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => String((o.spec as { group?: unknown } | undefined)?.group ?? '')).filter(Boolean))].sort();
  const scopeOf = clusterScopedKindsFrom(objects);
  const kinds = new Map<string, { group: string; kind: string; cluster: boolean | undefined }>();
  for (const o of objects) kinds.set(`${groupOf(o.apiVersion)}/${o.kind}`, { group: groupOf(o.apiVersion), kind: o.kind, cluster: scopeOf(groupOf(o.apiVersion), o.kind) });
  const sorted = [...kinds.values()].sort((a, b) => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1));
  const unknown = sorted.filter((k) => k.cluster === undefined).map((k) => `${k.group}/${k.kind}`);
  if (unknown.length) throw new UsageError(`the chart creates ${unknown.join(', ')}, whose scope is neither a built-in kind's nor one of the chart's CRDs: add the component by hand`);
  const list = (cluster: boolean) => sorted.filter((k) => k.cluster === cluster).map((k) => ({ group: k.group, kind: k.kind }));
  const app: Record<string, unknown> = {
    name,
    description: `${ref.chart} ${ref.version} (scaffolded: say what it is for)`,
    layer,
    namespace,
    // Off until an environment enables it (components.<name>.enabled: true).
    optional: true,
    ...(installs.length ? { crds: { installs } } : {}),
    source: { type: 'helm', ...ref },
    ...(installs.length ? { syncOptions: ['ServerSideApply=true'] } : {}),
    clusterResources: list(true),
    namespacedResources: list(false),
  };
  return new Map([
    [componentFile(name), `# yaml-language-server: $schema=../../schemas/app.schema.json\n${flowPairs(stringify(app, { lineWidth: 0 }))}`],
    [componentSettingsSchema(name), `${JSON.stringify(chartSettingsSchema(name, ref.chart, ref.version, values), null, 2)}\n`],
    [`${componentOverlays(name)}/values.yaml.hbs`, `{{!-- The chart's values from components.${name}.values (apps/${name}/settings.schema.json checks them against the chart's keys). --}}\n{{#if settings.values}}\n{{yaml settings.values}}\n{{/if}}\n`],
  ]);
}

/** `- group: x\n    kind: Y` -> `- { group: x, kind: Y }`, as the catalog writes its kind lists. */
function flowPairs(text: string): string {
  return text.replace(/^( *)- group: (.*)\n\1  kind: (.*)$/gm, (_m, pad: string, g: string, k: string) => `${pad}- { group: ${g}, kind: ${k} }`);
}

/** An MCP server on the family's shared templates, shaped like the family's first member. */
function mcpServerFiles(paths: ProjectPaths, name: string): Map<string, string> {
  const project = loadProject(paths);
  if (project.catalogFindings.length) throw new UsageError(`the catalog has findings; run npm run validate first (${project.catalogFindings[0]!.file})`);
  const member = [...project.catalog.values()].find((a) => a.source.type === 'local' && a.source.templates === 'mcp-server');
  if (!member) throw new UsageError('no component uses the shared MCP server templates (overlays/_shared/mcp-server/)');
  const text = readFileSync(join(paths.root, member.src.file), 'utf8');
  const doc = parse(text) as Record<string, unknown>;
  const app = {
    name,
    description: `${name} MCP server (scaffolded from ${member.name}: say what it serves)`,
    layer: doc.layer,
    namespace: doc.namespace,
    optional: true,
    dependsOn: doc.dependsOn,
    crds: doc.crds,
    source: doc.source,
    egress: [],
    // A new server type, declared as data (config/mcp-facts.ts): a person sets the port and path
    // the server listens on, its container's args, and the tools of each pinned image.
    mcpServer: {
      type: name.replace(/^mcp-/, '').replace(/[^a-z0-9]/g, ''),
      port: 8080,
      path: '/mcp',
      container: { name: name.replace(/^mcp-/, ''), args: ['--port={port}', '--path={path}'] },
      tools: {},
    },
    // The member's defaults without what belongs to its type (its image and credential bridge).
    defaults: { ...Object.fromEntries(Object.entries((doc.defaults ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'bridge')), image: `registry.example.com/${name}:0.1.0` },
    namespacedResources: doc.namespacedResources,
  };
  const out = new Map([[componentFile(name), `# yaml-language-server: $schema=../../schemas/app.schema.json\n${flowPairs(stringify(app, { lineWidth: 0 }))}`]]);
  // The member's settings schema: its own file, or the family's (referenced by the new $id).
  const own = join(paths.root, componentSettingsSchema(member.name));
  out.set(componentSettingsSchema(name), existsSync(own)
    ? readFileSync(own, 'utf8').replace(`"components/${member.name}.schema.json"`, `"components/${name}.schema.json"`)
    : `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `components/${name}.schema.json`, $ref: familySchema(paths, member.name) }, null, 2)}\n`);
  return out;
}

/** The settings schema the environment schema gives a component (`components.<name>.$ref`). */
function familySchema(paths: ProjectPaths, member: string): string {
  const env = JSON.parse(readFileSync(join(paths.schemas, 'environment.schema.json'), 'utf8')) as { properties: { components: { properties: Record<string, { $ref?: string }> } } };
  const ref = env.properties.components.properties[member]?.$ref;
  if (!ref) throw new UsageError(`schemas/environment.schema.json: components.${member} has no $ref to copy`);
  // The new schema's $id is components/<name>.schema.json: a ref relative to schemas/ loses its components/ prefix.
  return ref.replace(/^components\//, '');
}

/** Regenerate the settings types (npm run gen:types) for the new schema. */
async function writeTypes(paths: ProjectPaths): Promise<void> {
  const { generateSchemaTypes, TYPES_DIR } = await import('../../gen-types.ts');
  const dir = join(paths.root, TYPES_DIR);
  if (!existsSync(dir)) return;
  for (const [rel, text] of await generateSchemaTypes(paths.schemas)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}
