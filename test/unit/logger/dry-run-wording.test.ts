// A dry run's decision line says what it would do — `would scale 1 → 3` — never "scaled" (before:
// `1 → 3 replicas (evaluation 3; scaled) — dry run, not patched`), and `kubectl cpa logs` reads it back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from '../../../src/logger/events.ts';
import { formatText } from '../../../src/logger/format.ts';
import { groupEntries } from '../../../src/logs/entries.ts';
import { classify } from '../../../src/logs/classify.ts';

const dry = (reasons: Extract<LogEvent, { kind: 'decision' }>['reasons']): LogEvent => ({
  kind: 'decision',
  target: 'deployment/default/web',
  runType: 'scaler',
  from: 1,
  to: 3,
  evaluation: 9,
  reasons,
  action: 'would-scale',
  durationMs: 84,
});

describe('dry-run wording', () => {
  const rows: { name: string; given: LogEvent; want: string }[] = [
    {
      name: 'a plain change',
      given: dry(['Scaled']),
      want: 'T deployment/default/web would scale 1 → 3 (evaluation 9) — dry run, not patched in 84ms',
    },
    {
      name: 'with a limit',
      given: dry(['ClampedToMax', 'Scaled']),
      want: 'T deployment/default/web would scale 1 → 3 (evaluation 9; clamped to maxReplicas) — dry run, not patched in 84ms',
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const line = formatText(row.given, 'T');
      assert.equal(line, row.want);
      assert.doesNotMatch(line, /scaled/);
    });
  it('kubectl cpa logs reads the line back as a dry-run decision', () => {
    const [entry] = groupEntries(
      formatText(dry(['ClampedToMax', 'Scaled']), '2026-01-01T00:00:00.000Z'),
      false,
    );
    assert.ok(entry);
    assert.deepEqual(classify(entry).record, {
      kind: 'decision',
      from: 1,
      to: 3,
      evaluation: 9,
      reasons: ['ClampedToMax', 'Scaled'],
      dryRun: true,
    });
  });
});
