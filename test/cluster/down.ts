// `npm run cluster:down`: stops the cluster described by `.cluster/cluster.json` (or $CPA_E2E_CLUSTER).
// The supervisor stops its components itself; whatever survives it is killed by pid afterwards.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ClusterInfo } from './harness.ts';
import { stopCluster } from './harness.ts';
import { clusterPaths } from './paths.ts';
import { commandLine, stopPid } from './procs.ts';

async function main(): Promise<number> {
  const file = process.env['CPA_E2E_CLUSTER'] ?? clusterPaths.clusterJson;
  if (!existsSync(file)) {
    process.stderr.write(`no cluster is running (${file} does not exist)\n`);
    return 0;
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
  const { supervisor, ...components } = info.pids;
  // Match the command line too: a pid from an old file may belong to an unrelated process by now.
  if (supervisor !== undefined && commandLine(supervisor).includes(clusterPaths.serveScript)) {
    await stopPid(supervisor, 30_000);
  }
  await stopCluster({ ...info, pids: components });
  rmSync(file, { force: true });
  if (file === clusterPaths.clusterJson) rmSync(clusterPaths.kubeconfig, { force: true });
  process.stderr.write(`cluster stopped; logs kept in ${info.logsDir}\n`);
  return 0;
}

process.exitCode = await main();
