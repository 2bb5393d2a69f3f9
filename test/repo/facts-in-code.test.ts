/**
 * Facts live in the catalog, not in scripts/ (issue #27): no image reference, no collection of
 * component names, no table of ports and no list of cluster-scoped kinds in the tool's code. The
 * scan parses each file with the TypeScript compiler and looks at literals only, so code that
 * reads such facts from the catalog never matches; each detector is shown to fire on a planted
 * example. None is left: a new one fails this test (move the fact to the catalog or the
 * environment schema instead).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.ts';

/** registry/repository:tag with at least one `/` and a digit in the tag (kserve/storage-initializer:v0.20.0). */
const IMAGE = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+:(?=[A-Za-z0-9._-]*\d)[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Built-in kinds by scope (Kubernetes API reference); only used to recognise lists, never as a source of truth. */
const CLUSTER_KINDS = new Set(['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
const NAMESPACED_KINDS = new Set(['Pod', 'Service', 'Secret', 'ConfigMap', 'ServiceAccount', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Role', 'RoleBinding', 'PersistentVolumeClaim', 'NetworkPolicy']);

/**
 * Component names that are also other words of the config (top-level env keys such as models,
 * agents, benchmarks; the layers) are ambiguous in code, so they do not count.
 */
const envSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/environment.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
const appSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/app.schema.json'), 'utf8')) as { properties: { layer: { enum: string[] } } };
const ambiguous = new Set([...Object.keys(envSchema.properties), ...appSchema.properties.layer.enum]);
/** Catalog components: apps/<name>.yaml, or apps/<name>/app.yaml once each component is one folder. */
const catalogNames = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter((e) => !e.name.startsWith('_') && (e.isDirectory() ? existsSync(join(ROOT, 'apps', e.name, 'app.yaml')) : e.name.endsWith('.yaml')))
  .map((e) => e.name.replace(/\.yaml$/, ''));
const components = new Set(catalogNames.filter((n) => !ambiguous.has(n)));

export interface Hit {
  file: string;
  line: number;
  what: 'image' | 'components' | 'ports' | 'cluster-scoped kinds';
  text: string;
}

const strOf = (n: ts.Node): string | undefined => (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : undefined);
const keyOf = (p: ts.ObjectLiteralElementLike): string | undefined =>
  p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
const numeric = (n: ts.Node | undefined): boolean => !!n && ts.isNumericLiteral(n) && Number(n.text) >= 1 && Number(n.text) <= 65535;
const kindOf = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

/** The name a literal is assigned to (`const X = …`, `X: …`), to tell a port table from other numbers. */
function nameOf(n: ts.Node): string {
  const p = n.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isNewExpression(p)) return nameOf(p);
  if (p && (ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) return nameOf(p);
  return '';
}

export function scan(file: string, text: string): Hit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const hits: Hit[] = [];
  const hit = (n: ts.Node, what: Hit['what']): void => {
    hits.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, what, text: n.getText(sf).slice(0, 80) });
  };
  const visit = (n: ts.Node): void => {
    const s = strOf(n);
    if (s !== undefined && IMAGE.test(s)) hit(n, 'image');
    if (ts.isArrayLiteralExpression(n)) {
      const strs = n.elements.map(strOf).filter((x): x is string => x !== undefined);
      if (new Set(strs.filter((x) => components.has(x))).size >= 2) hit(n, 'components');
      const kinds = strs.map(kindOf);
      if (kinds.filter((k) => CLUSTER_KINDS.has(k)).length >= 2 && !kinds.some((k) => NAMESPACED_KINDS.has(k))) hit(n, 'cluster-scoped kinds');
      if (/PORTS?$/i.test(nameOf(n)) && n.elements.filter(numeric).length >= 2) hit(n, 'ports');
    }
    if (ts.isObjectLiteralExpression(n)) {
      const named = new Set<string>();
      let portRows = 0;
      let portValues = 0;
      for (const p of n.properties) {
        const k = ts.isPropertyAssignment(p) ? keyOf(p) : undefined; // not `{ models }` shorthand
        if (k && components.has(k)) named.add(k);
        if (!ts.isPropertyAssignment(p)) continue;
        if (numeric(p.initializer)) portValues++;
        if (ts.isObjectLiteralExpression(p.initializer)) {
          for (const q of p.initializer.properties) {
            if (!ts.isPropertyAssignment(q)) continue;
            const c = strOf(q.initializer);
            if (keyOf(q) === 'component' && c && components.has(c)) named.add(c);
            if (keyOf(q) === 'port' && numeric(q.initializer)) portRows++;
          }
        }
      }
      if (named.size >= 2) hit(n, 'components');
      if (portRows >= 2 || (portValues >= 2 && /PORTS?$/i.test(nameOf(n)))) hit(n, 'ports');
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'schema-types' ? [] : tsFiles(p); // generated from schemas/
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('facts are not declared in scripts/', () => {
  const hits = tsFiles(join(ROOT, 'scripts')).flatMap((f) => scan(relative(ROOT, f), readFileSync(f, 'utf8')));

  it('knows the catalog (a scan without component names could not fail)', () => {
    expect(components.size).toBeGreaterThan(20);
    expect(components.has('mcp-github')).toBe(true);
  });

  it('finds no image reference, component list, port table or cluster-scoped kind list', () => {
    expect(hits.map((h) => `${h.file}:${h.line} ${h.what}: ${h.text}`)).toEqual([]);
  });

  it('fires on planted examples of each', () => {
    const planted = [
      "export const IMAGE = 'ghcr.io/example/server:v1.2.3';",
      "const fill = 'kserve/storage-initializer:v0.20.0';",
      "const SERVERS = ['mcp-github', 'mcp-jira'];",
      "const T = { github: { component: 'mcp-github', port: 8082 }, jira: { component: 'mcp-jira', port: 9000 } };",
      "const BROKER_PORTS = { http: 8080, grpc: 50051 };",
      "const SCOPED = new Set(['Namespace', 'ClusterRole', 'CustomResourceDefinition']);",
    ].join('\n');
    expect(scan('planted.ts', planted).map((h) => `${h.line} ${h.what}`)).toEqual([
      '1 image',
      '2 image',
      '3 components',
      '4 components',
      '4 ports',
      '5 ports',
      '6 cluster-scoped kinds',
    ]);
  });

  it('leaves legitimate code alone', () => {
    const fine = [
      "const app = component(plan, MCP_GATEWAY_APP);",
      "const url = `http://${host}:${port}/mcp`;",
      "const ORDER = ['Namespace', 'Secret', 'ClusterRole', 'Deployment'];", // an order of kinds, not a scope list
      "const api = 'serving.kserve.io/v1alpha1';",
      "const user = 'system:serviceaccount:ns:name';",
      "const lists = [['models', 1], ['agents', 1]];", // config keys, one per row
      "const limits = { cpu: 2, memory: 4 };",
    ].join('\n');
    expect(scan('fine.ts', fine)).toEqual([]);
  });
});
