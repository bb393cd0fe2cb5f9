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
    { name: 'int32 max', given: '{"targetReplicas":2147483647}', want: 2147483647 },
    { name: '-0 as Go reads it (0)', given: '{"targetReplicas":-0}', want: 0 },
    { name: 'the last of repeated keys, as Go', given: '{"targetReplicas":1,"TARGETREPLICAS":5}', want: 5 },
    { name: 'an exponent in a nested value', given: '{"targetReplicas":2,"load":{"cpu":1e3}}', want: 2 },
    // Go assigns every matching key in turn; `null` leaves the field as it was, so a later null keeps 3.
    {
      name: 'a repeated key set to null after a number, as Go',
      given: '{"targetReplicas":3,"targetReplicas":null}',
      want: 3,
    },
    { name: 'a null before a number', given: '{"TargetReplicas":null,"targetReplicas":3}', want: 3 },
    {
      name: 'a negative overwritten by a later key, as Go',
      given: '{"targetReplicas":-1,"TargetReplicas":2}',
      want: 2,
    },
    {
      name: 'a bad value under a key that does not match',
      given: '{"targetReplicasX":1.5,"target_Replicas":"x","targetReplicas":2}',
      want: 2,
    },
    {
      name: 'a bad nested targetReplicas',
      given: '{"x":{"targetReplicas":1.5},"targetReplicas":2}',
      want: 2,
    },
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
    // Go's encoding/json refuses these for an int32 field ("cannot unmarshal number 1e1 into … int32").
    { name: 'an exponent (1e1)', given: '{"targetReplicas":1e1}', want: /not an integer: 1e1 / },
    {
      name: 'an upper-case exponent (1E+1)',
      given: '{"targetReplicas":1E+1}',
      want: /not an integer: 1E\+1 /,
    },
    { name: 'a whole fraction (10.0)', given: '{"targetReplicas":10.0}', want: /not an integer: 10\.0 / },
    {
      name: 'a fraction that rounds to an integer',
      given: '{"targetReplicas":3.0000000000000001}',
      want: /not an integer/,
    },
    { name: 'one past int32 max', given: '{"targetReplicas":2147483648}', want: /larger than 2147483647/ },
    { name: 'a huge integer', given: '{"targetReplicas":99999999999999999999999}', want: /larger than/ },
    { name: 'an overflowing exponent', given: '{"targetReplicas":1e400}', want: /not an integer/ },
    { name: 'a huge negative integer', given: '{"targetReplicas":-99999999999999999999}', want: /negative/ },
    { name: 'a boolean', given: '{"targetReplicas":true}', want: /not an integer/ },
    // Go's decoder fails the whole document on a type error under ANY key matching the field, even when a
    // later key holds a good value (fuzz counterexamples in test/unit/fuzz/evaluation.test.ts).
    {
      name: 'a fraction under an earlier key of another case',
      given: '{"TargetReplicas": 1.5, "targetReplicas": 2}',
      want: /"TargetReplicas" \(key 1 of 2 naming targetReplicas\) is not an integer: 1\.5 /,
    },
    {
      name: 'a string under an earlier key of the same spelling',
      given: '{"targetReplicas": "x", "targetReplicas": 3}',
      want: /"targetReplicas" \(key 1 of 2 naming targetReplicas\) is not an integer/,
    },
    {
      name: 'a bad later key after a good one',
      given: '{"targetReplicas":3,"TARGETREPLICAS":true}',
      want: /key 2 of 2.*not an integer/,
    },
    {
      name: 'an object under an earlier key',
      given: '{"targetReplicas":{"a":1},"targetReplicas":1}',
      want: /not an integer/,
    },
    {
      name: 'an exponent under an earlier key',
      given: '{"targetReplicas":1e1,"targetReplicas":1}',
      want: /not an integer: 1e1 /,
    },
    {
      name: 'beyond int32 under an earlier key',
      given: '{"targetReplicas":3000000000,"targetReplicas":1}',
      want: /larger than/,
    },
    {
      name: 'a bad seed key before a good one',
      given: '{"target_replicas":"3","targetReplicas":3}',
      want: /"target_replicas" .*not an integer/,
    },
    {
      name: 'a bad key written with escapes',
      given: '{"\\u0074argetReplicas":2.5,"targetReplicas":3}',
      want: /not an integer: 2\.5 /,
    },
    {
      name: 'every repeated key null',
      given: '{"targetReplicas":null,"TargetReplicas":null}',
      want: /"TargetReplicas" .*is null/,
    },
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
