// `kubectl cpa demo --example cpu` on a fresh machine (built binary, no cluster): examples/cpu-utilization
// against the sandbox's metrics.k8s.io; the load rises, 2 → 9 by the HPA formula, and the pods still
// starting are left out instead of pushing the autoscaler to maxReplicas.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { cpaBinary, repoRoot } from '../support/cpa.ts';

function demo(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cpaBinary, ['demo', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('demo --example cpu (built binary)', { timeout: 120_000 }, () => {
  it('scales 2 → 9 by CPU and settles there, new pods ignored while starting', () => {
    const r = demo(['--example', 'cpu']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /deployment\/default\/php-apache 2 replicas \(evaluation 2; no change\)/);
    assert.match(r.stderr, /the load rises to 900m/);
    assert.match(r.stderr, /deployment\/default\/php-apache 2 → 9 replicas \(evaluation 9; scaled\)/);
    assert.match(r.stderr, /within cpuInitializationPeriod, their samples ignored/);
    assert.doesNotMatch(r.stderr, /9 → 10 replicas/);
    assert.match(r.stdout, /^NAME +REFERENCE .*\ncpu-utilization +Deployment\/php-apache +9 /);
  });

  it('an unknown example is a usage error naming the choices', () => {
    const r = demo(['--example', 'memory']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--example: "memory" is not one of hello, cpu/);
  });
});
