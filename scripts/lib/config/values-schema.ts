/**
 * A strict JSON Schema (2020-12) for a chart's values, read off the chart's own values.yaml:
 * every key the chart declares, typed by its default (string, integer, number, boolean, list,
 * mapping), and no other key (`additionalProperties: false`), so a misspelt value fails
 * `validate` instead of being ignored by helm. An empty mapping (`nodeSelector: {}`,
 * `podAnnotations: {}`) is a free-form map, `null` accepts anything: the chart gives no shape
 * for them. Lists take the shape of their first element when it is a mapping.
 */
export type JsonSchema = { [k: string]: unknown };

/** The schema of one values node. */
export function schemaOfValue(value: unknown): JsonSchema {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') return { type: 'string' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return first !== null && typeof first === 'object' && !Array.isArray(first) ? { type: 'array', items: schemaOfValue(first) } : { type: 'array' };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return { type: 'object' };
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, schemaOfValue(v)])),
  };
}

/**
 * The settings schema of a chart component: `enabled` and `values` (what the env may set of the
 * chart's values, checked against the chart's own keys), with `$id` components/<name>.schema.json.
 */
export function chartSettingsSchema(name: string, chart: string, version: string, values: unknown): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `components/${name}.schema.json`,
    title: `components.${name}: the ${chart} ${version} chart`,
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      values: { ...schemaOfValue(values ?? {}), description: `Helm values of ${chart} ${version} (only the keys its values.yaml declares; scaffolded by \`npm run component -- add\`).` },
    },
  };
}
