/**
 * Findings out: text grouped by file, GitHub Actions annotations, or one JSON document.
 * `emitOutcome` is the one way a command ends: each finding printed once, the summary
 * counting exactly what was printed; with --format json a single document on stdout
 * and nothing on stderr.
 */
import { formatFinding, isWarning, type Finding } from '../findings.ts';
import { annotationData, annotationProperty, foldLine } from '../log-safe.ts';

/** `markdown` is diff's (a PR comment); findings in it print as text. */
export type Format = 'text' | 'json' | 'github' | 'markdown';

export interface Outcome {
  /** `render`, `validate`, `check`, … */
  command: string;
  /** Already deduplicated and sorted: what is printed is what is counted. */
  findings: Finding[];
  /** The closing line for text and github output (without the newline). */
  summary: string;
  /** Machine-readable counts for JSON (e.g. `{ environments: 3, changed: 0 }`). */
  counts?: Record<string, unknown>;
  /** Extra JSON members (e.g. the diff report). */
  data?: Record<string, unknown>;
}

export interface Sink {
  format: Format;
  out: (s: string) => void;
  err: (s: string) => void;
}

export function emitOutcome(sink: Sink, o: Outcome): void {
  const errors = o.findings.filter((f) => !isWarning(f)).length;
  if (sink.format === 'json') {
    const summary = { text: o.summary, findings: errors, warnings: o.findings.length - errors, ...o.counts };
    const doc = { command: o.command, ok: errors === 0, findings: o.findings.map(findingRecord), summary, ...o.data };
    sink.out(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  if (o.findings.length) sink.err(formatFindings(o.findings, sink.format));
  (errors ? sink.err : sink.out)(`${o.summary}\n`);
}

/** One finding as a JSON record (every member present, null when unknown). */
export function findingRecord(f: Finding): Record<string, unknown> {
  return { file: f.file, line: f.line, col: f.col, kind: f.kind ?? null, name: f.name ?? null, path: f.path, message: f.message, rule: f.rule ?? null, severity: f.severity ?? 'error' };
}

export function formatFindings(findings: Finding[], format: Format): string {
  if (!findings.length) return '';
  if (format === 'json') return `${findings.map((f) => JSON.stringify(findingRecord(f))).join('\n')}\n`;
  if (format === 'github') {
    return `${findings
      .map((f) => {
        const what = [f.kind ? `${f.kind}/${f.name ?? '?'}` : '', f.rule ? `[${f.rule}]` : '', f.path || '/'].filter(Boolean).join(' ');
        const line = f.line > 0 ? `,line=${f.line}` : '';
        const col = f.col > 0 ? `,col=${f.col}` : '';
        return `::${isWarning(f) ? 'warning' : 'error'} file=${annotationProperty(f.file)}${line}${col}::${annotationData(fold(`${what} ${f.message}`))}`;
      })
      .join('\n')}\n`;
  }
  const lines: string[] = [];
  let file = '';
  for (const f of findings) {
    if (f.file !== file) {
      if (file) lines.push('');
      file = f.file;
    }
    lines.push(fold(formatFinding(f)));
  }
  return `${lines.join('\n')}\n`;
}

/** The same finding is reported once, not once per environment (stable order kept). */
export function dedupe<T extends { file: string; line: number; col: number; path: string; message: string }>(fs: T[]): T[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.file}|${f.line}|${f.col}|${f.path}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Each line of a finding folded (an 11,000-character line helps no reader); JSON keeps the full text. */
function fold(text: string): string {
  return text.split('\n').map((l) => foldLine(l)).join('\n');
}
