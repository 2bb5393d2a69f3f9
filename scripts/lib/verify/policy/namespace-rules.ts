/**
 * Namespaces the platform owns: Pod Security labels, a default-deny NetworkPolicy, DNS
 * egress, and internet egress only for components the catalog lists with external hosts.
 */
import type { LocatedObject } from '../hydration/index.ts';
import { isPlainObject } from '../../config/merge.ts';
import { publicPart } from '../../config/kube/public-range.ts';
import { hit, type PolicyContext, type PolicyHit, type PolicyRule } from './types.ts';
import { fromSourceFile } from '../admission/index.ts';

/** Namespaces rendered by the platform and marked as owned (their traffic is ours to police). */
export const OWNED_LABEL = 'catalyst.dev/owned-namespace';
export const PSS_EXCEPTION = 'catalyst.dev/pod-security-exception';

function ownedNamespaces(ctx: PolicyContext): LocatedObject[] {
  return ctx.objects.filter((o) => o.obj.apiVersion === 'v1' && o.obj.kind === 'Namespace' && o.obj.metadata.labels?.[OWNED_LABEL] === 'true');
}

function policiesIn(ctx: PolicyContext, ns: string): Record<string, unknown>[] {
  return ctx.objects
    .filter((o) => o.obj.kind === 'NetworkPolicy' && o.obj.apiVersion === 'networking.k8s.io/v1' && o.obj.metadata.namespace === ns)
    .map((o) => o.obj as unknown as Record<string, unknown>);
}

const spec = (p: Record<string, unknown>): Record<string, unknown> => (isPlainObject(p.spec) ? p.spec : {});
const emptySelector = (s: unknown): boolean => isPlainObject(s) && Object.keys(s).every((k) => isPlainObject(s[k]) && Object.keys(s[k] as object).length === 0);

export function isDefaultDeny(p: Record<string, unknown>): boolean {
  const s = spec(p);
  const types = Array.isArray(s.policyTypes) ? s.policyTypes : [];
  const noRules = (k: string): boolean => s[k] === undefined || (Array.isArray(s[k]) && (s[k] as unknown[]).length === 0);
  return emptySelector(s.podSelector) && types.includes('Ingress') && types.includes('Egress') && noRules('ingress') && noRules('egress');
}

function allowsDns(p: Record<string, unknown>): boolean {
  const egress = Array.isArray(spec(p).egress) ? (spec(p).egress as unknown[]) : [];
  return egress.some((e) => isPlainObject(e) && Array.isArray(e.ports) && e.ports.some((port) => isPlainObject(port) && port.port === 53));
}

/**
 * The egress rules of a policy that leave the cluster: towards everything (no `to`), or to an
 * ipBlock that reaches a public address once its `except` blocks are taken out. Whose CIDR it is
 * (the API server's or any other) changes nothing: only a reviewed catalog exception does
 * (`publicCidrExceptions`, the same the config rule POS001 honours). Each as "<to> on <ports>".
 */
function internetEgress(p: Record<string, unknown>, excepted: Set<string>): string[] {
  const egress = Array.isArray(spec(p).egress) ? (spec(p).egress as unknown[]) : [];
  const out: string[] = [];
  for (const e of egress) {
    if (!isPlainObject(e)) continue;
    const ports = portsText(e.ports);
    if (e.to === undefined) {
      out.push(`every address on ${ports}`);
      continue;
    }
    for (const t of Array.isArray(e.to) ? e.to : []) {
      if (!isPlainObject(t) || !isPlainObject(t.ipBlock)) continue;
      const cidr = String(t.ipBlock.cidr);
      const except = Array.isArray(t.ipBlock.except) ? t.ipBlock.except.map(String) : [];
      if (excepted.has(cidr) && except.length === 0) continue;
      const reach = publicPart(cidr, except);
      if (reach !== undefined) out.push(`${cidr} (public: ${reach}) on ${ports}`);
    }
  }
  return out;
}

function portsText(ports: unknown): string {
  if (!Array.isArray(ports) || ports.length === 0) return 'every port';
  return ports.map((x) => (isPlainObject(x) ? `${String(x.protocol ?? 'TCP')} ${String(x.port ?? 'any')}${x.endPort !== undefined ? `-${String(x.endPort)}` : ''}` : String(x))).join(', ');
}

/**
 * A Namespace that a component's own chart or git source renders without Pod Security labels,
 * which the component's catalog entry declares (podSecurity.templates names the file): Argo CD
 * cannot label it, since namespace auto-creation and managedNamespaceMetadata skip a namespace
 * that is in the manifests (argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go
 * autoCreateNamespace). Shown as a warning with the catalog's reason, never silently passed.
 */
