// A small Mach-O reader for the packaging checks: nothing on a Linux build machine can run a macOS binary,
// so the darwin artefacts are verified structurally instead (the SEA segment is there, the code signature
// exists, and the page hashes of its code directory recompute over the file as macOS would check them).
import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
/** Code directory flag set by ad-hoc signers (`codesign -s -`, `rcodesign sign` without a certificate). */
export const CS_ADHOC = 0x2;

/** One section of a Mach-O segment. */
export interface MachSection {
  name: string;
  offset: number;
  size: number;
}

/** One LC_SEGMENT_64 load command. */
export interface MachSegment {
  name: string;
  fileOffset: number;
  fileSize: number;
  sections: MachSection[];
}

/** What the checks need from a thin 64-bit Mach-O executable. */
export interface MachO {
  cpuType: number;
  segments: MachSegment[];
  /** The LC_CODE_SIGNATURE range in the file, when the binary has one. */
  codeSignature?: { offset: number; size: number };
}

/** A code directory of the embedded signature, with the page hashes it records. */
export interface CodeDirectory {
  slot: number;
  version: number;
  flags: number;
  identifier: string;
  /** 1 = SHA-1, 2 = SHA-256 (Apple's CS_HASHTYPE_* numbering). */
  hashType: number;
  pageSize: number;
  codeLimit: number;
  pageHashes: Buffer[];
  /** Hashes of the other signature blobs, by slot number (2 = requirements, 5 = entitlements, ...). */
  specialSlots: Map<number, Buffer>;
}

/** Thrown for input that is not the Mach-O shape these checks understand. */
export class MachOError extends Error {}

function cString(buf: Buffer, start: number, max: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('latin1', start, end < 0 || end > start + max ? start + max : end);
}

function readSegment(buf: Buffer, at: number): MachSegment {
  const nsects = buf.readUInt32LE(at + 64);
  const sections: MachSection[] = [];
  for (let i = 0; i < nsects; i++) {
    const s = at + 72 + i * 80;
    sections.push({
      name: cString(buf, s, 16),
      size: Number(buf.readBigUInt64LE(s + 40)),
      offset: buf.readUInt32LE(s + 48),
    });
  }
  return {
    name: cString(buf, at + 8, 16),
    fileOffset: Number(buf.readBigUInt64LE(at + 40)),
    fileSize: Number(buf.readBigUInt64LE(at + 48)),
    sections,
  };
}

/** Parses the header and load commands of a thin little-endian 64-bit Mach-O file. */
export function parseMachO(buf: Buffer): MachO {
  if (buf.length < 32 || buf.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new MachOError('not a thin 64-bit little-endian Mach-O file (bad magic)');
  }
  const ncmds = buf.readUInt32LE(16);
  const result: MachO = { cpuType: buf.readUInt32LE(4), segments: [] };
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const size = at + 8 <= buf.length ? buf.readUInt32LE(at + 4) : 0;
    if (at + size > buf.length || size < 8) {
      throw new MachOError(`load command ${i} runs past the end of the file or has size ${size}`);
    }
    const cmd = buf.readUInt32LE(at);
    if (cmd === LC_SEGMENT_64) result.segments.push(readSegment(buf, at));
    if (cmd === LC_CODE_SIGNATURE) {
      result.codeSignature = { offset: buf.readUInt32LE(at + 8), size: buf.readUInt32LE(at + 12) };
    }
    at += size;
  }
  return result;
}

function readCodeDirectory(buf: Buffer, at: number, slot: number): CodeDirectory {
  if (buf.readUInt32BE(at) !== CSMAGIC_CODEDIRECTORY) {
    throw new MachOError(`signature slot ${slot} is not a code directory`);
  }
  const hashOffset = buf.readUInt32BE(at + 16);
  const nCodeSlots = buf.readUInt32BE(at + 28);
  const hashSize = buf.readUInt8(at + 36);
  const pageHashes: Buffer[] = [];
  for (let i = 0; i < nCodeSlots; i++) {
    const h = at + hashOffset + i * hashSize;
    pageHashes.push(buf.subarray(h, h + hashSize));
  }
  const specialSlots = new Map<number, Buffer>();
  for (let slot = 1; slot <= buf.readUInt32BE(at + 24); slot++) {
    const h = at + hashOffset - slot * hashSize;
    specialSlots.set(slot, buf.subarray(h, h + hashSize));
  }
  const version = buf.readUInt32BE(at + 8);
  const codeLimit32 = buf.readUInt32BE(at + 32);
  // Version 0x20300 added a 64-bit limit for files over 4 GiB; 0 there means "use the 32-bit one".
  const codeLimit64 = version >= 0x20300 ? Number(buf.readBigUInt64BE(at + 56)) : 0;
  return {
    slot,
    version,
    flags: buf.readUInt32BE(at + 12),
    identifier: cString(buf, at + buf.readUInt32BE(at + 20), 256),
    hashType: buf.readUInt8(at + 37),
    pageSize: 2 ** buf.readUInt8(at + 39),
    codeLimit: codeLimit64 || codeLimit32,
    pageHashes,
    specialSlots,
  };
}

