/** Rules for the env as a whole: its name and the components it turns on. */
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

/** The name inside the file equals the file name. */
export const nameMatchesFile: EnvRule = (env) =>
  env.config.name === env.name ? [] : [finding(env, '/name', `name "${env.config.name}" must equal the file name "${env.name}"`)];

/** An enabled component's dependencies and CRD providers are enabled too. */
export const dependenciesEnabled: EnvRule = (env) => {
  const out = [];
  const installers = new Map<string, string[]>();
  for (const c of env.components.values()) {
    if (!c.enabled) continue;
    for (const g of c.app.crds.installs) installers.set(g, [...(installers.get(g) ?? []), c.app.name]);
  }
  for (const c of env.components.values()) {
    if (!c.enabled) continue;
    for (const dep of c.app.dependsOn) {
      if (env.components.get(dep)?.enabled) continue;
      out.push(finding(env, `/components/${dep}/enabled`, `"${dep}" is disabled, but the enabled component "${c.app.name}" depends on it`));
    }
    for (const g of c.app.crds.uses) {
      if (installers.has(g)) continue;
      const owners = [...env.components.values()].filter((o) => o.app.crds.installs.includes(g)).map((o) => o.app.name);
      const hint = owners.length ? ` (enable ${owners.join(' or ')})` : ' (no component in apps/ installs it)';
      out.push(finding(env, `/components/${c.app.name}`, `"${c.app.name}" uses CRD group ${g}, but no enabled component installs it${hint}`));
    }
  }
  return out;
};

/** The GPU operator only makes sense on a cluster with GPU nodes. */
export const gpuOperatorNeedsGpus: EnvRule = (env) =>
  env.components.get('gpu-operator')?.enabled && !env.config.cluster.gpu
    ? [finding(env, '/components/gpu-operator/enabled', 'the GPU operator is enabled but cluster.gpu is not set')]
    : [];

/** Pods that call the API under default-deny need to know where the API server is. */
export const apiServerCidrsWhenNeeded: EnvRule = (env) => {
  if (env.config.cluster.apiServerCidrs?.length) return [];
  const callers = [...env.components.values()].filter((c) => c.enabled && c.app.callsApiServer && c.app.source.type === 'local').map((c) => c.app.name);
  return callers.length
    ? [finding(env, '/cluster', `cluster.apiServerCidrs is required: ${callers.join(', ')} call the Kubernetes API from namespaces with default-deny egress`)]
    : [];
};
