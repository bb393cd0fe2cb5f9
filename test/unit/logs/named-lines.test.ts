// Lines of a process running several autoscalers, as `kubectl cpa logs` reads them back: the text format's
// `[NAME] ` prefix and the held-by-other decision line are read like any other decision.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classify } from '../../../src/logs/classify.ts';
import { groupEntries } from '../../../src/logs/entries.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import { createLogger } from '../../../src/logger/logger.ts';

/** Writes `event` through a logger named `web` (text, name in text) and reads the line back. */
function roundTrip(event: LogEvent, format: 'text' | 'json' = 'text') {
  let written = '';
  const logger = createLogger({
    out: { write: (t) => void (written += t), isTTY: false },
    clock: { nowMs: () => Date.parse('2026-01-01T00:00:00.000Z'), sleep: async () => undefined },
    verbosity: 0,
    format,
    autoscaler: 'web',
    nameInText: true,
  });
  logger.log(event);
  const [entry] = groupEntries(written.trimEnd());
  return { written, record: classify(entry!).record };
}

const decision: LogEvent = {
  kind: 'decision',
  target: 'deployment/default/web',
  runType: 'scaler',
  from: 2,
  to: 4,
  evaluation: 4,
  reasons: ['Scaled'],
  action: 'scaled',
  durationMs: 12,
};

describe('named log lines', () => {
  test('text: `[web] ` after the time, and the decision still reads as one', () => {
    const { written, record } = roundTrip(decision);
    assert.equal(
      written,
      '2026-01-01T00:00:00.000Z [web] deployment/default/web 2 → 4 replicas (evaluation 4; scaled) in 12ms\n',
    );
    assert.deepEqual(record, { kind: 'decision', from: 2, to: 4, evaluation: 4, reasons: ['Scaled'] });
  });

  test('text: a held-by-other decision names the holder and reads as a decision', () => {
    const held: LogEvent = { ...decision, action: 'held-by-other', heldBy: 'web on ci (pid 7)' };
    const { written, record } = roundTrip(held);
    assert.match(written, / — held by web on ci \(pid 7\), not patched in 12ms\n$/);
    assert.deepEqual(record, { kind: 'decision', from: 2, to: 4, evaluation: 4, reasons: ['Scaled'] });
  });

  test('json: every line carries the autoscaler', () => {
    const { written } = roundTrip(decision, 'json');
    assert.equal((JSON.parse(written) as { autoscaler: string }).autoscaler, 'web');
  });
});
