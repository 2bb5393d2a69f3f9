/** Container and pod posture: every workload runs as little as it needs. */
import { isPlainObject } from '../../config/merge.ts';
import { containers, effective, podSpecs, type ContainerAt, type PodSpecAt } from './pods.ts';
import { hit, type PolicyContext, type PolicyHit, type PolicyRule } from './types.ts';

type PerContainer = (pod: PodSpecAt, c: ContainerAt) => { path: string; message: string } | undefined;

function eachContainer(ctx: PolicyContext, test: PerContainer, opts: { completeOnly?: boolean } = {}): PolicyHit[] {
  const out: PolicyHit[] = [];
  for (const o of ctx.objects) {
    for (const pod of podSpecs(o.obj)) {
      if (opts.completeOnly && !pod.complete) continue;
      for (const c of containers(pod)) {
        const r = test(pod, c);
        if (r) out.push(hit(o, r.path, r.message));
      }
    }
  }
  return out;
}

const name = (c: ContainerAt): string => String(c.container.name ?? '?');

/** An image reference pinned to a tag (not latest) or a digest. */
export function pinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.split(':').pop()! : '';
  return tag !== '' && tag !== 'latest';
}

export const WORKLOAD_RULES: PolicyRule[] = [
  {
    id: 'SEC003',
    title: 'image-pinned',
    doc: 'Every container image is pinned to a version tag or a digest, never latest or untagged.',
    waivable: false,
    check: (ctx) =>
      eachContainer(ctx, (_pod, c) => {
        const image = c.container.image;
        if (image === undefined) return undefined;
        return typeof image === 'string' && pinnedImage(image) ? undefined : { path: `${c.path}/image`, message: `image ${JSON.stringify(image)} of container ${name(c)} is not pinned to a version or digest` };
      }),
  },
  {
    id: 'SEC009',
    title: 'run-as-non-root',
    doc: 'Containers run as a non-root user (runAsNonRoot: true on the container or the pod).',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (pod, c) =>
        effective(pod, c, 'runAsNonRoot') === true ? undefined : { path: `${c.path}/securityContext/runAsNonRoot`, message: `container ${name(c)} may run as root (set runAsNonRoot: true)` },
      ),
  },
  {
    id: 'SEC010',
    title: 'no-privilege-escalation',
    doc: 'Containers set allowPrivilegeEscalation: false and are not privileged.',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (_pod, c) => {
        const sc = isPlainObject(c.container.securityContext) ? c.container.securityContext : {};
        if (sc.privileged === true) return { path: `${c.path}/securityContext/privileged`, message: `container ${name(c)} is privileged` };
        return sc.allowPrivilegeEscalation === false ? undefined : { path: `${c.path}/securityContext/allowPrivilegeEscalation`, message: `container ${name(c)} allows privilege escalation (set allowPrivilegeEscalation: false)` };
      }),
  },
  {
    id: 'SEC011',
    title: 'drop-all-capabilities',
    doc: 'Containers drop ALL Linux capabilities and add none.',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (_pod, c) => {
        const sc = isPlainObject(c.container.securityContext) ? c.container.securityContext : {};
        const caps = isPlainObject(sc.capabilities) ? sc.capabilities : {};
        const drop = Array.isArray(caps.drop) ? caps.drop : [];
        if (Array.isArray(caps.add) && caps.add.length) return { path: `${c.path}/securityContext/capabilities/add`, message: `container ${name(c)} adds capabilities ${caps.add.join(', ')}` };
        return drop.includes('ALL') ? undefined : { path: `${c.path}/securityContext/capabilities/drop`, message: `container ${name(c)} does not drop ALL capabilities` };
      }),
  },
  {
    id: 'SEC012',
    title: 'seccomp-runtime-default',
    doc: 'Containers run under the RuntimeDefault (or Localhost) seccomp profile.',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (pod, c) => {
        const p = effective(pod, c, 'seccompProfile');
        const type = isPlainObject(p) ? p.type : undefined;
        return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : { path: `${c.path}/securityContext/seccompProfile`, message: `container ${name(c)} has no RuntimeDefault seccomp profile` };
      }),
  },
  {
    id: 'SEC013',
    title: 'read-only-root-filesystem',
    doc: 'Containers mount their root filesystem read-only (writable paths are emptyDir volumes); waive with the reason where the image cannot.',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (_pod, c) => {
        const sc = isPlainObject(c.container.securityContext) ? c.container.securityContext : {};
        return sc.readOnlyRootFilesystem === true ? undefined : { path: `${c.path}/securityContext/readOnlyRootFilesystem`, message: `container ${name(c)} has a writable root filesystem` };
      }),
  },
  {
    id: 'SEC014',
    title: 'requests-and-limits',
    doc: 'Containers request and limit CPU and memory, so one workload cannot starve the node.',
    waivable: true,
    check: (ctx) =>
      eachContainer(ctx, (_pod, c) => {
        const r = isPlainObject(c.container.resources) ? c.container.resources : {};
        const req = isPlainObject(r.requests) ? r.requests : {};
        const lim = isPlainObject(r.limits) ? r.limits : {};
        const missing = [
          ...['cpu', 'memory'].filter((k) => req[k] === undefined).map((k) => `requests.${k}`),
          ...['memory'].filter((k) => lim[k] === undefined).map((k) => `limits.${k}`),
        ];
        return missing.length ? { path: `${c.path}/resources`, message: `container ${name(c)} has no ${missing.join(', ')}` } : undefined;
      }),
  },
  {
    id: 'SEC019',
    title: 'probes',
    doc: 'Long-running containers have readiness and liveness probes.',
    waivable: true,
    check: (ctx) =>
      eachContainer(
        ctx,
        (pod, c) => {
          if (!pod.longRunning || c.init) return undefined;
          const missing = ['readinessProbe', 'livenessProbe'].filter((k) => c.container[k] === undefined);
          return missing.length ? { path: c.path, message: `container ${name(c)} has no ${missing.join(' or ')}` } : undefined;
        },
        { completeOnly: true },
      ),
  },
];
