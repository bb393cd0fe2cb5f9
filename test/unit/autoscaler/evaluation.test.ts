import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvaluation } from '../../../src/autoscaler/evaluation.ts';

describe('parseEvaluation', () => {
  const good = [
    { name: 'v2 key', given: '{"targetReplicas": 3}', want: 3 },
    { name: 'seed key', given: '{"target_replicas": 5}', want: 5 },
    { name: 'trailing newline from print()', given: '{"targetReplicas":2}\n', want: 2 },
    { name: 'case-insensitive like Go', given: '{"TargetReplicas":4}', want: 4 },
    { name: 'zero', given: '{"targetReplicas":0}', want: 0 },
    { name: 'extra keys ignored', given: '{"targetReplicas":1,"why":"x"}', want: 1 },
  ];
  for (const row of good) {
    it(`accepts ${row.name}`, () =>
      assert.deepEqual(parseEvaluation(row.given), { ok: true, targetReplicas: row.want }));
  }
  const bad = [
    { name: 'empty output', given: '', want: /output is empty/ },
    { name: 'not JSON', given: 'invalid', want: /not JSON.*printed "invalid"/ },
    { name: 'a bare number', given: '3', want: /not a JSON object/ },
    {
      name: 'missing key (CPA would scale to min)',
      given: '{"replicas":3}',
      want: /no "targetReplicas" key/,
    },
    { name: 'null value', given: '{"targetReplicas":null}', want: /is null/ },
    { name: 'a string', given: '{"targetReplicas":"3"}', want: /not an integer/ },
    { name: 'a fraction', given: '{"targetReplicas":2.5}', want: /not an integer/ },
    { name: 'negative', given: '{"targetReplicas":-1}', want: /negative/ },
    { name: 'beyond int32', given: '{"targetReplicas":3000000000}', want: /larger than/ },
    { name: 'JSON null document', given: 'null', want: /not a JSON object/ },
  ];
  for (const row of bad) {
    it(`rejects ${row.name} and shows the raw output`, () => {
      const got = parseEvaluation(row.given);
      assert.equal(got.ok, false);
      if (!got.ok) {
        assert.match(got.message, row.want);
        assert.match(got.message, /printed /);
      }
    });
  }
  it('bounds a huge output in the message', () => {
    const got = parseEvaluation('x'.repeat(10_000));
    assert.ok(!got.ok && got.message.length < 600);
  });
});
