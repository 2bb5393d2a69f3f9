/** Every semantic rule, run in this order after the schema passes. Layers add theirs here. */
import { apiServerCidrsWhenNeeded, dependenciesEnabled, gpuOperatorNeedsGpus, nameMatchesFile } from './basics.ts';
import { postgresDatabasesUnique, postgresImageHasPgvector, postgresOwnersAreRoles } from './storage.ts';
import type { EnvRule } from './types.ts';

export const RULES: EnvRule[] = [
  nameMatchesFile,
  dependenciesEnabled,
  gpuOperatorNeedsGpus,
  apiServerCidrsWhenNeeded,
  postgresImageHasPgvector,
  postgresDatabasesUnique,
  postgresOwnersAreRoles,
];
