/**
 * A component turned off (`enabled: false`) whose settings the env files still set: nothing reads
 * them, so a change to them does nothing. A warning (validate and render go on), at each
 * setting, naming the file that turned the component off. Catalog defaults are not counted.
 */
import type { ResolvedEnv } from './environment.ts';
import type { Finding } from '../findings.ts';
import { isPlainObject } from './merge.ts';

export function disabledSettingsWarnings(env: ResolvedEnv, written: Record<string, unknown>): Finding[] {
  const comps = isPlainObject(written.components) ? (written.components as Record<string, unknown>) : {};
  const out: Finding[] = [];
  for (const [name, c] of env.components) {
    if (c.enabled) continue;
    const set = comps[name];
    if (!isPlainObject(set)) continue;
    const off = env.locate(`/components/${name}/enabled`, false);
    for (const key of Object.keys(set as Record<string, unknown>).filter((k) => k !== 'enabled').sort()) {
      const pointer = `/components/${name}/${key}`;
      const at = env.locate(pointer, true);
      out.push({ file: at.file, line: at.line, col: at.col, path: pointer, severity: 'warning', message: `components.${name} is disabled (enabled: false at ${off.file}:${off.line}), so its ${key} is ignored: remove it, or enable the component` });
    }
  }
  return out;
}
