/**
 * Permanent OrphanedResourceWarning: objects controllers write into the fence's namespaces with
 * no ownerReference, which Argo CD lists as orphaned unless the project ignores them
 * (argoproj/argo-cd@v3.3.14:controller/appcontroller.go isKnownOrphanedResourceExclusion: only
 * kube-root-ca.crt, the default ServiceAccount and the kubernetes Service are known; the rest
 * must match `spec.orphanedResources.ignore`, group/kind/name globs).
 */
import type { Finding } from '../../findings.ts';
import { gobwasGlobMatch } from '../admission/index.ts';
import type { EnvInput } from './bootstrap.ts';
import { groupOf, isObj } from './objects.ts';

interface Made {
  kind: string;
  name: string;
  namespace: string;
  by: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What controllers make without an owner: cert-manager TLS Secrets (ingress-shim and Certificates), istiod's istio-ca-root-cert. */
function ownerless(input: EnvInput, namespaces: string[]): Made[] {
  const out: Made[] = [];
  let istiod = false;
  for (const child of input.children.values()) {
    for (const { obj } of child.objects ?? []) {
      const ns = obj.metadata.namespace ?? child.namespace;
      const spec = isObj(obj.spec) ? obj.spec : {};
      const ann = obj.metadata.annotations ?? {};
      if (obj.kind === 'Ingress' && (ann['cert-manager.io/cluster-issuer'] || ann['cert-manager.io/issuer'])) {
        for (const t of Array.isArray(spec.tls) ? spec.tls.filter(isObj) : []) {
          if (str(t.secretName)) out.push({ kind: 'Secret', name: str(t.secretName), namespace: ns, by: `cert-manager (Ingress ${obj.metadata.name})` });
        }
      }
      if (obj.kind === 'Certificate' && groupOf(obj) === 'cert-manager.io' && str(spec.secretName)) {
        out.push({ kind: 'Secret', name: str(spec.secretName), namespace: ns, by: `cert-manager (Certificate ${obj.metadata.name})` });
      }
      if (obj.kind === 'Deployment' && obj.metadata.name === 'istiod') istiod = true;
    }
  }
  if (istiod) for (const ns of namespaces) out.push({ kind: 'ConfigMap', name: 'istio-ca-root-cert', namespace: ns, by: 'istiod (every namespace)' });
  return out;
}

export function orphanFindings(input: EnvInput): Finding[] {
  const project = input.rootYaml.find((o) => o.obj.kind === 'AppProject' && !(o.obj.metadata.name ?? '').endsWith('-root'));
  if (!project) return [];
  const spec = isObj(project.obj.spec) ? project.obj.spec : {};
  const orphaned = isObj(spec.orphanedResources) ? spec.orphanedResources : undefined;
  if (!orphaned) return [];
  const ignore = Array.isArray(orphaned.ignore) ? orphaned.ignore.filter(isObj) : [];
  const namespaces = (Array.isArray(spec.destinations) ? spec.destinations.filter(isObj) : []).map((d) => str(d.namespace)).filter(Boolean);
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const m of ownerless(input, namespaces)) {
    if (!namespaces.includes(m.namespace)) continue;
    const covered = ignore.some((i) => (!str(i.kind) || gobwasGlobMatch(str(i.kind), m.kind)) && gobwasGlobMatch(str(i.group), '') && (!str(i.name) || gobwasGlobMatch(str(i.name), m.name)));
    const key = `${m.kind}/${m.name}`;
    if (covered || seen.has(key)) continue;
    seen.add(key);
    out.push({
      file: project.file, line: project.line, col: 0, path: '/spec/orphanedResources/ignore', kind: 'AppProject', name: project.obj.metadata.name, rule: 'SIM010',
      message: `${input.env}: ${m.by} writes ${m.kind} ${m.name} (in ${m.namespace}${m.kind === 'ConfigMap' ? ' and every namespace' : ''}) with no owner: a permanent OrphanedResourceWarning unless orphanedResources.ignore matches it [argoproj/argo-cd@v3.3.14:controller/appcontroller.go isKnownOrphanedResourceExclusion]`,
    });
  }
  return out;
}
