/**
 * github.com/gobwas/glob v0.2.3 (what Argo CD 3.3's util/glob.Match compiles), for the case
 * Argo CD's destination matching uses: no separators. Ported from its lexer
 * (syntax/lexer/lexer.go) and parser (syntax/ast/parser.go): `*` and `**` any run of
 * characters, `?` one character, `[abc]` / `[!abc]` a list, `[a-z]` / `[!a-z]` one range,
 * `{a,b}` alternatives (nestable; `,` and `}` are plain outside braces), `\c` the character c.
 * A pattern that does not compile matches nothing (util/glob.Match logs and returns false).
 */

type Node =
  | { t: 'text'; s: string }
  | { t: 'any' }
  | { t: 'single' }
  | { t: 'list'; chars: string; not: boolean }
  | { t: 'range'; lo: string; hi: string; not: boolean }
  | { t: 'anyOf'; alts: Node[][] };

class GlobSyntaxError extends Error {}

/** Parses a gobwas glob into a sequence of nodes; throws GlobSyntaxError. */
function parse(pattern: string): Node[] {
  const src = Array.from(pattern);
  let pos = 0;
  const root: Node[] = [];
  // Stack of open alternatives: the anyOf node and the sequence being filled.
  const stack: { anyOf: Extract<Node, { t: 'anyOf' }>; seq: Node[] }[] = [];
  let seq = root;
  const inTerms = (): boolean => stack.length > 0;

  const readText = (breakers: string[]): string => {
    let out = '';
    let escaped = false;
    while (pos < src.length) {
      const r = src[pos]!;
      if (!escaped) {
        if (r === '\\') {
          escaped = true;
          pos++;
          continue;
        }
        if (breakers.includes(r)) break;
      }
      escaped = false;
      out += r;
      pos++;
    }
    return out;
  };

  const readRange = (): Node => {
    let not = false;
    let lo = '';
    let hi = '';
    let chars = '';
    let seenNot = false;
    let wantHi = false;
    let wantClose = false;
    for (;;) {
      if (pos >= src.length) throw new GlobSyntaxError('unexpected end of input');
      const r = src[pos++]!;
      if (wantClose) {
        if (r !== ']') throw new GlobSyntaxError('expected close range character');
        break;
      }
      if (wantHi) {
        hi = r;
        if (hi.codePointAt(0)! < lo.codePointAt(0)!) throw new GlobSyntaxError('hi < lo');
        wantClose = true;
        continue;
      }
      if (!seenNot && r === '!') {
        not = true;
        seenNot = true;
        continue;
      }
      if (src[pos] === '-') {
        pos++;
        lo = r;
        wantHi = true;
        continue;
      }
      pos--;
      chars = readText([']']);
      wantClose = true;
    }
    const isRange = lo !== '' && hi !== '';
    const isChars = chars !== '';
    if (isRange === isChars) throw new GlobSyntaxError('could not parse range');
    return isRange ? { t: 'range', lo, hi, not } : { t: 'list', chars, not };
  };

  while (pos < src.length) {
    const r = src[pos]!;
    if (r === '{') {
      pos++;
      const anyOf: Extract<Node, { t: 'anyOf' }> = { t: 'anyOf', alts: [[]] };
      seq.push(anyOf);
      stack.push({ anyOf, seq });
      seq = anyOf.alts[0]!;
    } else if (r === ',' && inTerms()) {
      pos++;
      const top = stack[stack.length - 1]!;
      const next: Node[] = [];
      top.anyOf.alts.push(next);
      seq = next;
    } else if (r === '}' && inTerms()) {
      pos++;
      seq = stack.pop()!.seq;
    } else if (r === '[') {
      pos++;
      seq.push(readRange());
    } else if (r === '?') {
      pos++;
      seq.push({ t: 'single' });
    } else if (r === '*') {
      pos++;
      if (src[pos] === '*') pos++;
      seq.push({ t: 'any' });
    } else {
      const text = readText(inTerms() ? ['?', '*', '[', '{', '}', ','] : ['?', '*', '[', '{']);
      if (text !== '') seq.push({ t: 'text', s: text });
    }
  }
  // An unclosed `{` ends with the pattern (the parser returns the tree it has).
  return root;
}

/** Escapes for a `u`-mode regex: outside a class, and inside one. */
const esc = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escClass = (s: string): string => s.replace(/[\\\]\[^-]/g, '\\$&');

function toRegex(nodes: Node[]): string {
  return nodes
    .map((n): string => {
      switch (n.t) {
        case 'text':
          return esc(n.s);
        case 'any':
          return '[\\s\\S]*';
        case 'single':
          return '[\\s\\S]';
        case 'list':
          return `[${n.not ? '^' : ''}${escClass(n.chars)}]`;
        case 'range':
          return `[${n.not ? '^' : ''}${escClass(n.lo)}-${escClass(n.hi)}]`;
        case 'anyOf':
          return `(?:${n.alts.map(toRegex).join('|')})`;
      }
    })
    .join('');
}

const cache = new Map<string, RegExp | null>();

/** Compiles a gobwas glob (no separators); null when it does not compile. */
export function compileGobwasGlob(pattern: string): RegExp | null {
  if (cache.has(pattern)) return cache.get(pattern)!;
  let re: RegExp | null;
  try {
    re = new RegExp(`^${toRegex(parse(pattern))}$`, 'u');
  } catch (e) {
    if (!(e instanceof GlobSyntaxError)) throw e;
    re = null;
  }
  cache.set(pattern, re);
  return re;
}

/** Argo CD util/glob.Match(pattern, text) with no separators. */
export function gobwasGlobMatch(pattern: string, text: string): boolean {
  const re = compileGobwasGlob(pattern);
  return re !== null && re.test(text);
}
