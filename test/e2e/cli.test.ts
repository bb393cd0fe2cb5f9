// The CLI through real kubectl plugin dispatch: version, help, exit codes for usage and config errors;
// with the real cluster's kubeconfig and with the sandbox's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { clusterKinds, useClusterOf } from '../support/clusters.ts';
import { kubectlCpa } from '../support/cpa.ts';

for (const kind of clusterKinds())
  describe(`kubectl cpa through plugin dispatch (${kind})`, () => {
    let cluster: TestCluster;
    const dir = mkdtempSync(join(tmpdir(), 'cpa-cli-'));
    before(async () => {
      cluster = await useClusterOf(kind);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[]) => kubectlCpa(cluster, args, { kubeconfig: cluster.adminKubeconfig });

    it('`kubectl cpa version` prints the version', async () => {
      const result = await run(['version']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /^kubectl-cpa version \d+\.\d+\.\d+ /);
    });

    it('`kubectl cpa --help` names the program `kubectl cpa` and lists the commands', async () => {
      const result = await run(['--help']);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, /Usage: kubectl cpa /);
      assert.match(result.stdout, /run \[options\] \[DIR...\]/);
    });

    it('an unknown flag is a usage error (exit 2)', async () => {
      const result = await run(['run', '--no-such-flag']);
      assert.equal(result.exitCode, 2);
      assert.match(result.stderr, /unknown option '--no-such-flag'/);
    });

    it('an invalid config exits 1 and lists every problem with its position', async () => {
      writeFileSync(join(dir, 'config.yaml'), 'interval: 0\nmetric: {type: shell}\nrunMode: sideways\n');
      const result = await run(['run', dir, '--once']);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /interval \(.*config\.yaml:1:\d+\)/);
      assert.match(result.stderr, /runMode \(.*config\.yaml:3:\d+\).*sideways/);
      assert.match(result.stderr, /evaluate.*required/);
    });

    it('`completion bash` prints a script that bash accepts', async () => {
      const result = await run(['completion', 'bash']);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, /complete -F _kubectl_cpa kubectl-cpa/);
      const check = spawnSync('bash', ['-n'], { input: result.stdout, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stderr);
    });
  });
