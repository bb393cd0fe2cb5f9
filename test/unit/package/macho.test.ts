// The Mach-O checks that stand in for running the darwin binaries: they must accept an intact ad-hoc
// signed SEA binary and name what is wrong with a tampered or incomplete one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CS_ADHOC,
  MachOError,
  codeDirectories,
  parseMachO,
  signedSeaProblems,
} from '../../../scripts/package-macho.ts';
import { fakeMachO } from '../../support/macho.ts';

const PAGE = 4096;
const SIG = 4 * PAGE; // the fake's code is 4 pages, the signature follows

/** Offset of a field of the primary code directory (its blob is the first after the 2-entry super blob). */
const cdField = (field: number): number => SIG + 12 + 2 * 8 + field;

/** Inverts one byte; a negative offset counts from the end (-1 is the last byte of the requirement set). */
const flip = (at: number) => (b: Buffer) => {
  const i = at < 0 ? b.length + at : at;
  b[i] = b[i]! ^ 0xff;
  return b;
};

describe('signedSeaProblems', () => {
  const cases: { name: string; given: () => Buffer; want: string[] }[] = [
    { name: 'an intact ad-hoc signed SEA binary has none', given: () => fakeMachO(), want: [] },
    {
      name: 'a byte changed in the SEA blob after signing breaks page 1',
      given: () => flip(PAGE + 10)(fakeMachO()),
      want: ['code directory 0: 1 page hashes differ (first page 1)'],
    },
    {
      name: 'a changed load command breaks page 0',
      given: () => flip(40)(fakeMachO()),
      want: ['code directory 0: 1 page hashes differ (first page 0)'],
    },
    {
      name: 'a binary without the NODE_SEA segment is not a SEA',
      given: () => fakeMachO({ seaSegment: false }),
      want: ['no NODE_SEA segment with a section'],
    },
    {
      name: 'an unsigned binary has no LC_CODE_SIGNATURE',
      given: () => fakeMachO({ signed: false }),
      want: ['no LC_CODE_SIGNATURE load command'],
    },
    {
      name: 'a code directory that stops short of the signature leaves bytes unsigned',
      given: () => {
        const b = fakeMachO();
        b.writeUInt32BE(3 * PAGE, cdField(32));
        return b;
      },
      want: [
        'code directory 0 covers 12288 bytes, the signature starts at 16384',
        'code directory 0 has 4 page hashes for 3 pages',
        // the fourth hash is now compared with the hash of nothing
        'code directory 0: 1 page hashes differ (first page 3)',
      ],
    },
    {
      name: 'a requirement set that differs from its special-slot hash',
      given: () => flip(-1)(fakeMachO()),
      want: ['code directory 0: special slot 2 hash differs from its blob'],
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => {
      assert.deepEqual(signedSeaProblems(given()), want);
    });
  }
});

describe('parseMachO and codeDirectories', () => {
  it('finds the segments, the NODE_SEA section and the ad-hoc code directory', () => {
    const buf = fakeMachO();
    const macho = parseMachO(buf);
    assert.deepEqual(
      macho.segments.map((s) => s.name),
      ['__TEXT', 'NODE_SEA', '__LINKEDIT'],
    );
    assert.deepEqual(macho.segments[1]?.sections, [{ name: '__NODE_SEA_BLOB', offset: PAGE, size: 100 }]);
    assert.equal(macho.codeSignature?.offset, SIG);
    const [dir] = codeDirectories(buf, macho.codeSignature!);
    assert.equal(dir?.identifier, 'fake');
    assert.equal((dir?.flags ?? 0) & CS_ADHOC, CS_ADHOC);
    assert.deepEqual(
      [dir?.hashType, dir?.pageSize, dir?.codeLimit, dir?.pageHashes.length],
      [2, PAGE, SIG, 4],
    );
  });

  const bad: { name: string; given: Buffer; want: RegExp }[] = [
    {
      name: 'an ELF file',
      given: Buffer.from('\x7fELF\x02\x01\x01'.padEnd(64, '\0'), 'latin1'),
      want: /bad magic/,
    },
    { name: 'a truncated file', given: fakeMachO().subarray(0, 40), want: /runs past the end/ },
  ];
  for (const { name, given, want } of bad) {
    it(`rejects ${name}`, () =>
      assert.throws(
        () => parseMachO(given),
        (e: Error) => e instanceof MachOError && want.test(e.message),
      ));
  }

  it('rejects a signature offset that does not point at a super blob', () => {
    const buf = fakeMachO();
    const sig = parseMachO(buf).codeSignature!;
    assert.throws(() => codeDirectories(buf, { ...sig, offset: sig.offset - PAGE }), /super blob/);
  });
});
