// The one colour policy of human output (status tables, logs prefixes): a terminal and no NO_COLOR.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useColor } from '../../../src/status/colour.ts';

describe('useColor', () => {
  const rows: { name: string; given: [Record<string, string>, boolean]; want: boolean }[] = [
    { name: 'terminal', given: [{}, true], want: true },
    { name: 'piped', given: [{}, false], want: false },
    { name: 'NO_COLOR set', given: [{ NO_COLOR: '1' }, true], want: false },
    {
      name: 'NO_COLOR empty is ignored (no-color.org)',
      given: [{ NO_COLOR: '' }, true],
      want: true,
    },
    {
      name: 'NO_COLOR set to anything, even 0, turns colour off',
      given: [{ NO_COLOR: '0' }, true],
      want: false,
    },
    { name: 'piped with NO_COLOR set', given: [{ NO_COLOR: '1' }, false], want: false },
    { name: 'piped with NO_COLOR empty', given: [{ NO_COLOR: '' }, false], want: false },
  ];
  for (const row of rows) it(row.name, () => assert.equal(useColor(...row.given), row.want));
});
