/** Every posture rule, run by `check` over each environment's objects. */
import type { Finding } from '../../findings.ts';
import { DELIVERY_RULES } from './delivery-rules.ts';
import { IDENTITY_RULES } from './identity-rules.ts';
import { NAMESPACE_RULES } from './namespace-rules.ts';
import { MIN_REASON, WAIVER_PREFIX, type PolicyContext, type PolicyRule } from './types.ts';
import { WORKLOAD_RULES } from './workload-rules.ts';

export const POLICY_RULES: PolicyRule[] = [...IDENTITY_RULES, ...WORKLOAD_RULES, ...NAMESPACE_RULES, ...DELIVERY_RULES].sort((a, b) => a.id.localeCompare(b.id));

export function runPolicies(ctx: PolicyContext, rules: PolicyRule[] = POLICY_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    for (const h of rule.check(ctx)) {
      const waiver = h.object.obj.metadata.annotations?.[`${WAIVER_PREFIX}${rule.id}`];
      if (rule.waivable && typeof waiver === 'string' && waiver.trim().length >= MIN_REASON) continue;
      out.push({
        file: h.object.file,
        line: h.object.line,
        col: h.object.line ? 1 : 0,
        kind: h.object.obj.kind,
        name: h.object.obj.metadata.name,
        path: h.path,
        rule: rule.id,
        message: `${rule.title}: ${h.message}`,
        ...(h.severity ? { severity: h.severity } : {}),
      });
    }
  }
  return out;
}

/** docs/POLICY.md: the rules, their ids and doc lines (kept in sync by a test). */
export function policyMarkdown(): string {
  return [
    '# Posture rules',
    '',
    '`npm run check` runs these over every rendered object of every environment. A workload may',
    `waive a waivable rule with the annotation \`${WAIVER_PREFIX}<ID>: "<reason>"\` (at least ${MIN_REASON} characters).`,
    '',
    '| id | rule | waivable | what it demands |',
    '|---|---|---|---|',
    ...POLICY_RULES.map((r) => `| ${r.id} | ${r.title} | ${r.waivable ? 'yes' : 'no'} | ${r.doc} |`),
    '',
  ].join('\n');
}

export { NAMESPACE_RULES } from './namespace-rules.ts';
export { crdWaveFindings, hydratedInstallers } from './crd-waves.ts';
