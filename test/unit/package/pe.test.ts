// The Windows touch-ups: removing the Authenticode table before injection and recomputing the checksum.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PeError,
  certificateTable,
  fixChecksum,
  peChecksum,
  withoutSignature,
} from '../../../scripts/package-pe.ts';

const PE_AT = 0x80;
const OPTIONAL = PE_AT + 24;
const SECURITY_DIR = OPTIONAL + 112 + 4 * 8;

/** A PE32+ header skeleton of `size` bytes; with `cert`, the last `cert` bytes are the certificate table. */
function fakePe(size: number, cert = 0): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0x200; i < size; i++) b[i] = (i * 13) & 0xff;
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(PE_AT, 0x3c);
  b.write('PE\0\0', PE_AT, 'latin1');
  b.writeUInt16LE(0x20b, OPTIONAL);
  b.writeUInt32LE(cert ? size - cert : 0, SECURITY_DIR);
  b.writeUInt32LE(cert, SECURITY_DIR + 4);
  return b;
}

describe('withoutSignature', () => {
  it('cuts the certificate table off the end and clears its directory entry', () => {
    const signed = fakePe(4096, 1000);
    const out = withoutSignature(signed);
    assert.equal(out.length, 3096);
    assert.deepEqual(certificateTable(out), { offset: 0, size: 0 });
    assert.ok(out.subarray(0x200).equals(signed.subarray(0x200, 3096)), 'the image bytes are unchanged');
  });

  it('returns an unsigned image as it is', () => {
    const unsigned = fakePe(4096);
    assert.equal(withoutSignature(unsigned), unsigned);
  });

  it('refuses a certificate table that is not the tail of the file', () => {
    const b = fakePe(4096, 1000);
    b.writeUInt32LE(1000, SECURITY_DIR);
    assert.throws(() => withoutSignature(b), /not at the end/);
  });

  const notPe = [
    { name: 'an ELF file', given: Buffer.from('\x7fELF'.padEnd(256, '\0'), 'latin1'), want: /no MZ header/ },
    {
      name: 'a 32-bit PE',
      given: ((b) => (b.writeUInt16LE(0x10b, OPTIONAL), b))(fakePe(1024)),
      want: /PE32\+/,
    },
  ];
  for (const { name, given, want } of notPe) {
    it(`rejects ${name}`, () =>
      assert.throws(
        () => withoutSignature(given),
        (e: Error) => e instanceof PeError && want.test(e.message),
      ));
  }
});

describe('peChecksum', () => {
  it('ignores the checksum field itself, so fixing it is stable', () => {
    const b = fakePe(5001); // odd length: the last byte counts alone
    fixChecksum(b);
    const stored = b.readUInt32LE(OPTIONAL + 64);
    assert.equal(peChecksum(b), stored);
    b[3000] = b[3000]! ^ 1;
    assert.notEqual(peChecksum(b), stored);
  });

  it('is the 16-bit one-complement-style sum plus the length (worked example)', () => {
    const b = fakePe(0x400).fill(0, 0x200);
    b.writeUInt16LE(0xffff, 0x200);
    b.writeUInt16LE(0x0002, 0x202);
    // header words + 0xffff + 2 fold to (header + 2), then + 0x400 bytes
    const header = peChecksum(fakePe(0x400).fill(0, 0x200)) - 0x400;
    assert.equal(peChecksum(b), header + 2 + 0x400);
  });
});
