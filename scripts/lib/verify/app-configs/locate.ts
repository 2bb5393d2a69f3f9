/**
 * Positions inside a config embedded as a block scalar (`config.yaml: |`) of a generated YAML
 * file: the config is parsed with its own line counter; its line k sits k lines below the block
 * header, indented two columns deeper than the key (as the renderer writes every block).
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, parseDocument, type Node, type Pair } from 'yaml';
import { positionOf, type YamlSource } from '../../config/yaml-source.ts';

export interface EmbeddedConfig {
  data: unknown;
  /** Parse error of the embedded text, if any, at its file position. */
  error?: { message: string; line: number; col: number };
  /** File position of a JSON pointer inside the config. */
  position(pointer: string, key?: boolean): { line: number; col: number };
}

/** The document of `text` that starts at `line`, with its positions. */
export function sourceAt(file: string, text: string, line: number): YamlSource | undefined {
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    const start = doc.contents?.range?.[0] ?? 0;
    if (lines.linePos(start).line === line) return { file, doc, lines, data: doc.toJS() };
  }
  return undefined;
}

/** Where the block's first content line and column are in the file (the object's line when unknown). */
function blockStart(src: YamlSource | undefined, key: string, objectLine: number): { line: number; col: number } {
  if (!src || !isMap(src.doc.contents)) return { line: objectLine, col: 1 };
  const data = src.doc.contents.get('data', true) as Node | undefined;
  if (!isMap(data)) return { line: objectLine, col: 1 };
  const pair = data.items.find((p: Pair) => isScalar(p.key) && p.key.value === key);
  const value = pair?.value;
  if (!pair || !isScalar(value) || !value.range || !isScalar(pair.key) || !pair.key.range) {
    return { line: positionOf(src, `/data/${key}`).line || objectLine, col: 1 };
  }
  const keyPos = src.lines.linePos(pair.key.range[0]);
  if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') return { line: src.lines.linePos(value.range[0]).line + 1, col: keyPos.col + 2 };
  // A quoted or plain scalar: positions inside it are not lines of the file; point at the value.
  const at = src.lines.linePos(value.range[0]);
  return { line: at.line, col: at.col };
}

/** The `data.<key>` text of an object, parsed, with positions mapped into the generated file. */
export function embeddedConfig(src: YamlSource | undefined, key: string, text: string, objectLine: number): EmbeddedConfig {
  const inner = new LineCounter();
  const doc = parseDocument(text, { lineCounter: inner });
  const base = blockStart(src, key, objectLine);
  const inFile = (line: number, col: number) => ({ line: base.line + line - 1, col: base.col + col - 1 });
  const source: YamlSource = { file: src?.file ?? '', doc, lines: inner, data: doc.toJS() };
  const err = doc.errors[0];
  const out: EmbeddedConfig = {
    data: err ? undefined : source.data,
    position(pointer, asKey = false) {
      const p = positionOf(source, pointer, asKey);
      return inFile(p.line || 1, p.col || 1);
    },
  };
  if (err) out.error = { message: err.message.split('\n')[0] ?? err.message, ...inFile(err.linePos?.[0]?.line ?? 1, err.linePos?.[0]?.col ?? 1) };
  return out;
}
