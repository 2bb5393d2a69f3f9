/**
 * Issue 13 item 4: Kagenti's AgentRuntime controller sets app.kubernetes.io/managed-by:
 * kagenti-operator on the agent Deployment (kagenti-operator internal/controller/
 * agentruntime_controller.go, applyWorkloadConfig). The hydrated Deployment must carry the same
 * value, or Argo CD shows the agents app OutOfSync forever.
 */
import { describe, expect, it } from 'vitest';
import { hydrateFixture } from '../helpers/render.ts';

describe('agent Deployments keep the manager Kagenti writes', () => {
  it('prod: every kagenti.io/type=agent Deployment says managed-by kagenti-operator after kustomize', async () => {
    const objs = (await hydrateFixture('prod')).map((o) => o.obj as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const agents = objs.filter((o) => o.kind === 'Deployment' && o.metadata?.labels?.['kagenti.io/type'] === 'agent');
    expect(agents.length).toBeGreaterThan(0);
    for (const d of agents) expect(d.metadata.labels['app.kubernetes.io/managed-by'], d.metadata.name).toBe('kagenti-operator');
    // Everything else in the component keeps the generator's label.
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.namespace === 'catalyst-agents')!;
    expect(svc.metadata.labels['app.kubernetes.io/managed-by']).toBe('catalyst-gitops');
  });
});