/** The blobs of the embedded signature at `sig`, by slot (each blob's length is in its own header). */
export function signatureBlobs(buf: Buffer, sig: { offset: number; size: number }): Map<number, Buffer> {
  if (sig.offset + sig.size > buf.length)
    throw new MachOError('the code signature runs past the end of the file');
  if (buf.readUInt32BE(sig.offset) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    throw new MachOError('LC_CODE_SIGNATURE does not point at an embedded signature super blob');
  }
  const blobs = new Map<number, Buffer>();
  for (let i = 0; i < buf.readUInt32BE(sig.offset + 8); i++) {
    const entry = sig.offset + 12 + i * 8;
    const at = sig.offset + buf.readUInt32BE(entry + 4);
    blobs.set(buf.readUInt32BE(entry), buf.subarray(at, at + buf.readUInt32BE(at + 4)));
  }
  return blobs;
}

const isDirectorySlot = (slot: number): boolean =>
  slot === CSSLOT_CODEDIRECTORY ||
  (slot >= CSSLOT_ALTERNATE_CODEDIRECTORIES && slot < CSSLOT_ALTERNATE_CODEDIRECTORIES + 5);

/** The code directories (primary and alternates) of the embedded signature at `sig`. */
export function codeDirectories(buf: Buffer, sig: { offset: number; size: number }): CodeDirectory[] {
  const dirs = [...signatureBlobs(buf, sig)].filter(([slot]) => isDirectorySlot(slot));
  if (dirs.length === 0) throw new MachOError('the embedded signature has no code directory');
  return dirs.map(([slot, blob]) => readCodeDirectory(blob, 0, slot));
}

const hashNames: Record<number, string> = { 1: 'sha1', 2: 'sha256' };

/** Recomputes every page hash of `dir` over `buf`; returns the indexes of pages that do not match. */
export function mismatchedPages(buf: Buffer, dir: CodeDirectory): number[] {
  const algorithm = hashNames[dir.hashType];
  if (algorithm === undefined) throw new MachOError(`unsupported code directory hash type ${dir.hashType}`);
  const bad: number[] = [];
  dir.pageHashes.forEach((want, i) => {
    const start = i * dir.pageSize;
    const page = buf.subarray(start, Math.min(start + dir.pageSize, dir.codeLimit));
    const got = createHash(algorithm).update(page).digest().subarray(0, want.length);
    if (!got.equals(want)) bad.push(i);
  });
  return bad;
}

/** Special slots of `dir` whose hash differs from the signature blob in that slot . */
function specialSlotProblems(dir: CodeDirectory, blobs: Map<number, Buffer>): string[] {
  const algorithm = hashNames[dir.hashType] ?? 'sha256';
  const problems: string[] = [];
  for (const [slot, want] of dir.specialSlots) {
    const blob = blobs.get(slot);
    if (!blob) continue;
    const got = createHash(algorithm).update(blob).digest().subarray(0, want.length);
    // Slots 1 (Info.plist) and 3 (resources) hash files outside the binary; only embedded blobs can be checked.
    if (!got.equals(want)) {
      problems.push(`code directory ${dir.slot}: special slot ${slot} hash differs from its blob`);
    }
  }
  return problems;
}

/** Every problem that would stop macOS from running the signed SEA binary, as sentences; [] when none. */
export function signedSeaProblems(buf: Buffer, seaSegment = 'NODE_SEA'): string[] {
  const macho = parseMachO(buf);
  const problems: string[] = [];
  const sea = macho.segments.find((s) => s.name === seaSegment);
  if (!sea || sea.sections.length === 0) problems.push(`no ${seaSegment} segment with a section`);
  const sig = macho.codeSignature;
  if (!sig) return [...problems, 'no LC_CODE_SIGNATURE load command'];
  const linkedit = macho.segments.find((s) => s.name === '__LINKEDIT');
  if (
    !linkedit ||
    sig.offset < linkedit.fileOffset ||
    sig.offset + sig.size > linkedit.fileOffset + linkedit.fileSize
  ) {
    problems.push('the code signature is not inside the __LINKEDIT segment');
  }
  const blobs = signatureBlobs(buf, sig);
  for (const dir of codeDirectories(buf, sig)) {
    if (dir.codeLimit !== sig.offset) {
      problems.push(
        `code directory ${dir.slot} covers ${dir.codeLimit} bytes, the signature starts at ${sig.offset}`,
      );
    }
    const pages = Math.ceil(dir.codeLimit / dir.pageSize);
    if (dir.pageHashes.length !== pages) {
      problems.push(`code directory ${dir.slot} has ${dir.pageHashes.length} page hashes for ${pages} pages`);
    }
    const bad = mismatchedPages(buf, dir);
    if (bad.length > 0)
      problems.push(`code directory ${dir.slot}: ${bad.length} page hashes differ (first page ${bad[0]})`);
    problems.push(...specialSlotProblems(dir, blobs));
  }
  return problems;
}
