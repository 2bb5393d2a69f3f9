/**
 * Loading YAML with positions. Every later error can name file:line:col because
 * the parsed Document and its LineCounter are kept next to the plain data.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { failed, ok, type Finding, type Result } from '../findings.ts';
import { readTextBounded } from '../fs/safe-read.ts';
import { invisible, printable } from './printable.ts';

export { printable };

/** This module (its code is part of the key of cached parses, config/yaml-file.ts). */
export const PARSER_URL = import.meta.url;

/** Files larger than this are refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Alias expansions allowed when converting to JS (guards against alias bombs). */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of mappings and lists (real files nest about 8 levels; every later stage recurses). */
export const MAX_DEPTH = 64;
/** Values that aliases may add in total (a billion-laughs file stops here, at the alias). */
export const MAX_ALIAS_EXPANSION = 10_000;
/** Keys that would replace an object's prototype when copied (`out[k] = v`). */
const FORBIDDEN_KEYS = new Set(['__proto__']);
/** Tags whose values are plain JSON; `!!set`, `!!omap`, `!!binary`, `!!timestamp` and custom tags are not. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export interface YamlSource {
  /** Project-relative path used in messages. */
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain JSON-like data (undefined when parsing failed). */
  data: unknown;
}

function at(file: string, line: number, col: number, message: string): Finding {
  return { file, line, col, path: '', message };
}

/** Parse YAML text: one document, a mapping at the root, unique keys, bounded aliases and nesting, visible text. */
export function parseYamlText(text: string, file: string): Result<YamlSource> {
  const lines = new LineCounter();
  // uniqueKeys is checked by checkStructure (yaml's own check compares every pair of keys: minutes for a
  // file of many keys); it compares keys as the JS data will have them, so `1` and "1" clash too.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' });
  const findings: Finding[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const first = e.message.split('\n')[0] ?? e.message;
    const msg = /Maximum call stack size exceeded/.test(first)
      ? `nested more than ${MAX_DEPTH} levels deep`
      : /contains multiple documents/.test(first)
        ? 'a second document (after "---"): the file must hold one mapping'
        : printable(first.replace(/ at line \d+, column \d+:?$/, ''));
    findings.push(at(file, pos.line, pos.col, `invalid YAML: ${msg}`));
  }
  // Past the parser's stack the same error repeats at each level it unwinds: once is enough.
  const tooDeep = findings.find((f) => f.message.endsWith(`nested more than ${MAX_DEPTH} levels deep`));
  if (tooDeep) return failed([tooDeep]);
  if (findings.length > 0) return failed(findings);
  // %YAML 1.1 switches on 1.1 rules: `<<` merge keys, yes/no booleans, octal 010. Only 1.2 is read.
  const version = doc.directives?.yaml;
  if (version?.explicit && version.version !== '1.2') {
    const m = /^%YAML[ \t]+(\S*)/m.exec(text);
    const line = m ? text.slice(0, m.index).split('\n').length : 1;
    return failed([at(file, line, 1, `"%YAML ${printable(m?.[1] ?? version.version)}" is not supported: the file is read as YAML 1.2 (no "<<" merge keys); remove the directive`)]);
  }

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return failed([at(file, 1, 1, 'file is empty: expected a mapping of settings')]);
  }
  if (!isMap(doc.contents)) {
    const [line, col] = nodePos(doc.contents as Node, lines);
    const what = isSeq(doc.contents) ? 'a list' : 'a scalar';
    return failed([at(file, line, col, `the root must be a mapping of settings, found ${what}`)]);
  }
  const structure = checkStructure(doc, lines, file);
  // NUL in a key or value is reported there; anywhere else (a comment) it is reported here.
  const nul = text.indexOf('\u0000');
  if (nul >= 0 && !structure.some((f) => f.message.includes('U+0000'))) {
    const pos = lines.linePos(nul);
    structure.push(at(file, pos.line, pos.col, 'the file contains a NUL character (U+0000): a text file never does, even in a comment'));
  }
  if (structure.length) return failed(structure);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return failed([at(file, 1, 1, `invalid YAML: ${printable(message)}`)]);
  }
  return ok({ file, doc, lines, data });
}

/** The JS key a YAML key becomes (what `toJS` does for plain objects). */
function jsKey(key: unknown): string {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return String(key);
}

/**
 * What parsing accepts but the plain data cannot hold faithfully, each with its position:
 * keys that are collections or aliases, keys equal once converted (`1` and `"1"`), `__proto__`,
 * values that are not JSON (sets, timestamps, binary, custom tags), invisible characters (INVISIBLE)
 * in keys and values, nesting deeper than MAX_DEPTH (through aliases too), aliases inside their own
 * anchor and alias bombs.
 * Recursion stops at MAX_DEPTH, so this never overflows the stack.
 */
