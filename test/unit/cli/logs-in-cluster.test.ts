// `kubectl cpa logs NAME` for an autoscaler `kubectl cpa deploy` runs: found through the annotation on its
// target, whose claim names the leader pod; the answer points at that pod's log, not at a laptop's stderr.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeState } from '../../../src/status/schema.ts';
import { runCli, workloadRoute } from '../status/cli.ts';
import { recorded, workload } from '../status/fixtures.ts';

const claim = {
  holder: { name: 'my-autoscaler', host: 'cpa-5d8f9-aaaaa', pid: 1, pod: 'cpa-5d8f9-aaaaa' },
  renewTime: '2025-03-01T10:00:00.000Z',
  leaseMs: 60_000,
};
const route = workloadRoute(
  [workload('Deployment', 'web', { annotation: encodeState(recorded({ claim })) })],
  (req) => (req.path.endsWith('/pods') ? { body: { items: [] } } : undefined),
);

describe('logs NAME of a deployed autoscaler', () => {
  it('names the leader pod and how to read its log', async () => {
    const r = await runCli(['logs', 'my-autoscaler'], { route });
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^error: autoscaler "my-autoscaler" \(target deployment\/web\) runs in pod cpa-5d8f9-aaaaa \(deployed by kubectl cpa deploy; the leader when it last recorded\)\n/,
    );
    assert.match(
      r.err,
      /^hint: its log is that pod's: kubectl cpa logs pod\/cpa-5d8f9-aaaaa -n NAMESPACE \(the namespace deploy used\)$/m,
    );
  });
});
