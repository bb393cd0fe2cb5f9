// `kubectl cpa demo --help` and the README's first screen promise the same duration (they once said 10 s
// and 5 s; the demo takes about 3–5 s on the 2-core build machine).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerDemo } from '../../../src/cli/demo.ts';
import type { Deps } from '../../../src/ports.ts';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('demo --help and the README state the same duration', () => {
  const program = new Command();
  registerDemo(program, {} as Deps, { exitCode: 0 });
  const description = program.commands.find((c) => c.name() === 'demo')?.description() ?? '';
  const inHelp = /\(about (\d+) s\)/.exec(description)?.[1];
  const inReadme = /`kubectl cpa demo` takes about (\d+) s/.exec(README)?.[1];
  assert.ok(inHelp !== undefined, `no "(about N s)" in: ${description}`);
  assert.equal(inHelp, inReadme);
});
