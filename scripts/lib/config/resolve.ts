/**
 * Resolve an environment: catalog defaults < extends chain < env file, then
 * validate the result against schemas/environment.schema.json and the semantic rules.
 */
import type { Catalog } from './catalog.ts';
import type { LoadedEnv } from './load.ts';
import { locateInChain } from './locate-chain.ts';
import { deepMerge, isPlainObject } from './merge.ts';
import { type ConfigSchemas, type Locate } from './schema.ts';
import type { EnvConfig, ResolvedComponent, ResolvedEnv } from './environment.ts';
import type { Finding } from '../findings.ts';
import { escapePointer, positionOf, pointerSegments } from './yaml-source.ts';
import { RULES } from './rules/index.ts';

export function resolveEnvironment(
  loaded: LoadedEnv,
  catalog: Catalog,
  schemas: ConfigSchemas,
): { env?: ResolvedEnv; findings: Finding[] } {
  const data = structuredClone(loaded.data);
  // Defaults go under a components mapping; anything else (a list, a string) is left for the schema to report.
  if (data.components === undefined) data.components = {};
  if (isPlainObject(data.components)) {
    const comps = data.components;
    for (const app of catalog.values()) {
      const own = Object.hasOwn(comps, app.name) ? comps[app.name] : undefined;
      comps[app.name] = deepMerge(app.defaults, isPlainObject(own) ? own : own === undefined ? {} : own);
    }
  }
  const locate = makeLocator(loaded, catalog);
  const findings = schemas.validate('environment.schema.json', data, locate);
  if (findings.length) return { findings };
  // The schema just accepted it: it is an EnvironmentConfig.
  const config = data as unknown as EnvConfig;
  const byName = config.components as Record<string, Record<string, unknown> | undefined>;
  const components = new Map<string, ResolvedComponent>();
  for (const app of catalog.values()) {
    const settings = (Object.hasOwn(byName, app.name) ? byName[app.name] : undefined) ?? {};
    const enabled = typeof settings.enabled === 'boolean' ? settings.enabled : !app.optional;
    components.set(app.name, { app, enabled, settings });
  }
  const env: ResolvedEnv = { name: loaded.name, config, components, locate, file: loaded.sources[0]!.file };
  const ruleFindings = RULES.flatMap((rule) => rule(env));
  return ruleFindings.length ? { findings: ruleFindings } : { env, findings: [] };
}

/**
 * A pointer is looked up in the env file, then in each file it extends, then in the
 * catalog defaults of the component it falls under; otherwise it points at the env file.
 */
function makeLocator(loaded: LoadedEnv, catalog: Catalog): Locate {
  return (pointer, key) => {
    // Keyed lists (models, mcp.servers, agents, benchmarks) merge by name: locate-chain maps indices.
    const hit = locateInChain(loaded, pointer, key);
    if (hit.found) return { file: hit.file, line: hit.line, col: hit.col };
    const segs = pointerSegments(pointer);
    if (segs[0] === 'components' && segs[1] && catalog.has(segs[1])) {
      const app = catalog.get(segs[1])!;
      const rest = segs.slice(2).map((s) => `/${escapePointer(s)}`).join('');
      const p = positionOf(app.src, `/defaults${rest}`, key);
      if (p.found) return { file: app.src.file, line: p.line, col: p.col };
    }
    // Not set anywhere (e.g. a missing required key): the nearest parent, in the env file when it has it.
    return { file: hit.file, line: hit.line, col: hit.col };
  };
}
