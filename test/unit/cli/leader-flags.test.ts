import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateLeaderFlags, type RawLeaderFlags } from '../../../src/cli/leader-flags.ts';

describe('validateLeaderFlags', () => {
  const rows: { name: string; given: RawLeaderFlags; want: unknown; problems?: RegExp[] }[] = [
    { name: 'without --leader-elect: no election', given: {}, want: undefined },
    {
      name: "--leader-elect: kube-controller-manager's timing, Lease kubectl-cpa in the context namespace",
      given: { leaderElect: true },
      want: {
        name: 'kubectl-cpa',
        namespace: undefined,
        durationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
    },
    {
      name: 'tuned for a test',
      given: {
        leaderElect: true,
        leaderElectResourceName: 'cpa',
        leaderElectResourceNamespace: 'ops',
        leaderElectLeaseDuration: '3s',
        leaderElectRenewDeadline: '2s',
        leaderElectRetryPeriod: '500ms',
      },
      want: { name: 'cpa', namespace: 'ops', durationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
    },
    {
      name: 'tuning without --leader-elect is a mistake',
      given: { leaderElectResourceName: 'cpa' },
      want: undefined,
      problems: [/need --leader-elect/],
    },
    {
      name: 'a renew deadline not shorter than the lease, a bad duration and a bad name are all reported',
      given: {
        leaderElect: true,
        leaderElectRenewDeadline: '20s',
        leaderElectRetryPeriod: 'soon',
        leaderElectResourceName: 'A_B',
      },
      want: undefined,
      problems: [/renew-deadline must be shorter/, /retry-period: "soon"/, /resource-name: "A_B"/],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const problems: string[] = [];
      const got = validateLeaderFlags(row.given, problems);
      if (row.problems)
        for (const p of row.problems)
          assert.ok(
            problems.some((x) => p.test(x)),
            `${p} in ${problems.join('; ')}`,
          );
      else {
        assert.deepEqual(problems, []);
        assert.deepEqual(got, row.want);
      }
    });
  }
});
