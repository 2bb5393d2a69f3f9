/** Credentials never travel in a message: maskCredentials hides every part CREDENTIAL_VALUE matches. */
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_VALUE, maskCredentials } from '../scripts/lib/credentials.ts';

/** [value, masked, the secret part that must be gone] */
const secrets = {
  'user:password URL': ['postgresql://app:S3cr3t-pw@db.example:5432/app', 'postgresql://app:***@db.example:5432/app', 'S3cr3t-pw'],
  'token as the URL user': ['https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git', 'https://***@github.com/o/r.git', 'ghp_'],
  'GitHub token': ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here', 'token *** here', 'ghp_'],
  'Hugging Face token': ['hf_abcdefghijklmnopqrstuvwxyz01234567', '***', 'hf_'],
  'AWS key id': ['AKIAABCDEFGHIJKLMNOP', '***', 'AKIA'],
  'private key header': ['-----BEGIN RSA PRIVATE KEY-----', '***', 'PRIVATE KEY'],
};

describe('maskCredentials', () => {
  for (const [what, [input, masked, secret]] of Object.entries(secrets)) {
    it(`masks a ${what}`, () => {
      expect(CREDENTIAL_VALUE.some((re) => re.test(input!))).toBe(true);
      const out = maskCredentials(input!);
      expect(out).toBe(masked);
      expect(out).not.toContain(secret);
    });
  }

  it('leaves ordinary values and placeholders alone', () => {
    for (const v of ['https://github.com/o/r.git', 'git@github.com:o/r.git', 'postgresql://app:$(PGPASSWORD)@db:5432/app', 'plain text']) {
      expect(maskCredentials(v)).toBe(v);
    }
  });
});
