// The per-pod row of the side-by-side bench (issue 11): one Deployment of 100 pods in the sandbox, a metric
// that sleeps 100 ms per pod (`sleep 0.1`), and the wall time of a cycle (tick → decision line) of the Go CPA
// (pods one after another) and of kubectl-cpa (metricConcurrency 10, its default, and 100). Goal: ≥ 10×
// faster than the Go CPA.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './peer-report.ts';
import { Runner, wallMs, type RunnerSpec } from './peer-runner.ts';
import { writeServiceAccount, type Credentials } from './peer-setup.ts';
import { deployment, send } from './sandbox-procs.ts';

export const PODS = 100;
const NAME = 'cpa-bench-pods';

/** What the row needs of the bench: the programs and the server with the kubeconfig for ours. */
export interface PodsInput {
  go: string;
  launcher: string;
  server: Credentials & { kubeconfig: string };
  work: string;
  baseEnv: Record<string, string>;
}

/** Median wall ms per cycle of each autoscaler, by label. */
export type PodsRow = { label: string; wallMs: number; cycles: number }[];

function configYaml(o: { namespace: string; intervalMs: number; concurrency?: number }): string {
  const sh = (script: string): string =>
    `{type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(script)}]}}`;
  return [
    `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${NAME}}`,
    `namespace: ${o.namespace}`,
    'runMode: per-pod',
    `interval: ${o.intervalMs}`,
    'startTime: 1000',
    'logVerbosity: 0',
    'minReplicas: 1',
    `maxReplicas: ${PODS * 2}`,
    'apiConfig: {enabled: false}',
    ...(o.concurrency === undefined ? [] : [`metricConcurrency: ${o.concurrency}`]),
    `metric: ${sh('cat >/dev/null; sleep 0.1; echo 1')}`,
    `evaluate: ${sh(`cat >/dev/null; echo '{"targetReplicas": ${PODS}}'`)}`,
    '',
  ].join('\n');
}

/** Creates the Deployment and waits until the sandbox runs its 100 pods (at most 60 s). */
async function hundredPods(server: Credentials): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  try {
    const ns = server.namespace;
    const created = await send(
      server,
      agent,
      'POST',
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      deployment(NAME, PODS),
      'application/json',
    );
    if (created.status !== 201) throw new Error(`creating deployment ${NAME}: HTTP ${created.status}`);
    for (let i = 0; i < 120; i++) {
      const pods = await send(
        server,
        agent,
        'GET',
        `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${NAME}`,
      );
      const items = (JSON.parse(pods.text) as { items?: unknown[] }).items ?? [];
      if (items.length >= PODS) return;
      await sleep(500);
    }
    throw new Error(`the sandbox did not start ${PODS} pods for ${NAME}`);
  } finally {
    agent.destroy();
  }
}

/** Wall time of each cycle: the decision line minus the tick it belongs to (ticks at anchor + k × interval). */
function cycleWalls(r: Runner, intervalMs: number, skip: number): number[] {
  const anchor = Math.floor(r.startLineMs! / 1000) * 1000;
  return r.decisions
    .slice(skip)
    .map((d) => d - (anchor + Math.floor((d - anchor) / intervalMs) * intervalMs));
}

async function measure(
  spec: RunnerSpec,
  intervalMs: number,
  warmup: number,
  cycles: number,
): Promise<number[]> {
  const r = new Runner(spec, { warmup, measured: cycles });
  try {
    await r.started;
    await Promise.race([r.done, sleep((cycles + 3) * intervalMs + 5000)]);
  } finally {
    await r.stop();
  }
  for (const problem of r.problems) process.stderr.write(`bench: ${spec.label}: ${problem}\n`);
  return cycleWalls(r, intervalMs, warmup);
}

/** Runs the Go CPA, then kubectl-cpa at concurrency 10 and 100, against 100 pods; median wall per cycle. */
export async function perPodRow(p: PodsInput): Promise<PodsRow> {
  await hundredPods(p.server);
  const row: PodsRow = [];
  // Go's interval is far above its ~10.5 s cycle even on a loaded machine (a cycle longer than the interval
  // would be read against the wrong tick); its first cycle is measured, as nothing warms up in a Go binary.
  const runs: [string, 'go' | 'ours', number, number | undefined, number, number][] = [
    ['Go CPA', 'go', 30_000, undefined, 0, 1],
    ['launcher, concurrency 10', 'ours', 4_000, 10, 1, 3],
    ['launcher, concurrency 100', 'ours', 4_000, 100, 1, 3],
  ];
  for (const [label, dialect, intervalMs, concurrency, warmup, cycles] of runs) {
    const dir = join(p.work, `pods-${row.length}`);
    mkdirSync(dir);
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, configYaml({ namespace: p.server.namespace, intervalMs, concurrency }));
    const sa = dialect === 'go' ? writeServiceAccount(p.server) : undefined;
    const env = {
      ...p.baseEnv,
      HOME: dir,
      ...(sa ? { ...sa.env, configPath } : { KUBECONFIG: p.server.kubeconfig }),
    };
    const spec: RunnerSpec = {
      label,
      dialect,
      file: dialect === 'go' ? p.go : p.launcher,
      args: dialect === 'go' ? [] : ['run', dir],
      env,
      records: join(dir, 'records'),
    };
    const started = wallMs();
    try {
      const walls = await measure(spec, intervalMs, warmup, cycles);
      row.push({ label, wallMs: median(walls), cycles: walls.length });
    } finally {
      sa?.remove();
    }
    process.stderr.write(`bench: per-pod ${label} took ${((wallMs() - started) / 1000).toFixed(0)} s\n`);
  }
  return row;
}

/** The row's lines: each wall time, and for ours how many times faster than the Go CPA (goal ≥ 10×). */
export function renderPods(row: PodsRow): string[] {
  const go = row.find((r) => r.label === 'Go CPA');
  const lines = [
    `Per-pod, ${PODS} pods, metric \`sleep 0.1\` (sandbox): cycle wall time, tick → decision line, median`,
  ];
  for (const r of row) {
    const speedup = go && r !== go ? `  ${(go.wallMs / r.wallMs).toFixed(1)}× faster (goal ≥ 10×)` : '';
    lines.push(
      `  ${r.label.padEnd(28)} ${(r.wallMs / 1000).toFixed(2).padStart(7)} s  (${r.cycles} cycles)${speedup}`,
    );
  }
  return lines;
}
