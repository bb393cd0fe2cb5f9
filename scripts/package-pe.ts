// Windows PE touch-ups around the SEA injection. The official node.exe carries an Authenticode signature;
// injecting a resource invalidates it, and postject leaves the certificate table pointing into the middle
// of the new file. So the signature is removed before injection (an unsigned binary is honest; a corrupt
// signature looks like tampering to scanners) and the optional-header checksum is recomputed after.

/** Thrown for input that is not a PE32+ image. */
export class PeError extends Error {}

function optionalHeader(buf: Buffer): { at: number; dataDirectories: number } {
  if (buf.length < 0x40 || buf.toString('latin1', 0, 2) !== 'MZ')
    throw new PeError('not a PE file (no MZ header)');
  const pe = buf.readUInt32LE(0x3c);
  if (buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new PeError('not a PE file (no PE signature)');
  const at = pe + 24;
  if (buf.readUInt16LE(at) !== 0x20b) throw new PeError('not a PE32+ (64-bit) image');
  return { at, dataDirectories: at + 112 };
}

/** The certificate table (IMAGE_DIRECTORY_ENTRY_SECURITY): file offset and size; size 0 when unsigned. */
export function certificateTable(buf: Buffer): { offset: number; size: number } {
  const { dataDirectories } = optionalHeader(buf);
  return {
    offset: buf.readUInt32LE(dataDirectories + 4 * 8),
    size: buf.readUInt32LE(dataDirectories + 4 * 8 + 4),
  };
}

/** A copy of `buf` without its Authenticode signature (the table is the file's tail, so it is cut off). */
export function withoutSignature(buf: Buffer): Buffer {
  const { offset, size } = certificateTable(buf);
  if (size === 0) return buf;
  if (offset + size !== buf.length) throw new PeError('the certificate table is not at the end of the file');
  const out = Buffer.from(buf.subarray(0, offset));
  const { dataDirectories } = optionalHeader(out);
  out.writeUInt32LE(0, dataDirectories + 4 * 8);
  out.writeUInt32LE(0, dataDirectories + 4 * 8 + 4);
  return out;
}

/** The PE optional-header checksum of `buf` (the checksum field itself counts as zero). */
export function peChecksum(buf: Buffer): number {
  const field = optionalHeader(buf).at + 64;
  let sum = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) {
    if (i === field || i === field + 2) continue;
    sum += buf.readUInt16LE(i);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (buf.length % 2 === 1) {
    sum += buf[buf.length - 1]!;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ((sum & 0xffff) + buf.length) >>> 0;
}

/** Writes the recomputed checksum into `buf` in place. */
export function fixChecksum(buf: Buffer): void {
  buf.writeUInt32LE(peChecksum(buf), optionalHeader(buf).at + 64);
}
