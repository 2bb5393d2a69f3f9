/**
 * derive: the facts of one environment, computed once, layer by layer in dependency order.
 * Each layer's derivation receives the facts of the layers it builds on, so every host, URL,
 * port and secret name is computed in exactly one place. Templates see the result as `facts`.
 */
import type { Plan } from '../plan/plan.ts';
import { deriveAgents, type AgentsFacts } from './agents.ts';
import { deriveInference, type InferenceFacts } from './inference.ts';
import { deriveMcp, type McpFacts } from './mcp.ts';
import { deriveNetwork, type NetworkFacts } from './network.ts';
import { deriveObservability, type ObservabilityFacts } from './observability.ts';
import { derivePlatform, type PlatformFacts } from './platform.ts';

export type Facts = PlatformFacts & NetworkFacts & ObservabilityFacts & InferenceFacts & McpFacts & AgentsFacts;

export function derive(plan: Plan): Facts {
  const platform = derivePlatform(plan);
  const network = deriveNetwork(plan);
  const observability = deriveObservability(plan, platform);
  const mcp = deriveMcp(plan, platform);
  const inference = deriveInference(plan, platform, mcp);
  const agents = deriveAgents(plan, { platform, observability, inference, mcp });
  return { ...platform, ...network, ...observability, ...inference, ...mcp, ...agents };
}
