// Property tests of parseEvaluation (the evaluate step's stdout): any output gives a non-negative int32 or a
// message, `{"targetReplicas": N}` in any key case parses back to N, and non-integer tokens are refused as Go does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseEvaluation } from '../../../src/autoscaler/evaluation.ts';
import { hostileString, hostileValue, nested, RUNS } from './arbitraries.ts';

const INT32_MAX = 2 ** 31 - 1;
/** Every letter-case spelling of targetReplicas (Go matches JSON keys case-insensitively). */
const targetKey = fc
  .array(fc.boolean(), { minLength: 14, maxLength: 14 })
  .map((up) => [...'targetreplicas'].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const KEYS = ['targetReplicas', 'target_replicas', 'TargetReplicas', 'targetreplicas', '__proto__'];

function assertResult(raw: string): ReturnType<typeof parseEvaluation> {
  const result = parseEvaluation(raw);
  if (result.ok) {
    assert.ok(Number.isInteger(result.targetReplicas) && result.targetReplicas >= 0);
    assert.ok(result.targetReplicas <= INT32_MAX && !Object.is(result.targetReplicas, -0));
  } else {
    assert.match(result.message, /^invalid evaluation: /);
    assert.ok(result.message.length < 1000, 'the raw output shown is bounded');
  }
  return result;
}

describe('parseEvaluation properties', () => {
  it('any output gives a non-negative int32 or a bounded message', () => {
    const doc = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), hostileString), hostileValue(KEYS), {
      maxKeys: 4,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          fc.string({ unit: 'binary', maxLength: 2000 }),
          doc.map((d) => JSON.stringify(d)),
        ),
        (raw) => {
          assertResult(raw);
        },
      ),
      { numRuns: RUNS.many },
    );
  });

  it('{"targetReplicas": N} in any key case, with whitespace and other keys, parses back to N', () => {
    fc.assert(
      fc.property(
        fc.oneof(targetKey, fc.constant('target_replicas')),
        fc.integer({ min: 0, max: INT32_MAX }),
        fc.dictionary(
          fc.string({ maxLength: 5 }).filter((k) => !/^target_?replicas$/i.test(k)),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
        fc.constantFrom('', ' ', '\n', '\t\r\n'),
        (key, n, others, ws) => {
          const raw = `${ws}{${JSON.stringify(others).slice(1, -1)}${Object.keys(others).length > 0 ? ',' : ''}${ws}"${key}"${ws}:${ws}${n}${ws}}${ws}`;
          assert.deepEqual(parseEvaluation(raw), { ok: true, targetReplicas: n });
        },
      ),
      { numRuns: RUNS.normal },
    );
  });

  it('a number Go would not decode into an int32 is refused', () => {
    const notInt32 = fc.oneof(
      fc.integer({ min: INT32_MAX + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
      fc.integer({ min: -INT32_MAX, max: -1 }).map(String),
      fc.integer({ min: 0, max: 1000 }).map((n) => `${n}.0`),
      fc.integer({ min: 0, max: 1000 }).map((n) => `${n}e0`),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((d) => !Number.isInteger(d))
        .map(String),
      fc.constantFrom(
        '1E1',
        '-0.0',
        '0.5',
        '3.0000000000000001',
        '1e400',
        '"3"',
        'null',
        'true',
        '[3]',
        '{}',
      ),
    );
    fc.assert(
      fc.property(targetKey, notInt32, (key, token) => {
        assert.equal(assertResult(`{"${key}": ${token}}`).ok, false, `${key}: ${token} was accepted`);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('with several targetReplicas keys, any value Go cannot decode into an int32 refuses the output', () => {
    // Go's decoder assigns every key that matches the field (case-insensitively) in turn and returns the
    // first type error after the whole object, so one bad duplicate fails the evaluation in CPA.
    const bad = fc.constantFrom('1.5', '1e1', '"3"', 'true', '[1]', '{}');
    fc.assert(
      fc.property(targetKey, bad, targetKey, fc.integer({ min: 0, max: 100 }), (k1, token, k2, n) => {
        assert.equal(
          assertResult(`{"${k1}": ${token}, "${k2}": ${n}}`).ok,
          false,
          `${k1}: ${token}, ${k2}: ${n}`,
        );
      }),
      { numRuns: RUNS.quick },
    );
  });

  const counterexamples = [
    '{"TargetReplicas": 1.5, "targetReplicas": 2}',
    '{"targetReplicas": "x", "targetReplicas": 3}',
  ];
  for (const raw of counterexamples) {
    it(`counterexample, as a plain row: ${raw} is refused`, () =>
      assert.equal(parseEvaluation(raw).ok, false));
  }

  it('deep nesting and huge output are refused quickly', () => {
    for (const raw of [
      nested(200_000, 'array'),
      `{"a": ${nested(200_000, 'object')}, "targetReplicas": 1}`,
      `{"x": "${'a'.repeat(5e6)}"}`,
    ]) {
      const started = performance.now();
      assertResult(raw);
      assert.ok(performance.now() - started < 5000);
    }
  });
});
