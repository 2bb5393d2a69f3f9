/** Where things live. Every path the tool prints is relative to the project root. */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this file that holds package.json
 * (two levels up from scripts/lib/, three from the compiled dist/scripts/lib/).
 */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..', '..');
  }
}

export interface ProjectPaths {
  root: string;
  environments: string;
  apps: string;
  base: string;
  overlays: string;
  generated: string;
  schemas: string;
}

/** The standard layout under a root (tests point this at a copy of the project). */
export function projectPaths(root: string = ROOT): ProjectPaths {
  return {
    root,
    environments: resolve(root, 'environments'),
    apps: resolve(root, 'apps'),
    base: resolve(root, 'base'),
    overlays: resolve(root, 'overlays'),
    generated: resolve(root, 'generated'),
    schemas: resolve(root, 'schemas'),
  };
}

/**
 * One folder per component: apps/<name>/ holds everything about it, found by listing apps/
 * (no list of components lives in code). Paths are relative to the project root.
 */
export const COMPONENTS_DIR = 'apps';
/** The catalog entry of a component: apps/<name>/app.yaml. */
export const COMPONENT_FILE = 'app.yaml';
export const componentDir = (name: string): string => `${COMPONENTS_DIR}/${name}`;
export const componentFile = (name: string): string => `${componentDir(name)}/${COMPONENT_FILE}`;
/** Its kustomize base (plain manifests): apps/<name>/base/. */
export const componentBase = (name: string): string => `${componentDir(name)}/base`;
/** Its templates: apps/<name>/overlays/. */
export const componentOverlays = (name: string): string => `${componentDir(name)}/overlays`;
/** Its settings schema, when only it uses one: apps/<name>/settings.schema.json. */
export const componentSettingsSchema = (name: string): string => `${componentDir(name)}/settings.schema.json`;
/** Its Argo CD health checks (`<group>_<Kind>.lua`, fixtures in `<group>_<Kind>/`): apps/<name>/health/. */
export const componentHealth = (name: string): string => `${componentDir(name)}/health`;

/** A path relative to the root with forward slashes, for messages and output keys. */
export function rel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}
