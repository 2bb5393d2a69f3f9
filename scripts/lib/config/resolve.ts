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
import { failed, ok, type Finding, type Result } from '../findings.ts';
import { escapePointer, positionOf, pointerSegments } from './yaml-source.ts';
import { RULES } from './rules/index.ts';
import { brokenPointer, readLog, touches, tracked, TrackedMap } from './rule-inputs.ts';

export function resolveEnvironment(
  loaded: LoadedEnv,
  catalog: Catalog,
  schemas: ConfigSchemas,
): Result<ResolvedEnv> {
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
  // cluster settings the environment leaves out take the schema's default (cluster.apiServerPorts).
  if (isPlainObject(data.cluster)) data.cluster = { ...schemas.clusterDefaults(), ...data.cluster };
  const locate = makeLocator(loaded, catalog);
  const findings = schemas.validate('environment.schema.json', data, locate);
  // Valid: it is an EnvironmentConfig. Invalid: the rules still run (below) on the parts that validated.
  const config = data as unknown as EnvConfig;
  const byName = config.components as Record<string, Record<string, unknown> | undefined>;
  const components = new Map<string, ResolvedComponent>();
  for (const app of catalog.values()) {
    const settings = (Object.hasOwn(byName, app.name) ? byName[app.name] : undefined) ?? {};
    const enabled = typeof settings.enabled === 'boolean' ? settings.enabled : !app.optional;
    components.set(app.name, { app, enabled, settings });
  }
  const env: ResolvedEnv = { name: loaded.name, config, components, locate, file: loaded.sources[0]!.file };
  if (findings.length) return failed([...findings, ...rulesOnValidParts(env, catalog, findings)]);
  const ruleFindings = RULES.flatMap((rule) => rule(env));
  return ruleFindings.length ? failed(ruleFindings) : ok(env);
}

/**
 * Semantic rules on a config with schema errors, so one round trip shows both: each rule runs on a
 * read-recording view of the config and is skipped when it read a part the schema rejected (its
 * findings would be follow-ons of that error) or threw on malformed data.
 */
function rulesOnValidParts(env: ResolvedEnv, catalog: Catalog, schemaFindings: Finding[]): Finding[] {
  const broken = schemaFindings.map((f) => brokenPointer(f.path, f.message));
  const log = readLog();
  const config = tracked(env.config, '', log);
  const byName = (isPlainObject(config.components) ? config.components : {}) as Record<string, unknown>;
  const comps: [string, ResolvedComponent][] = [...catalog.values()].map((app) => {
    const raw = byName[app.name];
    const settings = (isPlainObject(raw) ? raw : {}) as Record<string, unknown>;
    const enabled = env.components.get(app.name)?.enabled ?? !app.optional;
    const c = { app, settings, get enabled() {
      if (log.on) log.reads.add(`/components/${escapePointer(app.name)}/enabled`);
      return enabled;
    } };
    return [app.name, c];
  });
  const view: ResolvedEnv = { ...env, config, components: new TrackedMap(comps, '/components', log) };
  const out: Finding[] = [];
  for (const rule of RULES) {
    log.reads.clear();
    log.wholes.clear();
    log.on = true;
    try {
      const fs = rule(view);
      log.on = false;
      if (!touches(log, broken)) out.push(...fs);
    } catch {
      // The rule tripped over malformed data: the schema error says what is wrong.
    } finally {
      log.on = false;
    }
  }
  return out;
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
