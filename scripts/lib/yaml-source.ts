/**
 * Loading YAML with positions. Every later error can name file:line:col because
 * the parsed Document and its LineCounter are kept next to the plain data.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Finding } from './types.ts';

/** Files larger than this are refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Alias expansions allowed when converting to JS (guards against alias bombs). */
export const MAX_ALIAS_COUNT = 100;

export interface YamlSource {
  /** Project-relative path used in messages. */
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain JSON-like data (undefined when parsing failed). */
  data: unknown;
}

export type LoadResult = { ok: true; source: YamlSource } | { ok: false; findings: Finding[] };

function at(file: string, line: number, col: number, message: string): Finding {
  return { file, line, col, path: '', message };
}

/** Read and parse one YAML file that must hold a single mapping. */
export function loadYamlFile(absPath: string, file: string, opts: { maxBytes?: number } = {}): LoadResult {
  const maxBytes = opts.maxBytes ?? MAX_CONFIG_BYTES;
  let size: number;
  try {
    size = statSync(absPath).size;
  } catch {
    return { ok: false, findings: [at(file, 0, 0, 'file not found or not readable')] };
  }
  if (size > maxBytes) {
    return { ok: false, findings: [at(file, 1, 1, `file is ${size} bytes, more than the limit of ${maxBytes}`)] };
  }
  return parseYamlText(readFileSync(absPath, 'utf8'), file);
}

/** Parse YAML text: one document, a mapping at the root, unique keys, bounded aliases. */
export function parseYamlText(text: string, file: string): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const findings: Finding[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const first = e.message.split('\n')[0] ?? e.message;
    const msg = first.replace(/ at line \d+, column \d+:?$/, '');
    findings.push(at(file, pos.line, pos.col, `invalid YAML: ${msg}`));
  }
  if (findings.length > 0) return { ok: false, findings };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { ok: false, findings: [at(file, 1, 1, 'file is empty: expected a mapping of settings')] };
  }
  if (!isMap(doc.contents)) {
    const [line, col] = nodePos(doc.contents as Node, lines);
    const what = isSeq(doc.contents) ? 'a list' : 'a scalar';
    return { ok: false, findings: [at(file, line, col, `the root must be a mapping of settings, found ${what}`)] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, findings: [at(file, 1, 1, `invalid YAML: ${message}`)] };
  }
  return { ok: true, source: { file, doc, lines, data } };
}

function nodePos(node: Node | null | undefined, lines: LineCounter): [number, number] {
  const offset = node?.range?.[0];
  if (offset === undefined) return [1, 1];
  const p = lines.linePos(offset);
  return [p.line, p.col];
}

/** Split a JSON pointer into segments (`/a/b~1c/0` -> ['a', 'b/c', '0']). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Position of the node at a JSON pointer. When `key` is true the position of the
 * mapping key is returned (for "unknown key" messages). When the path does not
 * exist, `found` is false and the position is that of the deepest existing node.
 */
export function positionOf(src: YamlSource, pointer: string, key = false): { line: number; col: number; found: boolean } {
  let node: unknown = src.doc.contents;
  let keyNode: Node | undefined;
  let found = true;
  for (const seg of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) {
        found = false;
        break;
      }
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) {
        found = false;
        break;
      }
      keyNode = undefined;
      node = item;
    } else {
      found = false;
      break;
    }
  }
  const target = key && found && keyNode ? keyNode : (node as Node | undefined) ?? keyNode;
  const [line, col] = nodePos(target ?? null, src.lines);
  return { line, col, found };
}
