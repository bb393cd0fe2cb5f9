// Shared inputs and assertions for the config tests: a minimal valid v2 file and issue matching.
import assert from 'node:assert/strict';
import { loadConfig, type ConfigFlags, type LoadResult } from '../../../src/config/load.ts';
import type { Config, ConfigIssue } from '../../../src/config/types.ts';

/** A valid v2 metric method (4 lines). */
export const METRIC =
  'metric:\n  type: shell\n  timeout: 1000\n  shell: {entrypoint: python, command: [/m.py]}\n';
/** A valid v2 evaluate method (4 lines). */
export const EVALUATE =
  'evaluate:\n  type: shell\n  timeout: 1000\n  shell: {entrypoint: python, command: [/e.py]}\n';
/** The smallest valid v2 file: both methods, everything else default (8 lines). */
export const BASE = METRIC + EVALUATE;

/** What a test passes to loadConfig besides the text. */
export interface LoadOptions {
  env?: Record<string, string>;
  flags?: ConfigFlags;
  imagePaths?: Map<string, string>;
}

/** loadConfig with the file name `config.yaml` and an empty environment unless given. */
export function load(text: string, options: LoadOptions = {}): LoadResult {
  return loadConfig({ text, fileName: 'config.yaml', env: options.env ?? {}, ...options });
}

/** Loads and fails the test with every issue when the configuration is not valid. */
export function loadOk(text: string, options: LoadOptions = {}): { config: Config; notes: string[] } {
  const result = load(text, options);
  if (!result.ok) assert.fail(`expected a valid config, got:\n${JSON.stringify(result.issues, null, 2)}`);
  return result;
}

/** One expected problem: its path, fragments of its message, and optionally its position. */
export interface WantIssue {
  path: string;
  has: string[];
  line?: number;
  column?: number;
}

/** Asserts the result failed with exactly the wanted problems (order-free). */
export function assertIssues(result: LoadResult, want: readonly WantIssue[]): void {
  if (result.ok)
    assert.fail(`expected problems, got a valid config with notes ${JSON.stringify(result.notes)}`);
  const shown = JSON.stringify(result.issues, null, 2);
  assert.equal(result.issues.length, want.length, `issue count differs:\n${shown}`);
  for (const w of want) {
    const issue: ConfigIssue | undefined = result.issues.find(
      (i) => i.path === w.path && w.has.every((h) => i.message.includes(h)),
    );
    assert.ok(issue, `no issue at ${w.path} containing ${JSON.stringify(w.has)}:\n${shown}`);
    if (w.line !== undefined) assert.equal(issue.line, w.line, `line of ${w.path}`);
    if (w.column !== undefined) assert.equal(issue.column, w.column, `column of ${w.path}`);
    assert.doesNotMatch(issue.message, /\n\s+at /, 'messages carry no stack trace');
  }
}
