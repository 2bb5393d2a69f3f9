/**
 * Load an environment file and the chain of files it `extends`, merged in order (merge.ts:
 * mappings key by key, lists of named items by name, other lists replace). The sources are kept
 * so that any path in the merged result can be traced back to the file, line and column that
 * set it (locate-chain.ts).
 */
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { irregularKind } from '../fs/safe-read.ts';
import { resolve } from 'node:path';
import { deepMerge, isPlainObject, KEYED_LISTS } from './merge.ts';
import { rel, type ProjectPaths } from '../paths.ts';
import { failed, ok, type Result } from '../findings.ts';
import { positionOf, printable, type YamlSource } from './yaml-source.ts';
import { loadYamlFile } from './yaml-file.ts';

export const ENV_NAME = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const EXTENDS_NAME = /^_?[a-z0-9][-a-z0-9_]*\.ya?ml$/;
/** Longest extends chain followed before giving up. */
const MAX_EXTENDS_DEPTH = 8;

export interface LoadedEnv {
  name: string;
  /** The env file first, then what it extends, nearest first. */
  sources: YamlSource[];
  /** The merged settings, without `extends`. */
  data: Record<string, unknown>;
}

/** Environment names found in environments/ (files not starting with `_`), sorted. */
export function listEnvironments(paths: ProjectPaths): string[] {
  if (!existsSync(paths.environments)) return [];
  return readdirSync(paths.environments)
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_'))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort();
}

export function loadEnvironment(paths: ProjectPaths, name: string): Result<LoadedEnv> {
  if (!ENV_NAME.test(name)) {
    // The name comes from a file name or the command line: print it escaped.
    const shown = printable(name);
    return fail(`environments/${shown}.yaml`, 0, 0, `environment name "${shown}" is not a DNS-1123 label (lowercase letters, digits and '-')`);
  }
  const yaml = lexists(resolve(paths.environments, `${name}.yaml`));
  const yml = lexists(resolve(paths.environments, `${name}.yml`));
  if (yaml && yml) {
    return fail(`environments/${name}.yml`, 0, 0, `environments/${name}.yaml and environments/${name}.yml both exist: keep one`);
  }
  const sources: YamlSource[] = [];
  const seen: string[] = [];
  let abs = resolve(paths.environments, `${name}.${yml ? 'yml' : 'yaml'}`);
  for (let depth = 0; ; depth++) {
    const relFile = rel(paths.root, abs);
    if (seen.includes(relFile)) {
      const prev = sources[sources.length - 1]!;
      const p = positionOf(prev, '/extends');
      return fail(prev.file, p.line, p.col, `extends cycle: ${[...seen, relFile].join(' -> ')}`, '/extends');
    }
    if (depth > MAX_EXTENDS_DEPTH) {
      return fail(relFile, 1, 1, `extends chain is longer than ${MAX_EXTENDS_DEPTH} files`);
    }
    const loaded = loadYamlFile(abs, relFile);
    if (!loaded.ok) return loaded;
    const src = loaded.value;
    sources.push(src);
    seen.push(relFile);
    const data = src.data as Record<string, unknown>;
    if (!Object.hasOwn(data, 'extends')) break;
    const target = data.extends;
    // Located only for a finding: locating parses the YAML when the file was read from the cache.
    const at = (): { line: number; col: number } => positionOf(src, '/extends');
    if (typeof target !== 'string' || !EXTENDS_NAME.test(target)) {
      const p = at();
      return fail(relFile, p.line, p.col, 'extends must name a file in environments/, e.g. "_base.yaml" (no folders)', '/extends');
    }
    abs = resolve(paths.environments, target);
    const st = lstatOrUndefined(abs);
    if (!st) {
      const p = at();
      return fail(relFile, p.line, p.col, `extends target environments/${target} does not exist`, '/extends');
    }
    if (!st.isFile()) {
      // A link is never followed: it could point out of environments/ (and findings would echo that file).
      const what = irregularKind(st) ?? 'a folder';
      const p = at();
      return fail(relFile, p.line, p.col, `extends target environments/${target} is ${what}, not a regular file`, '/extends');
    }
  }
  let merged: unknown = {};
  for (const src of [...sources].reverse()) merged = deepMerge(merged, src.data, KEYED_LISTS);
  const data = isPlainObject(merged) ? merged : {};
  delete data.extends;
  return ok({ name, sources, data });
}

function lstatOrUndefined(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** Does the path exist (a dangling link too: it is reported, not taken for a missing file)? */
function lexists(abs: string): boolean {
  return lstatOrUndefined(abs) !== undefined;
}

function fail(file: string, line: number, col: number, message: string, path = ''): Result<LoadedEnv> {
  return failed([{ file, line, col, path, message }]);
}
