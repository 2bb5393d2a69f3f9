/**
 * Every cache entry is checked before it is used, never trusted for being in the cache folder
 * (a CI cache is restored from an earlier run; a disk fills; a file is edited). An entry is one
 * header line and its content:
 *
 *   catalyst-cache v1 inputs=<digest of what it was made from> content=<digest of the content>\n<content>
 *
 * `readEntry` gives the content only when the header is there, the inputs digest is the one the
 * reader computed for this key, and the content digest matches the bytes read. Anything else is a
 * cache miss with a one-line note (`onCacheNote`), and the caller computes the value again (and
 * overwrites the entry). Code kept in a cache (ajv standalone validators, precompiled templates) is
 * evaluated only after this check.
 *
 * The digests are sha256; with `CATALYST_CACHE_SECRET` set they are HMAC-SHA256 under that secret,
 * so an entry written by anyone without it (a poisoned cache restored in CI) fails the check too.
 * Without the secret the check catches corruption, truncation, an entry copied under another key
 * and an edit that did not recompute the digest; it cannot catch a writer who recomputes it.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const MAGIC = 'catalyst-cache v1';
const HEADER = /^catalyst-cache v1 inputs=([0-9a-f]{64}) content=([0-9a-f]{64})$/;

type NoteSink = (note: string) => void;
let sink: NoteSink | undefined;

/** Where the one-line notes of failed entries go (the CLI prints them on stderr; none by default). */
export function onCacheNote(fn: NoteSink | undefined): void {
  sink = fn;
}

function note(file: string, why: string): void {
  sink?.(`cache entry ${basename(dirname(file))}/${basename(file)} ${why}: not used, computed again`);
}

/** The digest of cache bytes: sha256, or HMAC-SHA256 under CATALYST_CACHE_SECRET. */
export function cacheDigest(data: string | Buffer): string {
  const secret = process.env.CATALYST_CACHE_SECRET;
  return (secret ? createHmac('sha256', secret) : createHash('sha256')).update(data).digest('hex');
}

/** The content of a checked entry, or undefined (absent: silently; failed: with a note). */
export function readEntry(file: string, inputs: string): string | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(0x0a);
  const head = HEADER.exec(nl < 0 ? '' : buf.subarray(0, nl).toString('latin1'));
  if (!head) {
    note(file, 'has no valid header (corrupt or not written by this tool)');
    return undefined;
  }
  const body = buf.subarray(nl + 1);
  if (head[1] !== cacheDigest(inputs)) {
    note(file, 'was made from other inputs than its key says');
    return undefined;
  }
  if (head[2] !== cacheDigest(body)) {
    note(file, 'does not match its content digest (changed or truncated)');
    return undefined;
  }
  return body.toString('utf8');
}

/** A JSON entry parsed, or undefined (a parse failure is a failed entry, with its note). */
export function readJsonEntry<T>(file: string, inputs: string, isShape: (v: unknown) => boolean = () => true): T | undefined {
  const text = readEntry(file, inputs);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (isShape(value)) return value as T;
    note(file, 'does not hold the value it should');
  } catch {
    note(file, 'is not valid JSON');
  }
  return undefined;
}

/** Write an entry atomically (temp file, rename); a read-only cache only costs time. */
export function writeEntry(file: string, inputs: string, content: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${MAGIC} inputs=${cacheDigest(inputs)} content=${cacheDigest(Buffer.from(content, 'utf8'))}\n${content}`);
    renameSync(tmp, file);
  } catch {
    // read-only or full: the next run computes again
  }
}
