/**
 * Go's `path/filepath.Match` on Linux (separator '/'), which Argo CD's isResourceInList and
 * isNamedResourceInList use for AppProject group/kind/name entries. Ported from its algorithm:
 * `*` any run of non-'/' characters, `?` one non-'/' character, `[...]` a class (`^` negates,
 * `a-z` ranges, `\` escapes), `\c` the character c. A malformed pattern is an error, which Argo
 * CD treats as "no match". Works on code points (Go works on UTF-8 bytes and runes; the same for
 * valid text).
 */

const SEP = '/';

export class BadPattern extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

interface Scanned {
  star: boolean;
  chunk: string[];
  rest: string[];
}

function scanChunk(p: string[]): Scanned {
  let i = 0;
  let star = false;
  while (i < p.length && p[i] === '*') {
    i++;
    star = true;
  }
  const pattern = p.slice(i);
  let inrange = false;
  let j = 0;
  scan: for (; j < pattern.length; j++) {
    switch (pattern[j]) {
      case '\\':
        if (j + 1 < pattern.length) j++;
        break;
      case '[':
        inrange = true;
        break;
      case ']':
        inrange = false;
        break;
      case '*':
        if (!inrange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.slice(0, j), rest: pattern.slice(j) };
}

function getEsc(chunk: string[]): { r: string; rest: string[] } {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') throw new BadPattern();
  let c = chunk;
  if (c[0] === '\\') {
    c = c.slice(1);
    if (c.length === 0) throw new BadPattern();
  }
  const rest = c.slice(1);
  if (rest.length === 0) throw new BadPattern();
  return { r: c[0]!, rest };
}

/** Matches one chunk at the start of s; the rest of s on success, undefined on failure. */
function matchChunk(chunkIn: string[], sIn: string[]): string[] | undefined {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0]!;
    if (c === '[') {
      let r = '';
      if (!failed) {
        r = s[0]!;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && nrange > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        chunk = lo.rest;
        let hi = lo.r;
        if (chunk[0] === '-') {
          const h = getEsc(chunk.slice(1));
          hi = h.r;
          chunk = h.rest;
        }
        const rc = r === '' ? -1 : r.codePointAt(0)!;
        if (lo.r.codePointAt(0)! <= rc && rc <= hi.codePointAt(0)!) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
      continue;
    }
    if (c === '?') {
      if (!failed) {
        if (s[0] === SEP) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      continue;
    }
    if (c === '\\') {
      chunk = chunk.slice(1);
      if (chunk.length === 0) throw new BadPattern();
    }
    if (!failed) {
      if (chunk[0] !== s[0]) failed = true;
      s = s.slice(1);
    }
    chunk = chunk.slice(1);
  }
  return failed ? undefined : s;
}

/** Go's filepath.Match: throws BadPattern where Go returns ErrBadPattern. */
export function goFilepathMatchOrThrow(pattern: string, name: string): boolean {
  let p = Array.from(pattern);
  let n = Array.from(name);
  outer: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) return !n.includes(SEP);
    const t = matchChunk(chunk, n);
    if (t !== undefined && (t.length === 0 || p.length > 0)) {
      n = t;
      continue;
    }
    if (star) {
      for (let i = 0; i < n.length && n[i] !== SEP; i++) {
        const t2 = matchChunk(chunk, n.slice(i + 1));
        if (t2 !== undefined) {
          if (p.length === 0 && t2.length > 0) continue;
          n = t2;
          continue outer;
        }
      }
    }
    // Before returning false, check the rest of the pattern is well formed.
    while (p.length > 0) {
      const s2 = scanChunk(p);
      p = s2.rest;
      matchChunk(s2.chunk, []);
    }
    return false;
  }
  return n.length === 0;
}

/** `ok && err == nil` of Go's filepath.Match, as Argo CD reads it. */
export function goFilepathMatch(pattern: string, name: string): boolean {
  try {
    return goFilepathMatchOrThrow(pattern, name);
  } catch (e) {
    if (e instanceof BadPattern) return false;
    throw e;
  }
}
