// The sandbox's performance figures for `npm run bench`: start to ready (in process, and the built binary's
// `sandbox` command until it prints its kubeconfig), a GET + PATCH of a scale subresource over HTTPS
// keep-alive on loopback against a sandbox in its own process, and resident memory with 1,000 Deployments ×
// 10 pods (in a child process). References measured in the same run (a bare node:https server, `kubectl-cpa
// version`) say what the machine allows. Run alone: `node bench/sandbox.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../src/sandbox/server/server.ts';
import { sandboxDeps } from '../test/support/sandbox-deps.ts';
import {
  IDLE_MS,
  clock,
  cliStartToReady,
  deployment,
  median,
  memory,
  percentile,
  referenceRoundTrip,
  send,
  separateSandbox,
  versionStart,
  type Target,
} from './sandbox-procs.ts';

/** One measured figure. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
}

/** Median ms from calling startSandbox to the first answered request. */
async function startToReady(rounds: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const sb = await startSandbox(sandboxDeps(clock));
    const agent = new Agent({ keepAlive: false });
    await send(sb, agent, 'GET', '/api');
    agent.destroy();
    samples.push(performance.now() - started);
    await sb.close();
  }
  return median(samples);
}

/** Waits until the controller has caught up with the last scale (as it has between two kubectl-cpa cycles). */
async function settled(t: Target, agent: Agent): Promise<void> {
  for (;;) {
    const d = await send(t, agent, 'GET', '/apis/apps/v1/namespaces/default/deployments/web');
    const body = JSON.parse(d.text) as {
      metadata: { generation: number };
      spec: { replicas: number };
      status: { observedGeneration?: number; readyReplicas?: number };
    };
    if (
      body.status.observedGeneration === body.metadata.generation &&
      (body.status.readyReplicas ?? 0) === body.spec.replicas
    )
      return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Median and p95 ms of one GET scale + one resourceVersion-guarded PATCH scale over a keep-alive connection
 * to a sandbox in another process, as kubectl-cpa sends them each cycle: replicas alternate, so each PATCH is
 * a real write, and the controller has settled before the next pair, as it has between two cycles.
 */
async function scaleRoundTrip(rounds: number): Promise<{ median: number; p95: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-rt-'));
  const sandbox = await separateSandbox(dir);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const t = sandbox.target;
    const created = await send(
      t,
      agent,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('web', 1),
      'application/json',
    );
    if (created.status !== 201) throw new Error(`creating the Deployment answered ${created.status}`);
    const path = '/apis/apps/v1/namespaces/default/deployments/web/scale';
    const samples: number[] = [];
    for (let i = 0; i < rounds + 20; i++) {
      await settled(t, agent);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const started = performance.now();
      const scale = await send(t, agent, 'GET', path);
      const patch = [
        { op: 'replace', path: '/metadata/resourceVersion', value: scale.rv },
        { op: 'replace', path: '/spec/replicas', value: 1 + (i % 3) },
      ];
      const patched = await send(t, agent, 'PATCH', path, patch, 'application/json-patch+json');
      if (patched.status !== 200) throw new Error(`PATCH scale answered ${patched.status}`);
      if (i >= 20) samples.push(performance.now() - started); // the first rounds warm the JIT up
    }
    return { median: median(samples), p95: percentile(samples, 0.95) };
  } finally {
    agent.destroy();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every sandbox figure, each with its goal; references measured in the same run say what the machine allows. */
export async function benchSandbox(): Promise<BenchResult[]> {
  const start = await startToReady(7);
  const cli = await cliStartToReady(5);
  const version = versionStart(5);
  const trip = await scaleRoundTrip(200);
  const reference = await referenceRoundTrip(200);
  const mem = await memory();
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  const ms = (x: number): number => Math.round(x * 100) / 100;
  return [
    {
      name: 'sandbox start to ready (in process: TLS, store, controller, listening)',
      value: ms(start),
      unit: 'ms',
      goal: '≤ 300 ms',
    },
    {
      name: 'sandbox start to ready (`kubectl-cpa sandbox` in a new process)',
      value: ms(cli),
      unit: 'ms',
      goal: '≤ 300 ms',
    },
    { name: 'reference: `kubectl-cpa version` in a new process', value: ms(version), unit: 'ms' },
    {
      name: 'GET + PATCH scale, median (sandbox in its own process, HTTPS keep-alive, loopback)',
      value: ms(trip.median),
      unit: 'ms',
      goal: '≤ 2 ms',
    },
    { name: 'GET + PATCH scale, p95', value: ms(trip.p95), unit: 'ms' },
    {
      name: 'reference: the same two requests to a bare node:https server',
      value: ms(reference),
      unit: 'ms',
    },
    {
      name: 'GET + PATCH scale: sandbox / bare node:https',
      value: Math.round((trip.median / reference) * 100) / 100,
      unit: '×',
    },
    {
      name: '1,000 deployments × 10 pods: resident memory',
      value: mb(mem.rss),
      unit: 'MB',
      goal: '≤ 150 MB',
    },
    {
      name: '1,000 deployments × 10 pods: JS heap used (after a full GC)',
      value: mb(mem.heapUsed),
      unit: 'MB',
    },
    {
      name: '1,000 deployments × 10 pods: time until all 10,000 pods run',
      value: Math.round(mem.settledMs),
      unit: 'ms',
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchSandbox())
    process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.goal ? ` (goal ${r.goal})` : ''}\n`);
}
