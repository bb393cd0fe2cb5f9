// `kubectl cpa logs NAME` for a local `kubectl cpa run`: found through the annotation on its target, the answer
// says who runs it and that its log never reached the cluster, and where the recorded part is. Before: "no
// CustomPodAutoscaler…; use deployment/NAME".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeState } from '../../../src/status/schema.ts';
import { runCli, workloadRoute } from '../status/cli.ts';
import { recorded, workload } from '../status/fixtures.ts';

const route = workloadRoute(
  [workload('Deployment', 'web', { annotation: encodeState(recorded()) })],
  (req) => (req.path.endsWith('/pods') ? { body: { items: [] } } : undefined),
);

describe('logs NAME of a local run', () => {
  for (const name of ['my-autoscaler', 'web'])
    it(`${name}: names the runner and points to status`, async () => {
      const r = await runCli(['logs', name], { route });
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /^error: autoscaler "my-autoscaler" \(target deployment\/web\) is run by `kubectl cpa run` on host laptop \(pid 42\), not in a pod: its log is that process's stderr, which the cluster does not keep\n/,
      );
      assert.match(r.err, /^hint: .*kubectl cpa status deployment\/web -n team-a$/m);
    });
  it('a name nothing knows keeps the not-found answer', async () => {
    const r = await runCli(['logs', 'nothing'], { route });
    assert.match(r.err, /not found in namespace "team-a"/);
  });
});
