/**
 * Reading the user's tree without trusting it: never follow a symbolic link (lstat), read only
 * regular files, never more than a size cap, and refuse bytes that are not UTF-8 text with the
 * line and column where they start.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { constants } from 'node:fs';
import { relative, sep } from 'node:path';
import { FsError } from './errors.ts';
import { ok, type Parsed } from '../findings.ts';

/** What a path is when it is not a regular file or folder (for messages). */
export function irregularKind(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory()) return undefined;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The text, or why not: `reason` at a 1-based line and column (0 when not about one place), `missing` when there is no such file. */
export type ReadResult = Parsed<string, { reason: string; line: number; col: number; missing?: boolean }>;

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Read a regular file as UTF-8 text: no link followed (O_NOFOLLOW and lstat), at most
 * `maxBytes` read (a file growing while read stops there too), invalid UTF-8 refused.
 */
export function readTextBounded(abs: string, maxBytes: number): ReadResult {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, line: 0, col: 0, reason: code === 'ENOENT' ? 'file not found' : `cannot read: ${code ?? 'error'}`, missing: code === 'ENOENT' };
  }
  if (st.isDirectory()) return { ok: false, line: 0, col: 0, reason: 'is a directory, not a YAML file' };
  const kind = irregularKind(st);
  if (kind) return { ok: false, line: 0, col: 0, reason: `is ${kind}: only regular files are read (links are never followed)` };
  if (st.size > maxBytes) return { ok: false, line: 1, col: 1, reason: `file is ${st.size} bytes, more than the limit of ${maxBytes}` };
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, line: 0, col: 0, reason: `cannot open: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  try {
    if (!fstatSync(fd).isFile()) return { ok: false, line: 0, col: 0, reason: 'is not a regular file' };
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.size + 1, 1)));
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n >= buf.length) break;
    }
    if (n > maxBytes) return { ok: false, line: 1, col: 1, reason: `file is more than the limit of ${maxBytes} bytes` };
    return decodeText(buf.subarray(0, n));
  } catch (err) {
    return { ok: false, line: 0, col: 0, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 bytes to text; invalid UTF-8 is refused at its line and column (NUL is the parser's to report, with its key). */
export function decodeText(bytes: Uint8Array): ReadResult {
  let text: string;
  try {
    text = textDecoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const [line, col] = lineCol(bytes, bad);
    const hex = Array.from(bytes.subarray(bad, bad + 4)).map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return { ok: false, line, col, reason: `the file is not valid UTF-8: byte 0x${hex.split(' ')[0]} at byte offset ${bad} (bytes ${hex}); save it as UTF-8` };
  }
  return ok(text);
}

/** Line and column (1-based, columns in characters) of a byte offset. */
function lineCol(bytes: Uint8Array, offset: number): [number, number] {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      start = i + 1;
    }
  }
  let col = 1;
  for (let i = start; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) col += 1;
  return [line, col];
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) (n = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (n = 3), (min = 0x10000);
    else return i;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (n > 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return b.length;
}

/** Largest template, partial, dashboard or base file read from the repository. */
export const MAX_REPO_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A file of the repository's own tree (overlays/, base/): read like the user's files (no link
 * followed, capped, UTF-8), a failure thrown as an FsError naming the path (exit 1).
 */
export function readRepoText(abs: string, root: string, maxBytes = MAX_REPO_FILE_BYTES): string {
  const r = readTextBounded(abs, maxBytes);
  if (r.ok) return r.value;
  const shown = relative(root, abs).split(sep).join('/');
  throw new FsError('read', r.line ? `${shown}:${r.line}:${r.col}` : shown, r.missing ? 'ENOENT' : 'EINVAL', 1, r.reason);
}
