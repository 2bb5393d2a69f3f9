/**
 * Text from config files, checked and shown safely: the characters a setting may not hold
 * (invisible), and any text made printable for a message (printable).
 */

/**
 * Characters a setting may not hold: controls other than tab, line feed and carriage return (many YAML
 * readers, kustomize's among them, refuse them raw), bidi controls and zero-width characters (they
 * make a value read differently from what it is), line separators, noncharacters, lone surrogates.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first character of `s` that INVISIBLE refuses, described (`U+202E, a bidi control character`). */
export function invisible(s: string): string | undefined {
  const m = INVISIBLE.exec(s);
  if (!m) return undefined;
  const c = m[0].charCodeAt(0);
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const kind =
    c < 0x20 || (c >= 0x7f && c <= 0x9f)
      ? 'a control character'
      : (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c
        ? 'a bidirectional control character'
        : c === 0x2028 || c === 0x2029
          ? 'a line separator'
          : c >= 0xd800 && c <= 0xdfff
            ? 'a lone surrogate'
            : c >= 0xfffe
              ? 'a noncharacter'
              : 'a zero-width character';
  return `${code}, ${kind}`;
}

/** Characters that hide, reorder or control text in a terminal, and lone surrogates. */
const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text from a config file made safe to print in a message: control, bidi and zero-width
 * characters become `\uXXXX` (`\n`, `\t`, `\r` for those), and text longer than `max`
 * is cut with the full length noted.
 */
export function printable(s: string, max = 100): string {
  let text = s;
  let suffix = '';
  if (s.length > max) {
    let end = max;
    if (/[\ud800-\udbff]/.test(s[end - 1] ?? '')) end -= 1;
    text = s.slice(0, end);
    suffix = `... (${s.length} characters)`;
  }
  const escaped = text.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  // A Cyrillic "е" in "dеv" looks like "dev": in text that has Latin letters, letters of
  // look-alike scripts are shown as \uXXXX so the message tells them apart.
  const shown = /[A-Za-z]/.test(escaped) ? escaped.replace(CONFUSABLE, (c) => `\\u${c.length > 1 ? `{${c.codePointAt(0)!.toString(16)}}` : c.charCodeAt(0).toString(16).padStart(4, '0')}`) : escaped;
  return shown + suffix;
}

/** Letters that look like Latin ones: Greek, Cyrillic, Armenian, Cherokee, fullwidth forms, dotless i, math letters. */
const CONFUSABLE = /[\u0131\u0250-\u02af\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u13a0-\u13ff\u1d00-\u1d7f\u2100-\u214f\uff01-\uff5e]|\ud835[\udc00-\udfff]/g;
