// escapeTerminal and mapStrings: what outside text looks like once it is safe to print on a terminal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeTerminal, mapStrings } from '../../../src/status/terminal-text.ts';

describe('escapeTerminal', () => {
  const rows: { name: string; given: string; keep?: string; want: string }[] = [
    { name: 'plain text passes', given: 'web-1=3, 42 → 7 ✓', want: 'web-1=3, 42 → 7 ✓' },
    { name: 'ESC as kubectl spells it', given: '\u001b[2Jx', want: '^[[2Jx' },
    { name: 'CR as kubectl spells it', given: 'ok\rfake', want: 'ok\\rfake' },
    { name: 'newline and tab', given: 'a\nb\tc', want: 'a\\nb\\tc' },
    {
      name: 'BEL, NUL and the other C0 controls',
      given: '\u0007\u0000\u0008\u001f',
      want: '\\x07\\x00\\x08\\x1f',
    },
    { name: 'DEL', given: 'x\u007f', want: 'x\\x7f' },
    { name: 'C1 controls: CSI, NEL, OSC', given: '\u009b2J\u0085\u009d', want: '\\x9b2J\\x85\\x9d' },
    { name: 'the first and last non-controls around the C1 block', given: '~\u00a0', want: '~\u00a0' },
    { name: 'a kept newline stays', given: 'a\nb\u001b', keep: '\n', want: 'a\nb^[' },
    { name: 'a backslash is not escaped (readable, not reversible)', given: 'a\\x07', want: 'a\\x07' },
  ];
  for (const row of rows) {
    it(row.name, () => assert.equal(escapeTerminal(row.given, row.keep), row.want));
  }

  it('leaves no control character in any string of code points 0..0x2ff', () => {
    const all = String.fromCodePoint(...Array.from({ length: 0x300 }, (_, i) => i));
    assert.doesNotMatch(escapeTerminal(all), /[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('mapStrings', () => {
  it('maps every string of plain data, keys and non-strings untouched, input unchanged', () => {
    const given = { a: 'x\u001b', b: [1, 'y\r', null, { c: 'z\u0007' }], d: true, e: null };
    const copy = structuredClone(given);
    assert.deepEqual(mapStrings(given, escapeTerminal), {
      a: 'x^[',
      b: [1, 'y\\r', null, { c: 'z\\x07' }],
      d: true,
      e: null,
    });
    assert.deepEqual(given, copy);
  });
});
