/**
 * Deterministic YAML out: key order as built, no line folding, LF, one trailing newline.
 */
import { Document, parseAllDocuments } from 'yaml';
import { failed, ok, type Finding, type Result } from '../findings.ts';
import { cachedFromText, saveFromText } from '../text-cache.ts';

/** A rendered template in canonical form, with its objects. */
export interface Normalized {
  text: string;
  objects: unknown[];
}

const OPTS = { lineWidth: 0, minContentWidth: 0, indentSeq: true } as const;
/**
 * Strings are quoted wherever a YAML 1.1 reader (Go's yaml.v2 in kubectl, kustomize and
 * Argo CD) would take them for something else: "off", "yes", "n", "0777", "1:20", "~".
 */
const DOC = { version: '1.1' } as const;

/** One or more objects as a multi-document YAML file. */
export function toYaml(docs: unknown[]): string {
  return docs.map((d) => new Document(d, DOC).toString(OPTS)).join('---\n');
}

/**
 * Parse rendered YAML back (unique keys, no aliases) and re-serialize it canonically.
 * Returns the objects too, so callers can check them. Errors name the template file.
 */
export function normalizeRenderedYaml(text: string, file: string): Result<Normalized> {
  const hit = cachedFromText<Normalized>(text, import.meta.url);
  if (hit) return ok(hit);
  const r = normalizeUncached(text, file);
  if (r.ok) saveFromText(text, import.meta.url, r.value);
  return r;
}

function normalizeUncached(text: string, file: string): Result<Normalized> {
  const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    return failed([{ file, line: 1, col: 1, path: '', message: 'rendered output is not a YAML stream' }]);
  }
  const findings: Finding[] = [];
  const kept: Document.Parsed[] = [];
  for (const d of list) {
    for (const e of d.errors) {
      const pos = e.linePos?.[0];
      findings.push({ file, line: pos?.line ?? 1, col: pos?.col ?? 1, path: '', message: `rendered YAML is invalid: ${e.message.split('\n')[0]}` });
    }
    if (d.contents !== null) kept.push(d);
  }
  if (findings.length) return failed(findings);
  const objects: unknown[] = [];
  const texts: string[] = [];
  for (const d of kept) {
    try {
      const js: unknown = d.toJS({ maxAliasCount: 0 });
      objects.push(js);
      // Canonical style: the data, re-serialized (template comments never reach the output).
      texts.push(new Document(js, DOC).toString(OPTS));
    } catch (err) {
      findings.push({ file, line: 1, col: 1, path: '', message: `rendered YAML uses aliases: ${(err as Error).message}` });
    }
  }
  if (findings.length) return failed(findings);
  return ok({ text: texts.join('---\n'), objects });
}
