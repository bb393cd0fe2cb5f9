// validateRunFlags: `run`'s flags checked as a whole — each row names the flags given and either the
// validated result (the parts that matter) or every problem reported, in one UsageError.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHostPort, validateRunFlags, type RawRunFlags } from '../../../src/cli/run-flags.ts';
import { UsageError } from '../../../src/errors.ts';

describe('validateRunFlags: valid flags', () => {
  const rows: { name: string; dir?: string; given: RawRunFlags; want: Record<string, unknown> }[] = [
    {
      name: 'defaults: DIR/config.yaml, text logs, API from the config',
      dir: 'auto',
      given: {},
      want: { dir: 'auto', configFile: 'auto/config.yaml', once: false, dryRun: false, logFormat: 'text' },
    },
    {
      name: 'no DIR means the current directory',
      given: {},
      want: { dir: '.', configFile: './config.yaml' },
    },
    { name: 'a DIR with a trailing slash', dir: 'a/', given: {}, want: { configFile: 'a/config.yaml' } },
    {
      name: '-f wins over DIR/config.yaml',
      dir: 'a',
      given: { filename: 'x.yaml' },
      want: { configFile: 'x.yaml' },
    },
    { name: '--interval in Go duration form', given: { interval: '1m30s' }, want: { intervalMs: 90_000 } },
    { name: '--no-api', given: { api: false }, want: { apiAddr: null } },
    {
      name: '--api-addr :8080 binds loopback',
      given: { apiAddr: ':8080' },
      want: { apiAddr: { host: '127.0.0.1', port: 8080 } },
    },
    {
      name: '-v 4 and json logs',
      given: { v: '4', logFormat: 'json' },
      want: { verbosity: 4, logFormat: 'json' },
    },
    { name: '--sandbox alone', given: { sandbox: true }, want: { sandbox: true } },
    { name: '--once --dry-run', given: { once: true, dryRun: true }, want: { once: true, dryRun: true } },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const flags = validateRunFlags(row.dir, row.given) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(row.want)) assert.deepEqual(flags[key], value, key);
    });
  }
});

describe('validateRunFlags: every problem at once', () => {
  const rows: { name: string; given: RawRunFlags; problems: string[] }[] = [
    {
      name: 'a bad interval, verbosity and log format together',
      given: { interval: 'soon', v: 'loud', logFormat: 'xml' },
      problems: [
        '--interval: "soon" is not a positive duration; use e.g. 500ms, 15s, 1m',
        '-v: "loud" must be an integer from 0 to 9',
        '--log-format: "xml" must be text or json',
      ],
    },
    {
      name: 'zero interval',
      given: { interval: '0s' },
      problems: ['--interval: "0s" is not a positive duration; use e.g. 500ms, 15s, 1m'],
    },
    {
      name: '--api-addr with --no-api',
      given: { api: false, apiAddr: ':1' },
      problems: ['--api-addr and --no-api cannot be used together'],
    },
    {
      name: 'a malformed --api-addr',
      given: { apiAddr: 'localhost' },
      problems: ['--api-addr: "localhost" is not HOST:PORT (e.g. 127.0.0.1:5000, :8080)'],
    },
    { name: 'an empty namespace', given: { namespace: '' }, problems: ['-n/--namespace: must not be empty'] },
    {
      name: '--sandbox with --context',
      given: { sandbox: true, context: 'prod' },
      problems: [
        '--sandbox runs against an embedded API; it cannot be combined with --kubeconfig or --context',
      ],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      assert.throws(
        () => validateRunFlags('.', row.given),
        (err: unknown) => {
          assert.ok(err instanceof UsageError);
          assert.equal(err.message, `invalid flags for "run":\n  - ${row.problems.join('\n  - ')}`);
          return true;
        },
      );
    });
  }
});

describe('parseHostPort', () => {
  const rows: { given: string; want: ReturnType<typeof parseHostPort> }[] = [
    { given: '0.0.0.0:5000', want: { host: '0.0.0.0', port: 5000 } },
    { given: '[::1]:80', want: { host: '::1', port: 80 } },
    { given: ':0', want: { host: '127.0.0.1', port: 0 } },
    { given: 'h:65536', want: null },
    { given: 'h', want: null },
  ];
  for (const row of rows) test(row.given, () => assert.deepEqual(parseHostPort(row.given), row.want));
});

describe('validateRunFlags: many autoscalers', () => {
  test('several DIRs, the process-wide flags', () => {
    const flags = validateRunFlags(['a', 'b/'], {
      maxHooks: '8',
      takeOver: true,
      leaseDuration: '3s',
      metricsAddr: ':9100',
    });
    assert.deepEqual(
      [flags.dir, flags.dirs, flags.maxHooks, flags.takeOver, flags.leaseMs, flags.metricsAddr],
      ['a', ['a', 'b/'], 8, true, 3000, { host: '127.0.0.1', port: 9100 }],
    );
  });

  test('defaults: one DIR ".", --max-hooks 32, no take-over, lease from the interval', () => {
    const flags = validateRunFlags([], {});
    assert.deepEqual(
      [flags.dirs, flags.maxHooks, flags.takeOver, flags.leaseMs],
      [['.'], 32, false, undefined],
    );
  });

  test('--all PARENT without DIRs', () => {
    const flags = validateRunFlags([], { all: 'autoscalers' });
    assert.deepEqual([flags.all, flags.dirs], ['autoscalers', []]);
  });

  test('--name for one autoscaler', () =>
    assert.equal(validateRunFlags(['a'], { name: 'web-1' }).name, 'web-1'));

  const rows: { name: string; dirs: string[]; given: RawRunFlags; problems: string[] }[] = [
    {
      name: 'flags that name one autoscaler, with several',
      dirs: ['a', 'b'],
      given: { filename: 'x.yaml', target: 'deploy/web', name: 'web' },
      problems: [
        '-f/--filename names one autoscaler; with several, set it in each DIR/config.yaml instead',
        '--target names one autoscaler; with several, set it in each DIR/config.yaml instead',
        '--name names one autoscaler; with several, set it in each DIR/config.yaml instead',
      ],
    },
    {
      name: '--all with DIRs, and a DIR given twice',
      dirs: ['a', 'a/'],
      given: { all: 'p' },
      problems: [
        '--all PARENT runs every autoscaler under PARENT; it cannot be combined with DIR arguments',
        'DIR "a/" is given twice',
      ],
    },
    {
      name: 'bad --name, --max-hooks, --lease-duration and --metrics-addr together',
      dirs: ['a'],
      given: { name: 'no spaces', maxHooks: '0', leaseDuration: '500ms', metricsAddr: 'nope' },
      problems: [
        '--name: "no spaces" must be letters, digits, ".", "_" and "-" (at most 63, alphanumeric at both ends)',
        '--max-hooks: "0" must be an integer from 1 to 10000',
        '--lease-duration: "500ms" must be a duration of at least 1s, e.g. 90s',
        '--metrics-addr: "nope" is not HOST:PORT (e.g. 127.0.0.1:9100, :9100)',
      ],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      assert.throws(
        () => validateRunFlags(row.dirs, row.given),
        (err: unknown) => {
          assert.ok(err instanceof UsageError);
          assert.equal(err.message, `invalid flags for "run":\n  - ${row.problems.join('\n  - ')}`);
          return true;
        },
      );
    });
  }
});