function upstreamNamespaceException(ctx: PolicyContext, o: { file: string; obj: { metadata: { name?: unknown; labels?: Record<string, string> } } }): string | undefined {
  const name = String(o.obj.metadata.name);
  for (const a of ctx.plan.apps) {
    const ex = a.app.podSecurity;
    if (a.app.namespace !== name || a.app.source.type === 'local' || !ex?.templates) continue;
    if (!ex.templates.some((t) => fromSourceFile(o.file, t.file))) continue;
    const labelled = ['enforce', 'audit', 'warn'].filter((m) => o.obj.metadata.labels?.[`pod-security.kubernetes.io/${m}`] !== undefined);
    return `exception (apps/${a.name}/app.yaml podSecurity): namespace ${name} comes from ${a.name}'s source${labelled.length ? '' : ' without Pod Security labels'}, which Argo CD cannot add to a namespace in the manifests; the cluster's default level applies (${ex.level} assumed): ${ex.reason}`;
  }
  return undefined;
}

export const NAMESPACE_RULES: PolicyRule[] = [
  {
    id: 'SEC005',
    title: 'namespace-pod-security',
    doc: 'Every platform namespace enforces, audits and warns Pod Security "restricted"; a weaker level needs a catalog exception with its reason.',
    waivable: false,
    check: (ctx) => {
      const out: PolicyHit[] = [];
      for (const o of ctx.objects.filter((x) => x.obj.apiVersion === 'v1' && x.obj.kind === 'Namespace')) {
        const l = o.obj.metadata.labels ?? {};
        const upstream = upstreamNamespaceException(ctx, o);
        if (upstream) {
          out.push({ ...hit(o, '/metadata/labels', upstream), severity: 'warning' });
          continue;
        }
        for (const mode of ['enforce', 'audit', 'warn']) {
          const v = l[`pod-security.kubernetes.io/${mode}`];
          if (v === undefined) out.push(hit(o, '/metadata/labels', `no pod-security.kubernetes.io/${mode} label`));
          else if (v !== 'restricted' && !(mode === 'enforce' && (o.obj.metadata.annotations?.[PSS_EXCEPTION] ?? '').length >= 10)) {
            out.push(hit(o, `/metadata/labels/pod-security.kubernetes.io~1${mode}`, `Pod Security ${mode} is "${v}" without an exception reason in the catalog`));
          }
        }
      }
      return out;
    },
  },
  {
    id: 'SEC006',
    title: 'namespace-default-deny',
    doc: 'Every namespace the platform owns has a default-deny NetworkPolicy for ingress and egress; allowed traffic is listed edge by edge.',
    waivable: false,
    check: (ctx) => ownedNamespaces(ctx).filter((ns) => !policiesIn(ctx, String(ns.obj.metadata.name)).some(isDefaultDeny)).map((ns) => hit(ns, '', `namespace ${ns.obj.metadata.name} has no default-deny NetworkPolicy`)),
  },
  {
    id: 'SEC007',
    title: 'namespace-dns-egress',
    doc: 'Every namespace the platform owns allows DNS egress (port 53), so default-deny does not break name resolution.',
    waivable: false,
    check: (ctx) => ownedNamespaces(ctx).filter((ns) => !policiesIn(ctx, String(ns.obj.metadata.name)).some(allowsDns)).map((ns) => hit(ns, '', `namespace ${ns.obj.metadata.name} has no NetworkPolicy allowing DNS egress`)),
  },
  {
    id: 'SEC008',
    title: 'internet-egress-listed',
    doc: 'Only components whose catalog entry lists external hosts (egress) may send traffic out of the cluster, and only from their own pods: any egress to an ipBlock that reaches a public address counts, whatever setting its CIDR came from (apiServerCidrs included), unless the catalog lists it in publicCidrExceptions.',
    waivable: false,
    check: (ctx) => {
      const allowed = new Set(ctx.plan.apps.filter((a) => a.app.egress.length).map((a) => a.name));
      const excepted = new Set(ctx.plan.apps.flatMap((a) => a.app.publicCidrExceptions.map((e) => e.cidr)));
      const out: PolicyHit[] = [];
      for (const o of ctx.objects.filter((x) => x.obj.kind === 'NetworkPolicy')) {
        const p = o.obj as unknown as Record<string, unknown>;
        const leaving = internetEgress(p, excepted);
        if (!leaving.length) continue;
        const sel = spec(p).podSelector;
        const labels = isPlainObject(sel) && isPlainObject(sel.matchLabels) ? sel.matchLabels : {};
        const component = labels['catalyst.dev/component'];
        if (typeof component === 'string' && allowed.has(component)) continue;
        const pods = typeof component === 'string' ? `pods of ${component}` : Object.keys(labels).length ? 'the selected pods' : 'every pod';
        out.push(hit(o, '/spec/egress', `opens namespace ${String(o.obj.metadata.namespace)} (${pods}) to the internet: egress to ${leaving.join('; ')}, and no component with listed external hosts owns these pods`));
      }
      return out;
    },
  },
];
