import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoBool } from '../../../src/api/bool.ts';

const cases: { name: string; given: string; want: boolean | null }[] = [
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((given) => ({
    name: `accepts ${given}`,
    given,
    want: true,
  })),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((given) => ({
    name: `accepts ${given}`,
    given,
    want: false,
  })),
  { name: 'rejects mixed case', given: 'tRUE', want: null },
  { name: 'rejects yes', given: 'yes', want: null },
  { name: 'rejects surrounding space', given: ' true', want: null },
  { name: 'rejects a leading zero', given: '01', want: null },
  { name: 'rejects the empty string', given: '', want: null },
];

for (const { name, given, want } of cases) {
  test(`parseGoBool ${name}`, () => {
    assert.equal(parseGoBool(given), want);
  });
}
