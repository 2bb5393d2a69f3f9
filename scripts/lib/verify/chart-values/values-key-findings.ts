/** PLAT004 findings from unknownValuesKeys, for the caller that knows the app and the values file. */
import type { Finding } from '../../findings.ts';
import { makeFinding } from '../admission/index.ts';
import type { UnknownValuesKey } from './values-keys.ts';

export const PLAT004 = 'PLAT004';

/** JSON pointer of a dotted key path (`a.b` -> `/a/b`). */
const pointer = (dotted: string): string => `/${dotted.split('.').map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

export function valuesKeyFindings(app: string, chart: string, at: { file: string; line: number }, keys: readonly UnknownValuesKey[]): Finding[] {
  return keys.map((k) =>
    makeFinding(PLAT004, at, undefined, pointer(k.path), `app "${app}": values key ${k.path} is neither declared in chart ${chart}'s values.yaml nor read by its templates${k.nearest ? `; did you mean ${k.nearest}?` : ''}`),
  );
}
