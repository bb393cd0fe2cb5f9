// Image layers and the OCI image layout, written by hand so that two builds give the same bytes and so the
// same digests: entries sorted by path, one fixed mtime, numeric owners without names, no extended headers,
// gzip without a timestamp. Directories, regular files and symbolic links are all an image root needs.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { FIXED_MTIME_SEC } from './package-archive.ts';

/** One entry of a layer; paths are relative to the root (`lib/x86_64-linux-gnu/libc.so.6`, no leading `/`). */
export type LayerEntry =
  | { type: 'dir'; path: string; mode: number; uid?: number; gid?: number }
  | { type: 'file'; path: string; mode: number; data: Buffer; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** ustar splits a long path into prefix (≤155 bytes) and name (≤100 bytes) at a `/`. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  const cut = path.lastIndexOf('/', 155);
  if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`tar path too long: ${path}`);
  return { prefix: path.slice(0, cut), name: path.slice(cut + 1) };
}

function header(entry: LayerEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const { prefix, name } = splitPath(entry.type === 'dir' ? `${entry.path}/` : entry.path);
  h.write(name, 0, 'utf8');
  h.write(octal(entry.type === 'symlink' ? 0o777 : entry.mode, 8), 100);
  h.write(octal(entry.type === 'symlink' ? 0 : (entry.uid ?? 0), 8), 108);
  h.write(octal(entry.type === 'symlink' ? 0 : (entry.gid ?? 0), 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(FIXED_MTIME_SEC, 12), 136);
  h.write('        ', 148);
  h.write(entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0', 156);
  if (entry.type === 'symlink') h.write(entry.target, 157, 'utf8');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.write(prefix, 345, 'utf8');
  const sum = h.reduce((n, b) => n + b, 0);
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** The uncompressed tar of `entries`, sorted by path; parents must be listed as entries of their own. */
export function layerTar(entries: readonly LayerEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  for (const entry of sorted) {
    const data = entry.type === 'file' ? entry.data : Buffer.alloc(0);
    parts.push(header(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** sha256 of `data` as an OCI digest. */
export function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A content-addressed blob and its descriptor. */
export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
}

export function blob(data: Buffer): Blob {
  return { digest: digestOf(data), size: data.length, data };
}

/** A compressed layer: the blob (gzip) and the diff id (digest of the tar) the config lists. */
export function gzipLayer(tar: Buffer): { blob: Blob; diffId: string } {
  // Node's gzip header has mtime 0 and no name: equal tar, equal bytes.
  return { blob: blob(gzipSync(tar, { level: 6 })), diffId: digestOf(tar) };
}

/** JSON with sorted keys, so a manifest's bytes (and digest) do not depend on how it was built. */
export function canonicalJson(value: unknown): Buffer {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return Buffer.from(JSON.stringify(sort(value)));
}
