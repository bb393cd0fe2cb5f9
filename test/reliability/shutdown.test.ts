// Shutdown while the API server hangs: SIGINT must end `kubectl cpa run` promptly even when every request in
// flight will never be answered (before: about 93 s — each call waited for its 30 s timeout, then the
// failure's Event write waited another 30 s).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { autoscalerDir, startCpa } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

let sandbox: TestSandbox;
let proxy: FaultProxy;

before(async () => {
  sandbox = await startTestSandbox();
  proxy = await startFaultProxy(sandbox.address);
});
after(async () => {
  await proxy?.close();
  await sandbox?.close();
});

const CONFIG = `
scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: hang }
namespace: default
interval: 500
metric: { type: shell, timeout: 2000, shell: { entrypoint: /bin/sh, command: ["-c", "echo 1"] } }
evaluate:
  type: shell
  timeout: 2000
  shell: { entrypoint: /bin/sh, command: ["-c", "echo '{\\"targetReplicas\\": 2}'"] }
`;

for (const signals of [1, 2]) {
  test(`SIGINT ×${signals} while the API server is a black hole ends run within a few seconds`, async () => {
    const name = 'hang';
    if (signals === 1) await sandbox.createDeployment(name, 1);
    proxy.setMode('pass');
    const dir = autoscalerDir({ 'config.yaml': CONFIG });
    const run = startCpa(['run', dir, '--no-api', '--log-format', 'json'], {
      KUBECONFIG: sandbox.kubeconfig(proxy.address),
    });
    try {
      await run.waitForLine((l) => l.includes('"decision"'), 20_000, 'the first decision');
      proxy.setMode('blackhole');
      // Let the next cycles start and hang on their first request.
      await new Promise((r) => setTimeout(r, 1_500));
      const sentAt = Date.now();
      for (let i = 0; i < signals; i++) {
        run.child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 100));
      }
      const ended = await Promise.race([
        run.exited(),
        new Promise<null>((r) => setTimeout(() => r(null), 20_000)),
      ]);
      assert.ok(ended !== null, `run still running 20 s after SIGINT; stderr:\n${run.output().stderr}`);
      const tookMs = ended.atMs - sentAt;
      // Generous bound against a hang: the grace for calls in flight is 2 s; before the fix this took ~93 s.
      assert.ok(tookMs < 8_000, `exit took ${tookMs} ms`);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
}
