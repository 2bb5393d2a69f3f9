/**
 * `npm run kube-scopes [-- --check]`: write data/kubernetes/builtin-scopes.json, the scope of every
 * built-in Kubernetes kind, derived from the Kubernetes models the project already depends on.
 *
 * @kubernetes/client-node's API classes are generated from the API server's OpenAPI document:
 * a namespaced kind has `readNamespaced<Kind>` / `createNamespaced<Kind>` / `listNamespaced<Kind>`
 * (paths under /namespaces/{namespace}/), a cluster-scoped one `read<Kind>` / `create<Kind>` /
 * `list<Kind>`. The class name gives the group (`RbacAuthorizationV1Api`:
 * rbac.authorization.k8s.io; the legacy groups apps, batch, autoscaling and policy are the
 * folders of `kubernetes-models` that carry no `.k8s.io`; `CoreV1Api`: the core group).
 * With --check nothing is written; exit 1 when the file differs from the derivation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './lib/paths.ts';
import { BUILTIN_SCOPES_FILE, renderBuiltinScopes, type BuiltinScopes } from './lib/config/kube/builtin-scopes.ts';

const require = createRequire(import.meta.url);

/** The API group of a client-node API class prefix (`RbacAuthorization` of RbacAuthorizationV1Api). */
function groupOf(prefix: string, legacy: ReadonlySet<string>): string {
  if (prefix === 'Core') return '';
  const dotted = prefix.replace(/([a-z0-9])([A-Z])/g, '$1.$2').toLowerCase();
  return legacy.has(dotted) ? dotted : `${dotted}.k8s.io`;
}

/** Derive the scopes from the installed @kubernetes/client-node (and kubernetes-models' group folders). */
export function deriveBuiltinScopes(): BuiltinScopes {
  const client = require('@kubernetes/client-node') as Record<string, unknown>;
  const version = (require('@kubernetes/client-node/package.json') as { version: string }).version;
  const modelsDir = join(require.resolve('kubernetes-models/package.json'), '..');
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const legacy = new Set(readdirSync(modelsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.includes('.') && !e.name.startsWith('_') && e.name !== 'v1').map((e) => e.name));
  const scope = new Map<string, boolean>();
  for (const [name, cls] of Object.entries(client)) {
    const m = /^([A-Z][A-Za-z]*?)V\d+(?:(?:alpha|beta)\d+)?Api$/.exec(name);
    if (!m || typeof cls !== 'function') continue;
    const group = groupOf(m[1]!, legacy);
    for (const method of Object.getOwnPropertyNames((cls as { prototype: object }).prototype)) {
      const r = /^(?:read|create|list)(Namespaced)?([A-Z][A-Za-z]*)$/.exec(method);
      if (!r || /WithHttpInfo$|ForAllNamespaces$/.test(method)) continue;
      const key = `${group}/${r[2]}`;
      // Namespaced wins: `listNamespace` is the Namespace kind, `listNamespacedPod` the Pod kind.
      if (r[1]) scope.set(key, false);
      else if (!scope.has(key)) scope.set(key, true);
    }
  }
  // Subresources (`readNamespacedPodStatus`, `...Scale`, `...Log`) read as kinds above: a name is a
  // subresource when it is a known kind followed by the subresource's name (ComponentStatus is a kind:
  // there is no Component).
  for (const key of [...scope.keys()]) {
    const sub = /^(.*?)(Status|Scale|Ephemeralcontainers|Resize|Approval|Log)$/.exec(key);
    if (sub && scope.has(sub[1]!)) scope.delete(key);
  }
  // What is not a model is a subresource too (createNamespacedPodBinding: there is no V1PodBinding).
  const models = new Set(Object.keys(client).map((n) => /^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?([A-Z]\w*)$/.exec(n)?.[1]).filter((k): k is string => !!k));
  for (const key of [...scope.keys()]) if (!models.has(key.slice(key.indexOf('/') + 1))) scope.delete(key);
  const sorted = (v: boolean): string[] => [...scope].filter(([, c]) => c === v).map(([k]) => k).sort();
  return { source: `@kubernetes/client-node@${version}`, cluster: sorted(true), namespaced: sorted(false) };
}

function main(): number {
  const check = process.argv.includes('--check');
  const file = join(ROOT, BUILTIN_SCOPES_FILE);
  const text = renderBuiltinScopes(deriveBuiltinScopes());
  const current = (() => { try { return readFileSync(file, 'utf8'); } catch { return ''; } })();
  if (current === text) { console.log(`${BUILTIN_SCOPES_FILE} is what the models give`); return 0; }
  if (check) { console.error(`${BUILTIN_SCOPES_FILE} differs from what @kubernetes/client-node gives: run npm run kube-scopes`); return 1; }
  writeFileSync(file, text);
  console.log(`wrote ${BUILTIN_SCOPES_FILE}`);
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) process.exitCode = main();
