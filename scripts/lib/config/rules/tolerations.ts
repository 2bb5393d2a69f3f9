/**
 * Every `tolerations` list of the config (cluster.gpu.tolerations and any other) as the API server
 * will validate it in the pods it ends up in (config/kube/tolerations.ts, ValidateTolerations):
 * refused here at the line that sets it, with the same rule id check uses on the objects (KV002).
 */
import { tolerationIssues } from '../kube/tolerations.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive, walk } from './walk.ts';

export const tolerationsValid: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const v of walk(env.config)) {
    if (v.key !== 'tolerations' || !Array.isArray(v.value) || !isActive(env, v.pointer)) continue;
    for (const t of tolerationIssues(v.value)) {
      out.push({ ...finding(env, `${v.pointer}/${t.path}`, `${t.message} (the API server refuses it: ValidateTolerations, Kubernetes v1.35)`), rule: 'KV002' });
    }
  }
  return out;
};
