/**
 * No credential in an environment file: a value that looks like a token, key or password
 * URI, or any value under a credential-named key, is a config error. Credentials live in
 * the secret store and reach the cluster as ExternalSecrets.
 */
import { isPlainObject } from '../merge.ts';
import { CREDENTIAL_VALUE } from '../../credentials.ts';
import { escapePointer } from '../yaml-source.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

const CREDENTIAL_KEY = /^(password|passwd|pass|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?|bearer)$/i;

function* walk(v: unknown, path: string): Generator<[string, string, unknown]> {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* walk(x, `${path}/${i}`);
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const p = `${path}/${escapePointer(k)}`;
      yield [p, k, x];
      yield* walk(x, p);
    }
  }
}

export const noCredentialsInConfig: EnvRule = (env) => {
  const out = [];
  const seen = new Set<string>();
  for (const [path, key, value] of walk(env.config, '')) {
    if (CREDENTIAL_KEY.test(key) && value !== null && value !== '' && typeof value !== 'object') {
      out.push(finding(env, path, `"${key}" holds a credential: keep it in the secret store and reference it through an ExternalSecret`));
      seen.add(path);
    } else if (typeof value === 'string' && !seen.has(path) && CREDENTIAL_VALUE.some((re) => re.test(value))) {
      out.push(finding(env, path, 'this value looks like a credential (token, key or password URI): keep it in the secret store'));
    }
  }
  return out;
};
