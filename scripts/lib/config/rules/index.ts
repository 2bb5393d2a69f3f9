/** Every semantic rule, run in this order after the schema passes. Layers add theirs here. */
import { AGENT_RULES } from './agents.ts';
import { ALERTING_RULES } from './alerting.ts';
import { apiServerCidrsWhenNeeded, dependenciesEnabled, gpuOperatorNeedsGpus, nameMatchesFile } from './basics.ts';
import { BENCHMARK_RULES } from './benchmarks.ts';
import { INFERENCE_RULES } from './inference.ts';
import { MCP_RULES } from './mcp.ts';
import { OBSERVABILITY_RULES } from './observability.ts';
import { postgresDatabasesUnique, postgresImageHasPgvector, postgresOwnersAreRoles, postgresReadOnKnown } from './storage.ts';
import { noCredentialsInConfig } from './secrets.ts';
import { CIDR_RULES } from './cidrs.ts';
import { INT_RANGE_RULES } from './int-ranges.ts';
import { NAME_LENGTH_RULES } from './name-lengths.ts';
import { QUANTITY_RULES } from './quantities.ts';
import { RESOURCE_LIMIT_RULES } from './resource-limits.ts';
import { DURATION_RULES } from './durations.ts';
import { REMOVED_DEFAULT_RULES } from './removed-defaults.ts';
import { PATH_RULES } from './paths.ts';
import { URL_RULES } from './urls.ts';
import { NEVER_WORK_RULES } from './never-work.ts';
import { tolerationsValid } from './tolerations.ts';
import type { EnvRule } from './types.ts';
import { COLLISION_RULES } from './collisions.ts';

export const RULES: EnvRule[] = [
  nameMatchesFile,
  ...COLLISION_RULES,
  noCredentialsInConfig,
  ...URL_RULES,
  ...PATH_RULES,
  ...REMOVED_DEFAULT_RULES,
  dependenciesEnabled,
  gpuOperatorNeedsGpus,
  apiServerCidrsWhenNeeded,
  postgresImageHasPgvector,
  postgresDatabasesUnique,
  postgresOwnersAreRoles,
  postgresReadOnKnown,
  ...INFERENCE_RULES,
  ...OBSERVABILITY_RULES,
  ...ALERTING_RULES,
  ...MCP_RULES,
  ...AGENT_RULES,
  ...BENCHMARK_RULES,
  ...NEVER_WORK_RULES,
  // What the API server enforces, checked at the line that sets it.
  ...QUANTITY_RULES,
  ...RESOURCE_LIMIT_RULES,
  ...CIDR_RULES,
  ...NAME_LENGTH_RULES,
  ...INT_RANGE_RULES,
  ...DURATION_RULES,
  tolerationsValid,
];
