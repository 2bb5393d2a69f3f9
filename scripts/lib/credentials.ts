/**
 * What a credential looks like, wherever it appears: an environment file (config rule) or a
 * rendered object (posture rule SEC014). One list, so config and output agree.
 */

/** An http(s) URL with a user part (`https://TOKEN@host`, `https://user:pass@host`): Git and Helm clients send it as credentials. */
export const URL_USERINFO_HTTP = /\bhttps?:\/\/[^\s/@?#]+@[^\s/@]/i;

/** Values that look like a real credential wherever they appear. */
export const CREDENTIAL_VALUE = [
  /gh[pousr]_[A-Za-z0-9]{30,}/,
  /github_pat_[A-Za-z0-9_]{40,}/,
  /xox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bsk-[A-Za-z0-9_-]{20,}/,
  /\bhf_[A-Za-z0-9]{30,}/,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  // user:password@ in a URL of any scheme (https, ssh, postgresql, sftp, ...); `$(VAR)` / `${VAR}` placeholders are not credentials.
  /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^:\s/@]+:(?!\$[({])[^@\s/]+@/,
  // a bare token as the user of an http(s) URL (https://<token>@github.com/...)
  URL_USERINFO_HTTP,
];

/** The parts of a URL's user info that are secret: `user:pass@` keeps the user, `token@` nothing. */
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/@?#]+)@/g;

/**
 * A value as it may appear in a message: every credential-looking part replaced by `***`
 * (the user of a `user:password@` URL kept, to say which account). Findings are printed in CI
 * logs and PR comments; the credential must not travel with them.
 */
export function maskCredentials(text: string): string {
  let out = text.replace(URL_USERINFO, (_m, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    if (colon > 0 && /^\$[({]/.test(info.slice(colon + 1))) return `${scheme}${info}@`; // a $(VAR) placeholder
    return `${scheme}${colon > 0 ? `${info.slice(0, colon)}:***` : '***'}@`;
  });
  for (const re of CREDENTIAL_VALUE) {
    if (re === URL_USERINFO_HTTP || re.source.includes(':\\/\\/')) continue;
    out = out.replace(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`), '***');
  }
  return out;
}
