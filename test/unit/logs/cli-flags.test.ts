import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLogsFlags, type LogsFlags, type RawLogsFlags } from '../../../src/cli/logs.ts';
import { UsageError } from '../../../src/errors.ts';

const okCases: { name: string; given: [string, RawLogsFlags]; want: LogsFlags }[] = [
  {
    name: 'defaults: a CustomPodAutoscaler, whole log, no follow',
    given: ['web', {}],
    want: { source: { kind: 'cpa', name: 'web' }, follow: false, timestamps: false, decisions: false },
  },
  {
    name: '--since rounds up to whole seconds; --tail -1 means all',
    given: [
      'deployment/runner',
      { since: '1m30.5s', tail: '-1', follow: true, decisions: true, container: 'cpa', namespace: 'ns' },
    ],
    want: {
      source: { kind: 'deployment', name: 'runner' },
      namespace: 'ns',
      follow: true,
      sinceSeconds: 91,
      timestamps: false,
      decisions: true,
      container: 'cpa',
    },
  },
  {
    name: '--tail 0 is kept (no old lines, only new ones with -f)',
    given: ['web', { tail: '0', timestamps: true }],
    want: {
      source: { kind: 'cpa', name: 'web' },
      follow: false,
      tailLines: 0,
      timestamps: true,
      decisions: false,
    },
  },
];

for (const { name, given, want } of okCases) {
  test(`validateLogsFlags: ${name}`, () => {
    const got = validateLogsFlags(...given);
    assert.deepEqual(JSON.parse(JSON.stringify(got)), want);
  });
}

test('validateLogsFlags: every problem at once, as a usage error', () => {
  assert.throws(
    () => validateLogsFlags('statefulset/db', { since: '-5m', tail: 'ten' }),
    (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.exitCode, 2);
      assert.equal(
        err.message,
        'invalid flags for logs: NAME "statefulset/db": use NAME, cpa/NAME, deployment/NAME or pod/NAME; ' +
          '--since "-5m": use a positive duration such as 30s, 5m, 1h; --tail "ten": use a number of lines, or -1 for all',
      );
      return true;
    },
  );
});
