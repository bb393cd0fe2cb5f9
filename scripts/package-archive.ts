// Release archives, written and read in memory: tar.gz for linux/darwin, zip for windows. Written by hand
// (not by the system tar/zip) so that the bytes are reproducible on any build machine: fixed mtime, owner 0,
// no extended headers, regular files only (krew refuses symlinks and other entry types).
import { crc32, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';

/** One file of an archive. */
export interface ArchiveEntry {
  name: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
  data: Buffer;
}

/** An entry as read back, with its type: '0' regular file, '5' directory, anything else is refused by krew. */
export interface ReadEntry extends ArchiveEntry {
  type: string;
}

/** 1980-01-01T00:00:00Z: the earliest time a zip can hold, used for tar too so both archives agree. */
export const FIXED_MTIME_SEC = 315532800;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(entry: ArchiveEntry): Buffer {
  if (Buffer.byteLength(entry.name) > 100) throw new Error(`tar entry name too long: ${entry.name}`);
  const h = Buffer.alloc(512);
  h.write(entry.name, 0, 'utf8');
  h.write(octal(entry.mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(entry.data.length, 12), 124);
  h.write(octal(FIXED_MTIME_SEC, 12), 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0' + '00', 257, 'latin1');
  h.write('root', 265);
  h.write('root', 297);
  const sum = h.reduce((n, b) => n + b, 0);
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** A gzip-compressed ustar archive of `entries`, byte-for-byte reproducible. */
export function tarGz(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarHeader(entry), entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  // Node's gzip header carries mtime 0 and no file name, so equal input gives equal output. Level 9 took
  // 2.5× as long as 6 for 0.3% smaller archives (measured on the darwin-arm64 binary).
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

function paxPath(block: Buffer): string | undefined {
  for (const record of block.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

/** Reads a ustar (or pax) archive, compressed with gzip or not. */
export function readTar(archive: Buffer): ReadEntry[] {
  const tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const entries: ReadEntry[] = [];
  let at = 0;
  let nextName: string | undefined;
  while (at + 512 <= tar.length && tar[at] !== 0) {
    const header = tar.subarray(at, at + 512);
    const text = (start: number, len: number) =>
      header.toString('utf8', start, start + len).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const prefix = text(345, 155);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      nextName = paxPath(data);
      continue;
    }
    if (type === 'g') continue;
    const name = nextName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    nextName = undefined;
    entries.push({ name, type, mode: parseInt(text(100, 8).trim() || '0', 8), data: Buffer.from(data) });
  }
  return entries;
}

// MS-DOS date and time of FIXED_MTIME_SEC: 1980-01-01 00:00:00.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

function zipLocalHeader(name: Buffer, crc: number, compressed: number, size: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(8, 8); // deflate
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(compressed, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function zipCentralHeader(local: Buffer, name: Buffer, mode: number, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes carry the mode
  local.copy(h, 6, 4, 30); // version needed … name length are the same as in the local header
  h.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

/** A zip (deflate) archive of `entries`, byte-for-byte reproducible. */
export function zip(entries: readonly ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = deflateRawSync(entry.data, { level: 6 });
    const local = zipLocalHeader(name, crc32(entry.data), body.length, entry.data.length);
    centrals.push(zipCentralHeader(local, name, entry.mode, offset));
    locals.push(local, body);
    offset += local.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Reads a zip archive written with stored or deflated entries (no zip64). */
export function readZip(archive: Buffer): ReadEntry[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLen = archive.readUInt16LE(at + 28);
    const skip = nameLen + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const attrs = archive.readUInt32LE(at + 38) >>> 16;
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    const kind = attrs & 0o170000;
    const type = kind === 0o040000 || name.endsWith('/') ? '5' : kind === 0o120000 ? '2' : '0';
    entries.push({ name, type, mode: attrs & 0o7777, data });
    at += 46 + skip;
  }
  return entries;
}

/** Reads either archive kind, sniffing the content like krew does (zip magic, else gzip'd tar). */
export function readArchive(archive: Buffer): ReadEntry[] {
  return archive.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
    ? readZip(archive)
    : readTar(archive);
}
