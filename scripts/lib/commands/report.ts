/** Findings out: text grouped by file, JSON records, or GitHub Actions annotations. */
import { formatFinding, isWarning, type Finding } from '../findings.ts';

export type Format = 'text' | 'json' | 'github';

export function formatFindings(findings: Finding[], format: Format): string {
  if (!findings.length) return '';
  if (format === 'json') {
    return `${findings
      .map((f) =>
        JSON.stringify({ file: f.file, line: f.line, col: f.col, kind: f.kind ?? null, name: f.name ?? null, path: f.path, message: f.message, rule: f.rule ?? null, severity: f.severity ?? 'error' }),
      )
      .join('\n')}\n`;
  }
  if (format === 'github') {
    return `${findings
      .map((f) => {
        const what = [f.kind ? `${f.kind}/${f.name ?? '?'}` : '', f.rule ? `[${f.rule}]` : '', f.path || '/'].filter(Boolean).join(' ');
        const line = f.line > 0 ? `,line=${f.line}` : '';
        const col = f.col > 0 ? `,col=${f.col}` : '';
        return `::${isWarning(f) ? 'warning' : 'error'} file=${escapeProp(f.file)}${line}${col}::${escapeData(`${what} ${f.message}`)}`;
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
    lines.push(formatFinding(f));
  }
  return `${lines.join('\n')}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProp(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
