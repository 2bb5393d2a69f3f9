/** Small builders for the platform-rule tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { clusterScopedKindsFrom } from '../../../scripts/lib/verify/admission/kind-scope.ts';
import type { AppObjects, PlatformInput } from '../../../scripts/lib/verify/admission/types.ts';
import type { K8sObject } from '../../../scripts/lib/findings.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'platform-rules');

export function loadYamlObjects(file: string): K8sObject[] {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject).filter((o) => o && typeof o === 'object');
}

export function obj(apiVersion: string, kind: string, name: string, namespace?: string, rest: Record<string, unknown> = {}): K8sObject {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest };
}

export function app(name: string, project: string, namespace: string, objects: K8sObject[], server = 'https://kubernetes.default.svc'): AppObjects {
  return { app: name, project, destination: { server, namespace }, objects: objects.map((o, i) => ({ obj: o, file: `generated/${name}.yaml`, line: 1 + i * 10 })) };
}

export function input(apps: AppObjects[], extra: { projects?: K8sObject[]; namespaces?: K8sObject[] } = {}): PlatformInput {
  const all = apps.flatMap((a) => a.objects.map((o) => o.obj));
  return { apps, projects: extra.projects ?? [], namespaces: extra.namespaces ?? [], clusterScopedKinds: clusterScopedKindsFrom(all) };
}
