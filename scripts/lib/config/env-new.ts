/**
 * A new environment file from an existing one (`catalyst env add NAME --from ENV`): the source's
 * file with every per-env identity (cross-env.ts IDENTITIES) derived from the new name, the
 * comments that named the source renamed, and nothing left that would make the new env run on
 * the source's credentials. Pure: text in, text and notes out (the command writes and validates).
 */
import { isPair, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import type { ResolvedEnv } from './environment.ts';
import { namesEnv } from './cross-env.ts';

const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One identity the new file sets: where, the source's value, the new one. */
export interface DerivedIdentity {
  path: string[];
  what: string;
  from: string;
  to: string;
}

export interface NewEnv {
  text: string;
  identities: DerivedIdentity[];
  /** Values that mention the source's name but are no identity (e.g. Let's Encrypt's "staging" ACME server): kept as written. */
  keptMentions: { pointer: string; value: string }[];
  /** argocd.targetRevision named the source (a branch of its own): removed, the new env follows the default. */
  droppedRevision?: string;
  /** The Argo CD instance the new env joins (shared when other envs use it). */
  instance: string;
  /** argocd.manager was true in the source: removed (an instance has one manager). */
  droppedManager: boolean;
}

const wordRe = (name: string): RegExp => new RegExp(`(^|[^a-z0-9])${name.replace(/-/g, '\\-')}(?=$|[^a-z0-9])`, 'g');
/** `value` with every whole-word mention of `from` replaced by `to`. */
export const renameIn = (value: string, from: string, to: string): string => value.replace(wordRe(from), (_m, pre: string) => `${pre}${to}`);

/** A host-bearing URL with `label.` put in front of its host. */
function prefixHost(url: string, label: string): string {
  const u = new URL(url);
  u.hostname = `${label}.${u.hostname}`;
  return u.href.replace(/\/$/, url.endsWith('/') ? '/' : '');
}

/** Derive each identity the source has for `to`: renamed when it names the source, else made distinct by rule. */
export function deriveIdentities(src: ResolvedEnv, to: string): DerivedIdentity[] {
  const from = src.name;
  const c = src.config;
  const out: DerivedIdentity[] = [];
  const add = (path: string[], what: string, value: string | undefined, fallback: (v: string) => string): void => {
    if (value === undefined) return;
    out.push({ path, what, from: value, to: namesEnv(value, from) ? renameIn(value, from, to) : fallback(value) });
  };
  add(['argocd', 'project'], 'AppProject (argocd.project)', c.argocd.project, (v) => `${v}-${to}`);
  const domain = c.cluster.domain;
  add(['cluster', 'domain'], 'DNS domain (cluster.domain)', domain, (v) => `${to}.${v}`);
  const newDomain = out.find((i) => i.path.join('.') === 'cluster.domain')!.to;
  if (c.cluster.server !== IN_CLUSTER) add(['cluster', 'server'], 'cluster API server (cluster.server)', c.cluster.server, (v) => prefixHost(v, to));
  add(['argocd', 'cluster', 'key'], 'cluster credentials key (argocd.cluster.key)', c.argocd.cluster?.key, (v) => `${v.replace(/\/$/, '')}/${to}`);
  add(['secrets', 'keyPrefix'], 'secret key prefix (secrets.keyPrefix)', c.secrets.keyPrefix ?? '', (v) => `${v}${to}/`);
  const vault = (c.secrets.store.provider as { vault?: { role?: string } } | undefined)?.vault;
  add(['secrets', 'store', 'provider', 'vault', 'role'], 'Vault role', vault?.role, (v) => `${v}-${to}`);
  const gw = src.components.get('mcp-gateway');
  const issuer = gw?.enabled ? (gw.settings as { auth?: { issuerUrl?: string } }).auth?.issuerUrl : undefined;
  // The issuer's host lives under the env's domain (sso.<domain>): it follows the domain; else renamed, else its host prefixed.
  if (issuer !== undefined) {
    const next = issuer.includes(domain) ? issuer.replace(domain, newDomain) : namesEnv(issuer, from) ? renameIn(issuer, from, to) : prefixHost(issuer, to);
    out.push({ path: ['components', 'mcp-gateway', 'auth', 'issuerUrl'], what: 'SSO issuer (mcp-gateway auth.issuerUrl)', from: issuer, to: next });
  }
  return out;
}

/** The pointer of a yaml path (for notes). */
const pointerOf = (path: readonly (string | number)[]): string => `/${path.join('/')}`;

export function newEnvText(srcText: string, src: ResolvedEnv, to: string, instance?: string): NewEnv {
  const from = src.name;
  const doc = parseDocument(srcText, { keepSourceTokens: false });
  const identities = deriveIdentities(src, to);
  doc.setIn(['name'], to);
  for (const i of identities) doc.setIn(i.path, i.to);
  let droppedRevision: string | undefined;
  const rev = src.config.argocd.targetRevision;
  if (rev && namesEnv(rev, from) && doc.hasIn(['argocd', 'targetRevision'])) {
    doc.deleteIn(['argocd', 'targetRevision']);
    droppedRevision = rev;
  }
  const droppedManager = src.config.argocd.manager === true;
  if (doc.hasIn(['argocd', 'manager'])) doc.deleteIn(['argocd', 'manager']);
  const joined = instance ?? src.config.argocd.instance;
  if (instance !== undefined) doc.setIn(['argocd', 'instance'], instance);
  renameComments(doc, from, to);
  const keptMentions: { pointer: string; value: string }[] = [];
  visit(doc, {
    Pair(_k, pair, path) {
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || !namesEnv(pair.value.value, from)) return;
      const chain = [...path, pair];
      const keys = chain.flatMap((n, i): string[] => {
        if (isPair(n)) return [isScalar(n.key) ? String(n.key.value) : '?'];
        if (isSeq(n)) return [String(n.items.indexOf(chain[i + 1] as never))];
        return [];
      });
      keptMentions.push({ pointer: pointerOf(keys), value: pair.value.value });
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  return { text, identities, keptMentions, droppedRevision, instance: joined ?? to, droppedManager: droppedManager && joined !== undefined };
}

/** Comments of the copy speak of the new env: "staging: like prod" becomes "perf: like prod". */
function renameComments(doc: Document, from: string, to: string): void {
  const fix = (s: string | null | undefined): string | undefined => (s ? renameIn(s, from, to) : (s ?? undefined));
  doc.commentBefore = fix(doc.commentBefore) ?? null;
  doc.comment = fix(doc.comment) ?? null;
  visit(doc, {
    Node(_k, node) {
      if (node.commentBefore) node.commentBefore = fix(node.commentBefore);
      if (node.comment) node.comment = fix(node.comment);
    },
  });
}

