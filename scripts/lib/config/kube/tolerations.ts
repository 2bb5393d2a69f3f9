/**
 * Tolerations as the API server validates them: kubernetes v1.35
 * `pkg/apis/core/validation/validation.go` ValidateTolerations (with validateTaintEffect). A key is
 * a label key; an empty key needs operator Exists; tolerationSeconds only with effect NoExecute;
 * Equal (or no operator) takes a label value, Exists no value; the effect one of the three.
 * Used by the config rule (at the env file's line) and by check's core validation (every object).
 */
import { isQualifiedName, isValidLabelValue } from './names.ts';

export const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

/** What the API server refuses in a list of tolerations: each with its pointer below the list (`0/operator`). */
export function tolerationIssues(tolerations: unknown): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const list = Array.isArray(tolerations) ? tolerations : [];
  const q = (v: unknown): string => JSON.stringify(v);
  const notSupported = (v: string, s: string[]): string => `Unsupported value: ${q(v)}: supported values: ${s.map((x) => `"${x}"`).join(', ')}`;
  list.forEach((t: unknown, i) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return;
    const r = t as Record<string, unknown>;
    const s = (k: string): string => (typeof r[k] === 'string' ? (r[k] as string) : '');
    const [key, operator, value, effect] = [s('key'), s('operator'), s('value'), s('effect')];
    const p = (field: string, message: string): number => out.push({ path: `${i}/${field}`, message });
    if (key) for (const m of isQualifiedName(key)) p('key', `Invalid value: ${q(key)}: ${m}`);
    if (!key && operator !== 'Exists') p('operator', `Invalid value: ${q(operator)}: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`);
    if (r.tolerationSeconds !== undefined && r.tolerationSeconds !== null && effect !== 'NoExecute') p('effect', `Invalid value: ${q(effect)}: effect must be 'NoExecute' when \`tolerationSeconds\` is set`);
    if (operator === 'Equal' || operator === '') for (const m of isValidLabelValue(value)) p('value', `Invalid value: ${q(value)}: ${m}`);
    else if (operator === 'Exists') {
      if (value) p('operator', `Invalid value: ${q(operator)}: value must be empty when \`operator\` is 'Exists'`);
    } else p('operator', notSupported(operator, ['Equal', 'Exists']));
    if (effect && !TAINT_EFFECTS.includes(effect)) p('effect', notSupported(effect, TAINT_EFFECTS));
  });
  return out;
}