function checkStructure(doc: Document.Parsed, lines: LineCounter, file: string): Finding[] {
  const findings: Finding[] = [];
  const add = (node: unknown, path: string, message: string): void => {
    const [line, col] = nodePos(node as Node, lines);
    findings.push({ file, line, col, path: printable(path, 200), message });
  };
  const anchors = new Map<string, Node>();
  const heights = new Map<Node, number>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let expanded = 0;
  let bombReported = false;
  /** Returns [height, size] of the node (height 0 for scalars). */
  const visit = (node: unknown, depth: number, path: string): [number, number] => {
    if (node === null || node === undefined) return [0, 1];
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return [0, 1];
      if (open.has(target)) {
        add(node, path, `alias *${printable(node.source)} is inside the node it refers to (a recursive structure)`);
        return [0, 1];
      }
      const h = heights.get(target) ?? 0;
      const n = sizes.get(target) ?? 1;
      if (depth + h - 1 > MAX_DEPTH) add(node, path, `alias *${printable(node.source)} makes the nesting deeper than ${MAX_DEPTH} levels`);
      expanded += n;
      if (expanded > MAX_ALIAS_EXPANSION && !bombReported) {
        bombReported = true;
        add(node, path, `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?)`);
      }
      return [h, n];
    }
    const n0 = node as Node;
    if (n0.anchor) anchors.set(n0.anchor, n0);
    const tag = (n0 as { tag?: string }).tag;
    if (tag && !PLAIN_TAGS.has(tag)) add(n0, path, `the tag ${printable(tag.replace(/^tag:yaml\.org,2002:/, '!!'))} is not supported: use plain mappings, lists and scalars`);
    if (isScalar(n0)) {
      const v = n0.value;
      if (typeof v === 'string') {
        const bad = invisible(v);
        if (bad) add(n0, path, `the value contains ${bad}: settings must be visible text`);
      } else if (typeof v === 'number') {
        const text = printable(String((n0 as { source?: unknown }).source ?? v), 40);
        if (!Number.isFinite(v)) add(n0, path, `${text} is not a finite number (it reads as ${v}): write a number within ±1.8e308, or quote it as text`);
        else if (/^[-+]?[0-9]+$/.test(text) && !Number.isSafeInteger(v)) {
          add(n0, path, `${text} is beyond 2^53: it would be read as ${BigInt(v)} (YAML and JSON tools round integers this large)`);
        }
      } else if (v !== null && typeof v !== 'number' && typeof v !== 'boolean') {
        if (!tag) add(n0, path, 'is not a plain string, number, boolean or null');
      }
      return [0, 1];
    }
    if (!isCollection(n0)) return [0, 1];
    if (depth > MAX_DEPTH) {
      add(n0, path, `nested more than ${MAX_DEPTH} levels deep`);
      return [MAX_DEPTH, 1];
    }
    open.add(n0);
    let height = 0;
    let size = 1;
    const keys = new Map<string, Node | null>();
    n0.items.forEach((item: unknown, i: number) => {
      let itemPath = `${path}/${i}`;
      let value = item;
      if (isPair(item)) {
        // A pair is a mapping entry, or a one-entry mapping inside a flow list (`[a: 1]`).
        const base = isMap(n0) ? path : itemPath;
        const k = item.key as unknown;
        value = item.value;
        if (isCollection(k) || isAlias(k)) {
          add(k, base, 'a key must be a plain string, not a mapping, a list or an alias');
        } else {
          const seg = jsKey(k);
          itemPath = `${base}/${escapePointer(seg)}`;
          const shown = `"${printable(seg)}"`;
          if (FORBIDDEN_KEYS.has(seg)) add(k ?? item, itemPath, `the key ${shown} is not allowed`);
          const bad = isScalar(k) && typeof k.value === 'string' ? invisible(k.value) : undefined;
          if (bad) add(k, itemPath, `the key ${shown} contains ${bad}: keys must be visible text`);
          const prev = isMap(n0) ? keys.get(seg) : undefined;
          if (prev !== undefined) {
            const [l] = nodePos(prev, lines);
            add(k ?? item.value, itemPath, `invalid YAML: Map keys must be unique (${shown} is first at line ${l})`);
          } else if (isMap(n0)) keys.set(seg, (k as Node | null) ?? null);
        }
      }
      const [h, n] = visit(value, depth + 1, itemPath);
      height = Math.max(height, h);
      size += n;
    });
    open.delete(n0);
    heights.set(n0, height + 1);
    sizes.set(n0, size);
    return [height + 1, size];
  };
  visit(doc.contents, 1, '');
  return findings;
}

/** Escape one JSON pointer segment (RFC 6901): the inverse of pointerSegments. */
export function escapePointer(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

function nodePos(node: Node | null | undefined, lines: LineCounter): [number, number] {
  const offset = node?.range?.[0];
  if (offset === undefined) return [1, 1];
  const p = lines.linePos(offset);
  return [p.line, p.col];
}

/** The pairs of a mapping by JS key (first wins), built once per mapping: lookups stay O(1) for files with many keys. */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p) || isCollection(p.key) || isAlias(p.key)) continue;
      const k = jsKey(p.key);
      if (!index.has(k)) index.set(k, p as Pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

/** Split a JSON pointer into segments (`/a/b~1c/0` -> ['a', 'b/c', '0']; `/` is the key ""). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
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
      const pair = pairsByKey(node).get(seg);
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
