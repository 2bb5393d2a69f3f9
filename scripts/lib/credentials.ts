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
