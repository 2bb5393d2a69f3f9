/**
 * `null` removes a key in the extends chain; it also removes the catalog's default for a
 * component setting (apps/<name>/app.yaml `defaults:`), which the component's templates rely on
 * (`components.models.scheduler: null` left the model templates without a scheduler). A
 * top-level default removed that way is reported at the line of the `null`.
 */
import type { Finding } from '../../findings.ts';
import { isPlainObject } from '../merge.ts';
import { escapePointer } from '../yaml-source.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

export const catalogDefaultsKept: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const [name, c] of env.components) {
    if (!c.enabled || !isPlainObject(c.app.defaults)) continue;
    for (const key of Object.keys(c.app.defaults)) {
      if (Object.hasOwn(c.settings, key) || c.app.defaults[key] === null) continue;
      const at = `/components/${escapePointer(name)}/${escapePointer(key)}`;
      out.push(finding(env, at, `components.${name}.${key} has a default in apps/${name}/app.yaml that the component needs: override its keys instead of removing it with null`, true));
    }
  }
  return out;
};

export const REMOVED_DEFAULT_RULES: EnvRule[] = [catalogDefaultsKept];
