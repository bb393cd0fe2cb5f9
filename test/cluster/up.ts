// `npm run cluster:up`: starts the test control plane in a detached supervisor (serve.ts) that outlives this
// command, follows its progress on stderr, and prints the admin kubeconfig path on stdout once it is ready.
// Idempotent: a healthy running cluster is reused; a stale one is stopped first.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterInfo } from './harness.ts';
import { stopCluster } from './harness.ts';
import { apiRequest } from './http.ts';
import { clusterPaths } from './paths.ts';
import { commandLine, isAlive, stopPid } from './procs.ts';

// A cold build of the binaries takes 20+ minutes on 2 cores; this only guards against a hung supervisor.
const HANG_GUARD_MS = 90 * 60_000;

async function healthy(info: ClusterInfo): Promise<boolean> {
  const supervisor = info.pids['supervisor'];
  if (supervisor === undefined || !commandLine(supervisor).includes(clusterPaths.serveScript)) return false;
  try {
    const target = { server: info.server, caFile: info.caFile, token: info.adminToken };
    return (await apiRequest(target, 'GET', '/readyz', undefined, 5000)).status === 200;
  } catch {
    return false;
  }
}

/** Stops whatever a previous run left behind, so a new cluster starts from an empty directory. */
async function clearStale(info: ClusterInfo): Promise<void> {
  const supervisor = info.pids['supervisor'];
  if (supervisor !== undefined && commandLine(supervisor).includes(clusterPaths.serveScript)) {
    await stopPid(supervisor, 30_000);
  }
  await stopCluster(info);
}

function readInfo(): ClusterInfo | undefined {
  if (!existsSync(clusterPaths.clusterJson)) return undefined;
  return JSON.parse(readFileSync(clusterPaths.clusterJson, 'utf8')) as ClusterInfo;
}

/** Copies what the supervisor appended to its log since `offset` to our stderr; returns the new offset. */
function follow(offset: number): number {
  const fd = openSync(clusterPaths.supervisorLog, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (
      let n = readSync(fd, buffer, 0, buffer.length, offset);
      n > 0;
      n = readSync(fd, buffer, 0, buffer.length, offset)
    ) {
      process.stderr.write(buffer.subarray(0, n));
      offset += n;
    }
    return offset;
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<number> {
  const existing = readInfo();
  if (existing && (await healthy(existing))) {
    process.stderr.write(`cluster already running at ${existing.server}\n`);
    process.stdout.write(`${existing.adminKubeconfig}\n`);
    return 0;
  }
  if (existing) await clearStale(existing);
  rmSync(clusterPaths.clusterJson, { force: true });
  rmSync(clusterPaths.runDir, { recursive: true, force: true });
  mkdirSync(dirname(clusterPaths.supervisorLog), { recursive: true });
  const logFd = openSync(clusterPaths.supervisorLog, 'a');
  const supervisor = spawn(process.execPath, [clusterPaths.serveScript], {
    cwd: clusterPaths.root,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  supervisor.unref();
  let offset = 0;
  for (const end = Date.now() + HANG_GUARD_MS; Date.now() < end; await sleep(500)) {
    offset = follow(offset);
    const info = readInfo();
    if (info) {
      process.stderr.write(`cluster up; use it with: export KUBECONFIG=${clusterPaths.kubeconfig}\n`);
      process.stdout.write(`${info.adminKubeconfig}\n`);
      return 0;
    }
    if (supervisor.exitCode !== null || !isAlive(supervisor.pid ?? 0)) {
      follow(offset);
      process.stderr.write(
        `error: the cluster failed to start; logs in ${dirname(clusterPaths.supervisorLog)}\n`,
      );
      return 1;
    }
  }
  process.stderr.write(
    `error: the cluster was not ready after ${HANG_GUARD_MS / 60_000} min; run npm run cluster:down\n`,
  );
  return 1;
}

process.exitCode = await main();
