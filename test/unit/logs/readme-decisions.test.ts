// The README's `logs --decisions` example is what the command prints: one line per cycle, no header line
// (before: the README showed a `TIME EVAL FROM → TO REASONS` header that `logs` never prints).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README: logs --decisions example', () => {
  it('every line of the example is a decision line', () => {
    const after = readme.slice(readme.indexOf('`--decisions` prints one line per cycle'));
    const block = /```\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
    const lines = block.trimEnd().split('\n');
    assert.ok(lines.length >= 3, block);
    for (const line of lines)
      assert.match(line, /^\d{4}-\d\d-\d\dT[\d:]+Z eval (\?|-?\d+) +(\?|\d+) → (\?|\d+) +\S/);
  });
});
