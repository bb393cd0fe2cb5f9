// `kubectl cpa logs NAME` for an autoscaler that `kubectl cpa run` runs on someone's machine: there is no pod,
// and its log is that process's stderr, which the cluster never sees. The annotation on its target says who
// runs it (host, pid); this says so, and where the part the cluster does keep can be read. For an autoscaler
// of `kubectl cpa deploy` the annotation names the leader pod instead, whose log is the one to read. Pure.
import { CpaError } from '../errors.ts';
import type { AutoscalerStatus } from '../status/model.ts';

/** The annotated autoscaler `name` names (run locally or by deployed pods): its own name first, else its target's. */
export function findLocalRun(items: readonly AutoscalerStatus[], name: string): AutoscalerStatus | undefined {
  const local = items.filter((i) => i.source !== 'logs');
  return local.find((i) => i.name === name) ?? local.find((i) => i.target.name === name);
}

/** The error `logs` ends with for a local run: what it cannot show, and what shows the rest. */
export function localRunError(item: AutoscalerStatus, namespace: string, thisHost: string): CpaError {
  if (item.source === 'in-cluster') return inClusterError(item);
  const runner = item.runner;
  const where =
    runner === null
      ? 'by `kubectl cpa run` outside the cluster'
      : `by \`kubectl cpa run\` on ${runner.host === thisHost ? 'this machine' : `host ${runner.host}`} (pid ${runner.pid})`;
  const target = `${item.target.kind.toLowerCase()}/${item.target.name}`;
  return new CpaError(
    `autoscaler "${item.name}" (target ${target}) is run ${where}, not in a pod: its log is that process's stderr, which the cluster does not keep`,
    {
      hint: `the cluster keeps its last cycle (decision, error) and the target's Events: kubectl cpa status ${target} -n ${namespace}`,
    },
  );
}

/**
 * The error for an autoscaler a deployed pod runs: its log is the leader pod's. The claim names the pod but
 * not its namespace (the installation's, which may differ from the target's), so the hint leaves it to fill.
 */
function inClusterError(item: AutoscalerStatus): CpaError {
  const target = `${item.target.kind.toLowerCase()}/${item.target.name}`;
  const pod = item.leader ?? '<unknown>';
  return new CpaError(
    `autoscaler "${item.name}" (target ${target}) runs in pod ${pod} (deployed by kubectl cpa deploy; the leader when it last recorded)`,
    { hint: `its log is that pod's: kubectl cpa logs pod/${pod} -n NAMESPACE (the namespace deploy used)` },
  );
}
