// A hand-made Mach-O file for the parser tests: header, __TEXT, an optional NODE_SEA segment, __LINKEDIT and
// an optional ad-hoc signature (code directory v0x20400 with SHA-256 page hashes plus an empty requirement
// set), laid out the way ld64 and rcodesign lay them out, but 4 pages small.
import { createHash } from 'node:crypto';

/** What to put into the fake binary. */
export interface FakeMachOOptions {
  seaSegment?: boolean;
  signed?: boolean;
  /** Pages covered by the code (before the signature). */
  pages?: number;
}

const PAGE = 4096;
const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

function segment(name: string, fileOffset: number, fileSize: number, section?: string): Buffer {
  const b = Buffer.alloc(72 + (section ? 80 : 0));
  b.writeUInt32LE(0x19, 0);
  b.writeUInt32LE(b.length, 4);
  b.write(name, 8, 'latin1');
  b.writeBigUInt64LE(BigInt(fileOffset), 40);
  b.writeBigUInt64LE(BigInt(fileSize), 48);
  if (section) {
    b.writeUInt32LE(1, 64);
    b.write(section, 72, 'latin1');
    b.write(name, 88, 'latin1');
    b.writeBigUInt64LE(BigInt(fileSize), 72 + 40);
    b.writeUInt32LE(fileOffset, 72 + 48);
  }
  return b;
}

function codeDirectory(code: Buffer, requirements: Buffer): Buffer {
  const identifier = Buffer.from('fake\0', 'latin1');
  const header = 88;
  const nSpecial = 2;
  const pages = Math.ceil(code.length / PAGE);
  const hashOffset = header + identifier.length + nSpecial * 32;
  const cd = Buffer.alloc(hashOffset + pages * 32);
  cd.writeUInt32BE(0xfade0c02, 0);
  cd.writeUInt32BE(cd.length, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(0x2, 12); // ad hoc
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(header, 20);
  cd.writeUInt32BE(nSpecial, 24);
  cd.writeUInt32BE(pages, 28);
  cd.writeUInt32BE(code.length, 32);
  cd.writeUInt8(32, 36);
  cd.writeUInt8(2, 37);
  cd.writeUInt8(12, 39);
  identifier.copy(cd, header);
  sha256(requirements).copy(cd, hashOffset - 2 * 32); // special slot 2; slot 1 (Info.plist) stays zero
  for (let i = 0; i < pages; i++)
    sha256(code.subarray(i * PAGE, (i + 1) * PAGE)).copy(cd, hashOffset + i * 32);
  return cd;
}

function superBlob(blobs: [number, Buffer][]): Buffer {
  const head = Buffer.alloc(12 + blobs.length * 8);
  head.writeUInt32BE(0xfade0cc0, 0);
  head.writeUInt32BE(blobs.length, 8);
  let offset = head.length;
  blobs.forEach(([slot, blob], i) => {
    head.writeUInt32BE(slot, 12 + i * 8);
    head.writeUInt32BE(offset, 16 + i * 8);
    offset += blob.length;
  });
  head.writeUInt32BE(offset, 4);
  return Buffer.concat([head, ...blobs.map(([, b]) => b)]);
}

/** Builds the fake executable; the code is `pages` pages, the NODE_SEA blob lives in page 1. */
export function fakeMachO(options: FakeMachOOptions = {}): Buffer {
  const { seaSegment = true, signed = true, pages = 4 } = options;
  const code = Buffer.alloc(pages * PAGE);
  for (let i = PAGE; i < code.length; i++) code[i] = (i * 31) & 0xff;
  const requirements = Buffer.from([0xfa, 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0]);
  const cmds = [
    segment('__TEXT', 0, PAGE),
    ...(seaSegment ? [segment('NODE_SEA', PAGE, 100, '__NODE_SEA_BLOB')] : []),
    segment('__LINKEDIT', code.length, 0),
  ];
  const sigCmd = Buffer.alloc(16);
  sigCmd.writeUInt32LE(0x1d, 0);
  sigCmd.writeUInt32LE(16, 4);
  if (signed) cmds.push(sigCmd);
  const header = Buffer.alloc(32);
  header.writeUInt32LE(0xfeedfacf, 0);
  header.writeUInt32LE(0x0100000c, 4);
  header.writeUInt32LE(2, 12);
  header.writeUInt32LE(cmds.length, 16);
  header.writeUInt32LE(
    cmds.reduce((n, c) => n + c.length, 0),
    20,
  );
  Buffer.concat([header, ...cmds]).copy(code, 0);
  if (!signed) return code;
  // The load commands are part of the hashed code, so their final values must be in place before hashing;
  // the code directory's length does not depend on the hashes in it.
  const sizeOf = (list: Buffer[]): number => 32 + list.reduce((n, c) => n + c.length, 0);
  const sigSize = 12 + 2 * 8 + codeDirectory(code, requirements).length + requirements.length;
  code.writeBigUInt64LE(BigInt(sigSize), sizeOf(cmds.slice(0, -2)) + 48);
  code.writeUInt32LE(code.length, sizeOf(cmds.slice(0, -1)) + 8);
  code.writeUInt32LE(sigSize, sizeOf(cmds.slice(0, -1)) + 12);
  const blob = superBlob([
    [0, codeDirectory(code, requirements)],
    [2, requirements],
  ]);
  return Buffer.concat([code, blob]);
}
