// Unknown commands get kubectl's wording and a "did you mean": typos, prefixes, and kubectl's own verbs
// (`kubectl cpa get` → status). Before: `describe` and `get` got no suggestion at all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, commandHint, editDistance } from '../../../src/cli/suggest.ts';
import { runCli } from '../status/cli.ts';

const COMMANDS = ['run', 'status', 'logs', 'version', 'completion', 'deploy', 'demo', 'sandbox'];

describe('commandHint', () => {
  const rows: { given: string; want: string | undefined }[] = [
    { given: 'stauts', want: 'did you mean "status"?' },
    { given: 'stat', want: 'did you mean "status"?' },
    { given: 'Status', want: 'did you mean "status"?' },
    { given: 'log', want: 'did you mean "logs"?' },
    { given: 'versoin', want: 'did you mean "version"?' },
    { given: 'get', want: 'did you mean "status"? (status lists autoscalers, like kubectl get hpa)' },
    {
      given: 'describe',
      want: 'did you mean "status"? (status NAME describes one, like kubectl describe hpa)',
    },
    { given: 'apply', want: 'did you mean "deploy"? (deploy installs an autoscaler in the cluster)' },
    { given: 'xyz', want: undefined },
    { given: 'r', want: undefined },
  ];
  for (const row of rows) it(row.given, () => assert.equal(commandHint(row.given, COMMANDS), row.want));
  it('editDistance counts a swap as one edit', () => assert.equal(editDistance('stauts', 'status'), 1));
  it('closest: a prefix, not a far word', () => assert.deepEqual(closest('depl', COMMANDS), ['deploy']));
});

describe('kubectl cpa UNKNOWN', () => {
  it('kubectl cpa get: usage error with the hint', async () => {
    const r = await runCli(['get'], { route: () => undefined });
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'error: unknown command "get" for "kubectl cpa"\nhint: did you mean "status"? (status lists autoscalers, like kubectl get hpa)\n',
    );
  });
});
