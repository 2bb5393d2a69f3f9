/** Who a pod runs as, and what it may reach: service accounts, secrets and credentials. */
import { isPlainObject } from '../../config/merge.ts';
import { escapePointer } from '../../config/yaml-source.ts';
import { CREDENTIAL_VALUE } from '../../credentials.ts';
import { podSpecs } from './pods.ts';
import { hit, type PolicyHit, type PolicyRule } from './types.ts';

/** Env var names that carry credentials and so must come from a Secret reference. */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* strings(x, `${path}/${i}`);
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) yield* strings(x, `${path}/${escapePointer(k)}`);
}

export const IDENTITY_RULES: PolicyRule[] = [
  {
    id: 'SEC001',
    title: 'no-secret-objects',
    doc: 'No kind: Secret in the output: credentials arrive as ExternalSecrets from the secret store.',
    waivable: false,
    check: (ctx) => ctx.objects.filter((o) => o.obj.apiVersion === 'v1' && o.obj.kind === 'Secret').map((o) => hit(o, '/kind', 'a Secret in git is a plaintext credential: use an ExternalSecret')),
  },
  {
    id: 'SEC002',
    title: 'no-literal-credentials',
    doc: 'No literal credential anywhere: credential env vars come from secretKeyRef, and no value looks like a token, key or password URI.',
    waivable: false,
    check: (ctx) => {
      const out: PolicyHit[] = [];
      for (const o of ctx.objects) {
        for (const pod of podSpecs(o.obj)) {
          for (const key of ['initContainers', 'containers'] as const) {
            const list = Array.isArray(pod.spec[key]) ? (pod.spec[key] as unknown[]) : [];
            list.forEach((c, i) => {
              const env = isPlainObject(c) && Array.isArray(c.env) ? c.env : [];
              env.forEach((e, j) => {
                if (isPlainObject(e) && typeof e.name === 'string' && CREDENTIAL_NAME.test(e.name) && typeof e.value === 'string' && e.value !== '') {
                  out.push(hit(o, `${pod.path}/${key}/${i}/env/${j}/value`, `env ${e.name} is a literal credential: use valueFrom.secretKeyRef`));
                }
              });
            });
          }
        }
        for (const [path, s] of strings(o.obj, '')) {
          if (CREDENTIAL_VALUE.some((re) => re.test(s))) out.push(hit(o, path, 'value looks like a credential (token, key or password URI)'));
        }
      }
      return out;
    },
  },
  {
    id: 'SEC015',
    title: 'own-service-account',
    doc: 'Each workload runs as a ServiceAccount of its own, rendered alongside it, without an API token unless it calls the API.',
    waivable: true,
    check: (ctx) => {
      const out: PolicyHit[] = [];
      const accounts = new Map<string, Record<string, unknown>>();
      for (const o of ctx.objects) if (o.obj.kind === 'ServiceAccount' && o.obj.apiVersion === 'v1') accounts.set(`${o.obj.metadata.namespace}/${o.obj.metadata.name}`, o.obj);
      for (const o of ctx.objects) {
        for (const pod of podSpecs(o.obj)) {
          if (!pod.complete) continue;
          const sa = pod.spec.serviceAccountName;
          if (typeof sa !== 'string' || sa === '' || sa === 'default') {
            out.push(hit(o, `${pod.path}/serviceAccountName`, 'runs as the default ServiceAccount: give it one of its own'));
            continue;
          }
          const account = accounts.get(`${o.obj.metadata.namespace}/${sa}`);
          if (!account) out.push(hit(o, `${pod.path}/serviceAccountName`, `ServiceAccount ${sa} is not rendered in namespace ${o.obj.metadata.namespace}`));
          const automount = pod.spec.automountServiceAccountToken ?? account?.automountServiceAccountToken;
          if (automount !== false) out.push(hit(o, `${pod.path}/automountServiceAccountToken`, 'mounts an API token: set automountServiceAccountToken: false (or waive it with the reason it calls the API)'));
        }
      }
      return out;
    },
  },
];
