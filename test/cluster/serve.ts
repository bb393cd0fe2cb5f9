// The background supervisor behind `npm run cluster:up`: starts the cluster, publishes `.cluster/cluster.json`
// once it is ready, and tears everything down on SIGTERM (cluster:down) or when a component crashes.
// The components die with this process (parent-death signal), so killing it never leaves strays behind.
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { startCluster, stopCluster } from './harness.ts';
import type { ClusterInfo } from './harness.ts';
import { clusterPaths } from './paths.ts';

let info: ClusterInfo | undefined;
let stopping = false;

function say(line: string): void {
  console.error(`[${new Date().toISOString()}] ${line}`);
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    rmSync(clusterPaths.clusterJson, { force: true });
    rmSync(clusterPaths.kubeconfig, { force: true });
    if (info) await stopCluster(info);
    say(`cluster stopped (exit ${code})`);
  }
  process.exit(code);
}

function publish(cluster: ClusterInfo): void {
  copyFileSync(cluster.adminKubeconfig, clusterPaths.kubeconfig);
  const published = { ...cluster, pids: { supervisor: process.pid, ...cluster.pids } };
  // Write-then-rename: up.ts and the tests treat the file's existence as "ready", so it must never be partial.
  const tmp = `${clusterPaths.clusterJson}.tmp`;
  writeFileSync(tmp, JSON.stringify(published, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, clusterPaths.clusterJson);
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    say(`${signal} received`);
    void shutdown(0);
  });
}

try {
  info = await startCluster({
    dir: clusterPaths.runDir,
    log: say,
    onCrash: (name, how) => {
      say(`${name} exited unexpectedly: ${how}`);
      void shutdown(1);
    },
  });
  if (!stopping) publish(info);
  // The child handles keep the event loop alive; this timer makes that explicit.
  setInterval(() => {}, 1 << 30);
} catch (err) {
  say(`error: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}
