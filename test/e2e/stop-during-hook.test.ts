// SIGTERM (or Ctrl-C) while a hook runs ends the cycle as Stopped, not as a failure: after a good cycle, a
// stopped one leaves the record's failure count at 0, no lastError, and no FailedComputeMetrics Event on the
// target. Before: `FailedComputeMetrics "cancelled"`, ScalingActive False, consecutive failures 1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { useCluster } from '../support/cluster.ts';
import { jsonEvents, shellProject, startCpa } from '../support/cpa.ts';

// The metric answers at once in the first cycle, then hangs (a marker file tells the cycles apart).
const CONFIG = (marker: string) => `
runMode: per-resource
minReplicas: 1
maxReplicas: 5
interval: 1000
metric: {type: shell, timeout: 60000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; if [ -e ${marker} ]; then sleep 30; fi; touch ${marker}; echo 2"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 2}'"]}}
`;

describe('a shutdown during a hook', () => {
  let cluster: TestCluster;
  let ns: string;
  const project = shellProject('');
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('stop-hook');
    await cluster.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}}\n',
      ns,
    );
  });
  after(() => project.cleanup());

  it('is recorded as Stopped: no failure count, no error, no failure Event', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${project.dir}/config.yaml`, CONFIG(`${project.dir}/seen`));
    const run = startCpa(
      cluster,
      [
        'run',
        project.dir,
        '--target',
        'deployment/web',
        '-n',
        ns,
        '--log-format',
        'json',
        '-v',
        '4',
        '--no-api',
      ],
      { kubeconfig: cluster.adminKubeconfig },
    );
    // The second cycle's metric call is under way (and hangs): stop now.
    await cluster.waitFor(
      () => jsonEvents(run.stderr()).filter((e) => /^calling metric/.test(String(e['message']))).length >= 2,
      30_000,
      'the second metric call',
    );
    const code = await run.stop();
    const events = jsonEvents(run.stderr());
    assert.equal(code, 0, run.stderr());
    assert.ok(events.some((e) => /cycle stopped during metric: shutting down/.test(String(e['message']))));
    assert.ok(!events.some((e) => e['event'] === 'cycle-error'), run.stderr());
    const web = JSON.parse((await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).body);
    const record = JSON.parse(web.metadata.annotations['kubectl-cpa.io/status']);
    assert.deepEqual([record.consecutiveFailures, record.lastError], [0, undefined]);
    const list = JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/events`)).body);
    assert.deepEqual(
      (list.items as { reason: string }[]).filter((e) => e.reason.startsWith('Failed')).map((e) => e.reason),
      [],
    );
  });
});
