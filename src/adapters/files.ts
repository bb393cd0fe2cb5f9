// The real Files port: reads outside files with a size bound and turns every way a read can fail into a
// CpaError that names the file, so a directory, an unreadable file or a huge one is a clear message and
// never an "internal error" (hostile testing: `-f DIR`, `-f /proc/self/mem`, a mode-000 file, 50 MB YAML).
import { open, readdir, stat } from 'node:fs/promises';
import { CpaError } from '../errors.ts';
import { listTree } from './file-tree.ts';
import type { Files } from '../ports.ts';

/** Default bound of one read: 1 MiB, the size limit of a ConfigMap (where an in-cluster config lives). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Words for the errno codes a read can end with; anything else keeps the system's own message. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a parent of the path is not a directory',
  EINVAL: 'not a readable file',
};

/** Human size: `1 MiB`, `50.0 MiB`, `300 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  const mib = bytes / 1024 / 1024;
  return `${mib.toFixed(Number.isInteger(mib) ? 0 : 1)} MiB`;
}

/**
 * The typed error of a failed read: `failed to read FILE: REASON`. The system error is not chained as the
 * cause: its text (`EISDIR: illegal operation on a directory, read`) only repeats the reason less clearly.
 */
export function readError(path: string, err: { code?: string; message?: string }): CpaError {
  const code = err.code;
  const reason = code !== undefined && ERRNO_WORDS[code] !== undefined ? ERRNO_WORDS[code] : err.message;
  return new CpaError(`failed to read ${path}: ${reason ?? 'unknown error'}`);
}

/**
 * Reads at most `maxBytes` of text. Resolves null when the path does not exist; a directory, an unreadable
 * or special file, or one larger than the bound rejects with a CpaError naming the path.
 */
export async function readBoundedText(path: string, maxBytes = MAX_FILE_BYTES): Promise<string | null> {
  return (await readBoundedBytes(path, maxBytes))?.toString('utf8') ?? null;
}

/** As readBoundedText, the bytes as they are (a deployed autoscaler's files may be binary). */
export async function readBoundedBytes(path: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw readError(path, err as NodeJS.ErrnoException);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw readError(path, { code: 'EISDIR' });
    if (stat.size > maxBytes) throw tooLarge(path, stat.size, maxBytes);
    // A pipe or /proc file reports size 0: read in chunks, one byte past the bound to detect an overflow.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, undefined, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof CpaError) throw err;
    throw readError(path, err as NodeJS.ErrnoException);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(path: string, size: number | undefined, maxBytes: number): CpaError {
  const actual = size === undefined ? `more than ${sizeText(maxBytes)}` : sizeText(size);
  const message = `failed to read ${path}: the file is ${actual}, the limit is ${sizeText(maxBytes)}`;
  // Only the default bound is the ConfigMap's; callers with their own bound have their own reason.
  if (maxBytes !== MAX_FILE_BYTES) return new CpaError(message);
  return new CpaError(message, {
    hint: `${sizeText(maxBytes)} is the size limit of a ConfigMap, where a deployed autoscaler's files live`,
  });
}

/** True when a regular file exists at `path` (a directory or a missing path is false). */
export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() === true;
}

/** Sorted names of the directories in `path` (symbolic links followed); null when it is not a directory. */
export async function listDirs(path: string): Promise<string[] | null> {
  const entries = await readdir(path, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw readError(path, err);
  });
  if (entries === null) return null;
  const names: string[] = [];
  for (const entry of entries) {
    const dir =
      entry.isDirectory() ||
      (entry.isSymbolicLink() && (await stat(`${path}/${entry.name}`).catch(() => null))?.isDirectory());
    if (dir === true) names.push(entry.name);
  }
  return names.sort();
}

/** The real Files port. */
export const realFiles: Files = {
  readText: (path, maxBytes) => readBoundedText(path, maxBytes),
  exists: isFile,
  listDirs,
  listTree,
  readBytes: async (path, maxBytes) => {
    const bytes = await readBoundedBytes(path, maxBytes);
    if (bytes === null) throw readError(path, { code: 'ENOENT', message: 'no such file' });
    return bytes;
  },
};
