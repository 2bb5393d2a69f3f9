/**
 * Values keys (helper for PLAT004): key paths in a user's Helm values that the chart neither
 * declares in its values.yaml nor reads in its templates, with the nearest real sibling key.
 * Keys under a free-form map are accepted: a map whose default is `{}` or null, one the templates
 * read whole (`toYaml .Values.x`, `.Values.x | toJson`, `range .Values.x`, `include "t" .Values.x`,
 * `$v := .Values.x`, `with .Values.x` around `toYaml .`), a subchart's section, and `global`.
 */
import { isRecord } from '../admission/index.ts';

export interface UnknownValuesKey {
  /** Dotted key path, Helm style (`resources.limits.cpu`). */
  path: string;
  /** Dotted path of the closest real key at the same level, when one is close enough. */
  nearest?: string;
}

export interface ValuesKeyOptions {
  /** Top-level keys passed to subcharts (their own values.yaml judges them). */
  subcharts?: string[];
}

/** A tree of the key paths the templates read; `whole` marks a path read as a whole map. */
interface RefNode {
  children: Map<string, RefNode>;
  whole: boolean;
}

const newNode = (): RefNode => ({ children: new Map(), whole: false });

function addRef(root: RefNode, path: string[], whole: boolean): void {
  let n = root;
  for (const k of path) {
    let c = n.children.get(k);
    if (!c) n.children.set(k, (c = newNode()));
    n = c;
  }
  if (whole) n.whole = true;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const VALUES_REF = new RegExp(`\\$?\\.Values((?:\\.${IDENT})*)`, 'g');
const INDEX_REF = new RegExp(`\\b(?:index|hasKey|get)\\s+\\(?\\s*\\$?\\.Values((?:\\.${IDENT})*)\\s*\\)?((?:\\s+"[^"]*")+)`, 'g');
/** Whole-map reads: `toYaml .Values.x`, `range .Values.x`, `include "t" .Values.x`, `$v := .Values.x`. */
const WHOLE_REF = new RegExp(`(?:\\b(?:toYaml|toJson|toPrettyJson|toRawJson|range)|\\binclude\\s+"[^"]*"|:=)\\s*\\(?\\s*\\$?\\.Values((?:\\.${IDENT})*)`, 'g');
/** `.Values.x | toYaml`. */
const PIPE_WHOLE_REF = new RegExp(`\\$?\\.Values((?:\\.${IDENT})*)\\s*\\|\\s*(?:toYaml|toJson|toPrettyJson|toRawJson)\\b`, 'g');
const WITH_REF = new RegExp(`\\bwith\\s+\\$?\\.Values((?:\\.${IDENT})*)\\s*-?}}`, 'g');

/** `.a.b` not preceded by a name, `$`, `)` or `]` (a field of the current context). */
const RELATIVE_REF = new RegExp(`(?<![\\w$)\\]])\\.(${IDENT}(?:\\.${IDENT})*)`, 'g');
const segs = (dotted: string): string[] => dotted.split('.').filter((s) => s !== '');
const quoted = (s: string): string[] => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

/** The key paths templates read, from `.Values.a.b`, `index .Values "a" "b"` and whole-map reads. */
export function templateValueRefs(templateTexts: readonly string[]): RefNode {
  const root = newNode();
  for (const text of templateTexts) {
    for (const m of text.matchAll(VALUES_REF)) addRef(root, segs(m[1]!), false);
    for (const m of text.matchAll(INDEX_REF)) addRef(root, [...segs(m[1]!), ...quoted(m[2]!)], false);
    for (const m of text.matchAll(WHOLE_REF)) addRef(root, segs(m[1]!), true);
    for (const m of text.matchAll(PIPE_WHOLE_REF)) addRef(root, segs(m[1]!), true);
    for (const m of text.matchAll(WITH_REF)) {
      // `with .Values.x` whose body (up to the next `end`) renders `toYaml .` reads x whole.
      const base = segs(m[1]!);
      const body = text.slice(m.index! + m[0].length).split(/{{-?\s*end\b/)[0] ?? '';
      addRef(root, base, /\b(?:toYaml|toJson|toPrettyJson|toRawJson)\s+\.\s*[|)}-]/.test(body) || /\brange\s+(?:\$\w+\s*,\s*\$\w+\s*:=\s*)?\.\s*[}-]/.test(body));
      // Inside the block `.` is .Values.x: `.a.b` there reads x.a.b.
      for (const action of body.matchAll(/{{(.*?)}}/gs)) for (const r of action[1]!.matchAll(RELATIVE_REF)) addRef(root, [...base, ...segs(r[1]!)], false);
    }
  }
  return root;
}

/** Levenshtein distance (insert, delete, substitute; each 1). */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** The closest candidate to `key`, if within max(2, 40% of the longer name) edits (case-insensitive first). */
export function nearestKey(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === key.toLowerCase() ? 0.5 : levenshtein(key, c);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.ceil(Math.max(key.length, best.length) * 0.4)) ? best : undefined;
}

const freeFormDefault = (v: unknown): boolean => v === null || (isRecord(v) && Object.keys(v).length === 0);

/**
 * Key paths in `values` the chart neither declares (`chartValuesYaml`) nor reads
 * (`templateTexts`). Lists are data: keys inside list items are not checked.
 */
export function unknownValuesKeys(values: object, chartValuesYaml: object, templateTexts: string[], opts: ValuesKeyOptions = {}): UnknownValuesKey[] {
  const refs = templateValueRefs(templateTexts);
  if (refs.whole) return [];
  const skipTop = new Set(['global', ...(opts.subcharts ?? [])]);
  const out: UnknownValuesKey[] = [];
  const walk = (user: Record<string, unknown>, declared: unknown, ref: RefNode | undefined, path: string[]): void => {
    const declaredMap = isRecord(declared) ? declared : undefined;
    for (const [k, v] of Object.entries(user)) {
      const here = [...path, k];
      if (path.length === 0 && skipTop.has(k)) continue;
      const declaredHas = declaredMap !== undefined && Object.hasOwn(declaredMap, k);
      const childRef = ref?.children.get(k);
      if (!declaredHas && !childRef) {
        const siblings = new Set([...Object.keys(declaredMap ?? {}), ...(ref?.children.keys() ?? [])]);
        const near = nearestKey(k, siblings);
        out.push(near === undefined ? { path: here.join('.') } : { path: here.join('.'), nearest: [...path, near].join('.') });
        continue;
      }
      const childDeclared = declaredHas ? declaredMap![k] : undefined;
      if (!isRecord(v)) continue;
      if ((declaredHas && freeFormDefault(childDeclared)) || childRef?.whole) continue;
      // Declared as a scalar or list but given a map: nothing below it is declared; only refs count.
      walk(v, childDeclared, childRef, here);
    }
  };
  walk(values as Record<string, unknown>, chartValuesYaml, refs, []);
  return out;
}
