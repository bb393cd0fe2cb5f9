// Property tests of parseTargetFlag (--target): any text gives a target or a UsageError, a reference printed
// as [GROUP/]VERSION/KIND/NAME or TYPE/NAME parses back to itself, and long values do not take long.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { UsageError } from '../../../src/errors.ts';
import { parseTargetFlag, type ParsedTarget } from '../../../src/kube/target-flag.ts';
import { hostileString, RUNS } from './arbitraries.ts';

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const subdomain = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const name = subdomain.filter((n) => n.length <= 253);
const version = fc.stringMatching(/^v[0-9]{1,3}((alpha|beta)[0-9]{1,2})?$/);
const kind = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/);
const resource = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
/** Every spelling kubectl accepts for the four built-in workloads with a scale subresource. */
const WELL_KNOWN = [
  ...['deployments', 'deployment', 'deploy', 'statefulsets', 'statefulset', 'sts'],
  ...['replicasets', 'replicaset', 'rs', 'replicationcontrollers', 'replicationcontroller', 'rc'],
];

/** What a parse may give: a target, or a UsageError (exit 2) that names the flag. */
function parseOrUsage(value: string): ParsedTarget | UsageError {
  try {
    return parseTargetFlag(value);
  } catch (err) {
    assert.ok(err instanceof UsageError, `${JSON.stringify(value)} threw ${String(err)}`);
    assert.match(err.message, /^invalid --target "/);
    return err;
  }
}

describe('--target properties', () => {
  it('any text gives a target with a valid object name, or a UsageError', () => {
    const slashy = fc.array(fc.oneof(hostileString, resource, name, version, kind), { maxLength: 6 });
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          slashy.map((p) => p.join('/')),
        ),
        (value) => {
          const parsed = parseOrUsage(value);
          if (parsed instanceof UsageError) return;
          const objectName = parsed.form === 'ref' ? parsed.ref.name : parsed.name;
          assert.match(objectName, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
        },
      ),
      { numRuns: RUNS.many },
    );
  });

  it('GROUP/VERSION/KIND/NAME and VERSION/KIND/NAME parse back to the reference', () => {
    fc.assert(
      fc.property(fc.option(subdomain, { nil: '' }), version, kind, name, (group, v, k, n) => {
        const apiVersion = group === '' ? v : `${group}/${v}`;
        assert.deepEqual(parseTargetFlag(`${apiVersion}/${k}/${n}`), {
          form: 'ref',
          ref: { apiVersion, kind: k, name: n },
        });
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('TYPE/NAME of a workload kubectl knows is a reference; any other resource word is a lookup', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...WELL_KNOWN), resource), name, (word, n) => {
        const parsed = parseTargetFlag(`${word}/${n}`);
        if (WELL_KNOWN.includes(word)) {
          assert.equal(parsed.form === 'ref' && parsed.ref.name, n);
        } else {
          assert.deepEqual(parsed, {
            form: 'lookup',
            resource: word,
            version: undefined,
            group: undefined,
            name: n,
          });
        }
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('resource.group/NAME keeps the group and the resource word', () => {
    fc.assert(
      fc.property(resource, subdomain, name, (word, group, n) => {
        fc.pre(!WELL_KNOWN.includes(word) && !/^v[0-9]/.test(group));
        const parsed = parseTargetFlag(`${word}.${group}/${n}`);
        assert.deepEqual(parsed, { form: 'lookup', resource: word, version: undefined, group, name: n });
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('a value of a million characters is refused at once', () => {
    for (const value of [
      `deploy/${'a'.repeat(1e6)}`,
      `${'a.'.repeat(5e5)}x/web`,
      `${'a-'.repeat(5e5)}!/web`,
    ]) {
      const started = performance.now();
      parseOrUsage(value);
      assert.ok(performance.now() - started < 2000, 'must not backtrack for long');
    }
  });
});
