/**
 * The KServe ingress gateway pod istiod deploys for a Gateway lands in a namespace labelled
 * Pod Security `restricted`. Its pod securityContext comes from the istiod values the generator
 * emits, as istio 1.30.3 manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml
 * (lines 73-107) builds it: `gateways.securityContext` if set, otherwise the unprivileged-port
 * sysctl plus `gateways.seccompProfile` when set; the container securityContext is fixed. The pod
 * is checked with the project's port of the Pod Security checks (baseline + restricted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BASELINE_CHECKS } from '../../scripts/lib/verify/admission/pss-baseline.ts';
import { RESTRICTED_CHECKS } from '../../scripts/lib/verify/admission/pss-restricted.ts';
import { argoProject } from '../helpers/argo-fixture.ts';
import { renderOk, type Obj } from '../helpers/render.ts';
import type { TempProject } from '../helpers/project.ts';

let tp: TempProject;
let istiod: Obj;
beforeAll(() => {
  tp = argoProject([{ name: 'alpha' }]);
  istiod = (parse(renderOk(tp, 'alpha').files.get('apps/istiod.yaml')!) as Obj).spec.source.helm.valuesObject;
});
afterAll(() => tp?.cleanup());

/** The gateway pod spec for these istiod values (the shape of kube-gateway.yaml, not its code). */
function gatewayPod(values: Obj): Obj {
  const g = values.gateways ?? {};
  const podSC = g.securityContext
    ? g.securityContext
    : { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], ...(g.seccompProfile ? { seccompProfile: g.seccompProfile } : {}) };
  return {
    securityContext: podSC,
    containers: [
      {
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.30.3',
        securityContext: { capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true },
      },
    ],
  };
}

function restrictedViolations(spec: Obj): string[] {
  const overridden = new Set(RESTRICTED_CHECKS.flatMap((c) => c.overrides ?? []));
  return [...BASELINE_CHECKS.filter((c) => !overridden.has(c.id)), ...RESTRICTED_CHECKS]
    .map((c) => ({ id: c.id, r: c.check({}, spec) }))
    .filter((x) => !x.r.allowed)
    .map((x) => `${x.id}: ${x.r.reason}`);
}

describe('Istio gateway pods under Pod Security restricted', () => {
  it('with the emitted istiod values the gateway pod is admitted', () => {
    expect(istiod.gateways).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(restrictedViolations(gatewayPod(istiod))).toEqual([]);
  });

  it('without gateways.seccompProfile (the chart default) it is refused for its seccomp profile', () => {
    const v = restrictedViolations(gatewayPod({}));
    expect(v.length).toBe(1);
    expect(v[0]).toMatch(/seccomp/i);
  });
});
