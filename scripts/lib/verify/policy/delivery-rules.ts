/** How things are delivered: pinned sources, a fenced AppProject (fence-rule.ts), TLS ingress, Jobs Argo CD can keep. */
import { isPlainObject } from '../../config/merge.ts';
import { hit, type PolicyHit, type PolicyRule } from './types.ts';
import { SEC017 } from './fence-rule.ts';

const EXACT = /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][A-Za-z0-9.-]+)?$/;

export const DELIVERY_RULES: PolicyRule[] = [
  {
    id: 'SEC004',
    title: 'source-pinned',
    doc: 'Every Application from an upstream chart or repository is pinned to an exact version or tag (this repo may follow a branch).',
    waivable: false,
    check: (ctx) => {
      const own = ctx.plan.env.config.repo.url;
      const out: PolicyHit[] = [];
      for (const o of ctx.objects.filter((x) => x.obj.kind === 'Application' && x.obj.apiVersion === 'argoproj.io/v1alpha1')) {
        const spec = isPlainObject(o.obj.spec) ? o.obj.spec : {};
        const source = isPlainObject(spec.source) ? spec.source : {};
        if (source.repoURL === own) continue;
        if (typeof source.targetRevision !== 'string' || !EXACT.test(source.targetRevision)) {
          out.push(hit(o, '/spec/source/targetRevision', `${String(source.repoURL)} is not pinned to an exact version (${JSON.stringify(source.targetRevision)})`));
        }
      }
      return out;
    },
  },
  {
    id: 'SEC016',
    title: 'ingress-tls',
    doc: 'Every Ingress serves TLS for all its hosts with a certificate from cert-manager.',
    waivable: false,
    check: (ctx) => {
      const out: PolicyHit[] = [];
      for (const o of ctx.objects.filter((x) => x.obj.kind === 'Ingress' && x.obj.apiVersion === 'networking.k8s.io/v1')) {
        const spec = isPlainObject(o.obj.spec) ? o.obj.spec : {};
        const tls = Array.isArray(spec.tls) ? spec.tls.filter(isPlainObject) : [];
        const covered = new Set(tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts : [])));
        const rules = Array.isArray(spec.rules) ? spec.rules.filter(isPlainObject) : [];
        for (const [i, r] of rules.entries()) {
          if (typeof r.host !== 'string' || !covered.has(r.host)) out.push(hit(o, `/spec/rules/${i}/host`, `host ${JSON.stringify(r.host)} is not served over TLS`));
        }
        const a = o.obj.metadata.annotations ?? {};
        if (!a['cert-manager.io/cluster-issuer'] && !a['cert-manager.io/issuer']) out.push(hit(o, '/metadata/annotations', 'no cert-manager.io/cluster-issuer annotation'));
      }
      return out;
    },
  },
  SEC017,
  {
    id: 'SEC018',
    title: 'job-without-ttl',
    doc: 'Jobs Argo CD manages have no ttlSecondsAfterFinished: the TTL controller would delete them and selfHeal would run them again.',
    waivable: false,
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.obj.kind === 'Job' && o.obj.apiVersion === 'batch/v1' && isPlainObject(o.obj.spec) && o.obj.spec.ttlSecondsAfterFinished !== undefined)
        .filter((o) => !(o.obj.metadata.annotations?.['argocd.argoproj.io/hook'] ?? ''))
        .map((o) => hit(o, '/spec/ttlSecondsAfterFinished', 'a managed Job with a TTL is deleted after it finishes and re-run by selfHeal')),
  },
];
