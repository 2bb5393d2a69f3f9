/**
 * Output that reaches a CI log or a job summary must not run as a GitHub Actions workflow command.
 * The runner reads every line of a step's output (actions/runner@v2.336.0:src/Runner.Common/ActionCommand.cs):
 * - `TryParseV2`: a line whose text, leading whitespace trimmed, starts with `::` is a command
 *   (`::error file=…::msg`); the data after the second `::` is unescaped (`%25`, `%0D`, `%0A`), the
 *   properties too (plus `%3A`, `%2C`);
 * - `TryParse`: `##[` ANYWHERE in a line starts a command (`##[error]msg`).
 * A config value, a chart's text or a file name may contain both and newlines. So:
 * - annotation data and properties are escaped exactly as GitHub documents
 *   ("Workflow commands for GitHub Actions", Example: Masking and setting a secret / annotations);
 * - every other line (text findings, the diff, summaries, notes) is defused: control characters
 *   shown as `\n`, `\r`, `\x1b`…, a leading `::` written `%3A%3A`, every `##[` written `##%5B`
 *   (the runner's own escape of brackets), so nothing a user wrote starts a command;
 * - JSON keeps its value: `##[` inside a string is written `##\u005b`.
 */

/** Annotation data: `%`, CR and LF percent-encoded (what the runner's UnescapeData reverses). */
export function annotationData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** An annotation property (`file=`, `title=`): the data escapes plus `:` and `,`. */
export function annotationProperty(s: string): string {
  return annotationData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Control characters other than tab and newline, shown as escapes. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/g;

function showControl(c: string): string {
  if (c === '\r') return '\\r';
  if (c === '\x1b') return '\\x1b';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line of plain output with no workflow command in it (the line's meaning for a reader kept). */
export function defuseLine(line: string): string {
  let s = line.replace(CONTROL, showControl).replace(/##\[/g, '##%5B');
  const lead = /^[\s\u00a0\ufeff]*/.exec(s)?.[0] ?? '';
  if (s.startsWith('::', lead.length)) s = `${lead}%3A%3A${s.slice(lead.length + 2)}`;
  return s;
}

/** Every line of a text (newlines kept as line breaks). */
export function defuseText(text: string): string {
  return text.split('\n').map(defuseLine).join('\n');
}

/**
 * A line this tool writes as an annotation (report.ts `annotation`): `::error`/`::warning`, the
 * file property escaped, line and col numbers, the data escaped. Only these pass `defuseGithub`.
 */
const OWN_ANNOTATION = /^::(error|warning) file=[^\s:,]*(,line=\d+)?(,col=\d+)?::[^\r\n]*$/;

/** `--format github`: our own annotation lines kept as commands (their data defused), every other line defused. */
export function defuseGithub(text: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (!OWN_ANNOTATION.test(l)) return defuseLine(l);
      const data = l.indexOf('::', 2) + 2;
      return `${l.slice(0, data)}${defuseLine(l.slice(data))}`;
    })
    .join('\n');
}

/** JSON text with the same value and no `##[` (a `::` cannot start a line of JSON). */
export function defuseJson(json: string): string {
  return json.replace(/##\[/g, '##\\u005b');
}

/** What a status line on a terminal starts with (commands/progress.ts): kept, the label after it defused. */
const STATUS = '\r\x1b[K';

/** A sink writing through the defuse fitting the output's format. */
export function logSafe(format: string, write: (s: string) => void): (s: string) => void {
  if (format === 'json') return (s) => write(defuseJson(s));
  const defuse = format === 'github' ? defuseGithub : defuseText;
  return (s) => write(s.startsWith(STATUS) ? `${STATUS}${defuse(s.slice(STATUS.length))}` : defuse(s));
}

/** Longest line of a finding in text and annotations; the rest is folded (--format json has it all). */
export const MAX_FINDING_LINE = 600;

/** A line folded to `max` characters, saying how much was left out and where to find it. */
export function foldLine(line: string, max = MAX_FINDING_LINE): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)}… (${line.length - max} more characters; --format json has the full text)`;
}
