// `kubectl cpa status`: options → validate → connect → collect (lists) → items → render; `--watch` polls.
import type { Command } from 'commander';
import { CpaError, describeError } from '../errors.ts';
import { kubeClientOver } from '../kube/client.ts';
import type { CpaKubeClient, Deps } from '../ports.ts';
import { validateStatusFlags, type RawStatusFlags, type StatusFlags } from '../status/flags.ts';
import { render, type View } from '../status/render.ts';
import { watchFrame, type Seen } from '../status/render-watch.ts';
import { logReader, snapshot, traceRequests } from '../status/snapshot.ts';
import { addKubeFlags, kubeOptions } from './kube-flags.ts';
import type { CommandState } from './state.ts';

/** Polling period of `--watch` (the issue's bound: at most 2 s, never a tight loop). */
const WATCH_PERIOD_MS = 2000;

const HELP_AFTER = `
Shows autoscalers from two sources: workloads (Deployment, StatefulSet, ReplicaSet, ReplicationController)
carrying the kubectl-cpa.io/status annotation that \`kubectl cpa run\` records (SOURCE annotations; in-cluster
when a pod of \`kubectl cpa deploy\` records it, its LEADER the pod), and CustomPodAutoscaler objects of the
CPA operator, read from their pod's log (SOURCE logs).

STATUS: Active, Stale (no cycle for 3 intervals), Failing(N) (N cycles failed in a row), Disabled (target at
0 replicas with minReplicas > 0), Paused, NoPod (a CustomPodAutoscaler without pod), Unknown (log unreadable),
<invalid annotation: FIELD> (the annotation is malformed; \`status NAME\` lists every field that is wrong).

Columns as kubectl get hpa: NAME, REFERENCE, LAST EVALUATION, MINPODS, MAXPODS, REPLICAS, AGE (since the
first record); -o wide adds LAST SCALE, STATUS, SOURCE, HELD BY, LEADER. -o jsonpath and -o custom-columns take kubectl's
templates over the -o json document (the item itself for NAME with one result).

Examples:
  kubectl cpa status -A
  kubectl cpa status my-autoscaler -n team-a        # detail view: decision chain, conditions, Events
  kubectl cpa status widget/w1                      # the record on any object, CRDs included
  kubectl cpa status -A -o jsonpath='{range .items[?(@.state!="Active")]}{.name}{"\n"}{end}'
  kubectl cpa status -o custom-columns=NAME:.name,ERROR:.lastError.message
  kubectl cpa status -w --output-watch-events
`;

/** Registers `status [NAME]`. */
export function registerStatus(program: Command, deps: Deps, state: CommandState): void {
  const command = program
    .command('status')
    .description('Show what each autoscaler decided last, and why')
    .argument(
      '[NAME]',
      "autoscaler name, its target's name, or TYPE/NAME of the annotated object: detail view",
    );
  addKubeFlags(command, {
    namespace: 'namespace (default: the kubeconfig context namespace)',
    allNamespaces: 'list autoscalers in all namespaces',
  })
    .option(
      '-o, --output <FORMAT>',
      'table, wide, json, yaml, name, jsonpath=TEMPLATE or custom-columns=HEADER:PATH,...',
      'table',
    )
    .option(
      '-w, --watch',
      'after the answer, print one line per autoscaler that changes (like kubectl get -w)',
    )
    .option('--output-watch-events', 'with --watch: print ADDED, MODIFIED or DELETED before each line')
    .option('-l, --selector <SELECTOR>', 'label selector for the workloads and CustomPodAutoscalers')
    .option('--log-lines <N>', 'lines read from the end of each autoscaler pod log', '500')
    .option('-v, --v <N>', 'verbosity; 6 or more logs every API call to stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (name: string | undefined, raw: RawStatusFlags) => {
      state.exitCode = await status(deps, validateStatusFlags(name, raw));
    });
}

/** The whole command; returns the exit code. */
async function status(deps: Deps, flags: StatusFlags): Promise<number> {
  const kube = await deps.connectKube(kubeOptions(flags));
  try {
    const request = flags.verbosity >= 6 ? traceRequests(kube.client.request, deps) : kube.client.request;
    const client: CpaKubeClient = flags.verbosity >= 6 ? kubeClientOver(request) : kube.client;
    const namespace = flags.allNamespaces ? null : (flags.namespace ?? kube.namespace);
    const readLog = logReader(kube.client, request, flags, deps);
    const answer = (): Promise<View> => snapshot(deps, client, readLog, flags, namespace);
    if (flags.watch) return await watch(deps, answer, flags, namespace);
    const view = await answer();
    if (view.items.length === 0) return nothingFound(deps, flags, namespace, view);
    deps.out.write(render(view));
    return 0;
  } finally {
    kube.client.close();
  }
}

/** kubectl's wording for an empty answer; a NAME that matches nothing is an error. */
function nothingFound(deps: Deps, flags: StatusFlags, namespace: string | null, view: View): number {
  const where = namespace === null ? '' : ` in namespace "${namespace}"`;
  if (flags.name !== undefined) {
    throw new CpaError(`no autoscaler named "${flags.name}" found${where}`, {
      hint: 'list them with `kubectl cpa status -A`',
    });
  }
  // Data formats answer an empty list as kubectl does: the empty document, the template over it, the header.
  if (['json', 'yaml', 'jsonpath', 'custom-columns'].includes(flags.output)) deps.out.write(render(view));
  else deps.err.write(`No autoscalers found${namespace === null ? '' : ` in ${namespace} namespace`}.\n`);
  return 0;
}

/** Polls every WATCH_PERIOD_MS until SIGINT/SIGTERM; a failed poll is a warning, the next one retries. */
async function watch(
  deps: Deps,
  answer: () => Promise<View>,
  flags: StatusFlags,
  namespace: string | null,
): Promise<number> {
  const abort = new AbortController();
  const unregister = deps.onShutdownSignal(() => abort.abort());
  let seen: Seen | null = null;
  try {
    while (!abort.signal.aborted) {
      try {
        const view = await answer();
        if (seen === null && view.items.length === 0 && flags.name === undefined)
          deps.err.write(`No autoscalers found${namespace === null ? '' : ` in ${namespace} namespace`}.\n`);
        const frame = watchFrame(seen, view, flags.outputWatchEvents);
        deps.out.write(frame.text);
        seen = frame.seen;
      } catch (err) {
        if (!(err instanceof CpaError)) throw err;
        deps.err.write(`warning: ${describeError(err)}\n`);
      }
      await deps.clock.sleep(WATCH_PERIOD_MS, abort.signal);
    }
    return 0;
  } finally {
    unregister();
  }
}
