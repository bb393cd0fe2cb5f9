// `kubectl cpa status`: options → validate → connect → collect (lists) → items → render; `--watch` polls.
import type { Command } from 'commander';
import type { Deps } from '../deps.ts';
import { CpaError, describeError } from '../errors.ts';
import { kubeClientOver, type CpaKubeClient } from '../kube/client.ts';
import type { KubeRequester } from '../kube/request.ts';
import { readPodLog } from '../logs/read.ts';
import { summarizeCpaLog } from '../logs/summary.ts';
import { collect, listTargetEvents, type ReadPodLog, type StatusClient } from '../status/collect.ts';
import { eventRows, type EventRow } from '../status/events.ts';
import { useColor, validateStatusFlags, type RawStatusFlags, type StatusFlags } from '../status/flags.ts';
import { buildItems, matchName } from '../status/items.ts';
import type { AutoscalerStatus } from '../status/model.ts';
import { podLogReader } from '../status/pod-log.ts';
import { isDetail, render, watchFrame, type Seen, type View } from '../status/render.ts';
import type { CommandState } from './program.ts';

/** Polling period of `--watch` (the issue's bound: at most 2 s, never a tight loop). */
const WATCH_PERIOD_MS = 2000;
const DETAIL_EVENTS = 10;

const HELP_AFTER = `
Shows autoscalers from two sources: workloads (Deployment, StatefulSet, ReplicaSet, ReplicationController)
carrying the kubectl-cpa.io/status annotation that \`kubectl cpa run\` records (SOURCE annotations), and
CustomPodAutoscaler objects of the CPA operator, read from their pod's log (SOURCE logs).

STATUS: Active, Stale (no cycle for 3 intervals), Failing(N) (N cycles failed in a row), Disabled (target at
0 replicas with minReplicas > 0), Paused, NoPod (a CustomPodAutoscaler without pod), Unknown (log unreadable),
<invalid annotation: FIELD> (the annotation is malformed; \`status NAME\` lists every field that is wrong).

Examples:
  kubectl cpa status -A
  kubectl cpa status my-autoscaler -n team-a        # detail view: decision chain, conditions, Events
  kubectl cpa status -o json | jq '.items[] | select(.state != "Active")'
  kubectl cpa status -w
`;

/** Registers `status [NAME]`. */
export function registerStatus(program: Command, deps: Deps, state: CommandState): void {
  program
    .command('status')
    .description('Show what each autoscaler decided last, and why')
    .argument('[NAME]', 'autoscaler name (or the name of its target): shows the detail view')
    .option('-n, --namespace <NS>', 'namespace (default: the kubeconfig context namespace)')
    .option('-A, --all-namespaces', 'list autoscalers in all namespaces')
    .option('-o, --output <FORMAT>', 'table, wide, json, yaml or name', 'table')
    .option('-w, --watch', 'keep watching: redraw on a terminal, append changed rows when piped')
    .option('-l, --selector <SELECTOR>', 'label selector for the workloads and CustomPodAutoscalers')
    .option('--kubeconfig <FILE>', 'path to the kubeconfig file to use')
    .option('--context <NAME>', 'kubeconfig context to use')
    .option('--log-lines <N>', 'lines read from the end of each autoscaler pod log', '500')
    .option('-v, --v <N>', 'verbosity; 6 or more logs every API call to stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (name: string | undefined, raw: RawStatusFlags) => {
      state.exitCode = await status(deps, validateStatusFlags(name, raw));
    });
}

/** Runs `call`, logging `line` with its outcome and duration (kubectl's -v 6 style). */
async function traced<T>(
  deps: Pick<Deps, 'err' | 'clock'>,
  line: string,
  call: () => Promise<T>,
  ok: (value: T) => string,
): Promise<T> {
  const started = deps.clock.nowMs();
  try {
    const value = await call();
    deps.err.write(`${line} ${ok(value)} in ${deps.clock.nowMs() - started}ms\n`);
    return value;
  } catch (err) {
    deps.err.write(`${line} failed in ${deps.clock.nowMs() - started}ms: ${describeError(err)}\n`);
    throw err;
  }
}

/** Logs each API call (`api: GET /apis/apps/v1/deployments?limit=500 200 in 4ms`) at -v 6, as kubectl does. */
export function traceRequests(request: KubeRequester, deps: Pick<Deps, 'err' | 'clock'>): KubeRequester {
  return (req) => {
    const query = new URLSearchParams(req.query ?? {}).toString();
    const line = `api: ${req.method} ${req.path}${query === '' ? '' : `?${query}`}`;
    return traced(
      deps,
      line,
      () => request(req),
      (answer) => String(answer.status),
    );
  };
}

/** Pod logs through the client's streaming GET (the JSON transport does not keep text); traced at -v 6. */
function logReader(kube: CpaKubeClient, request: KubeRequester, flags: StatusFlags, deps: Deps): ReadPodLog {
  const stream = kube.stream;
  if (stream === undefined) return podLogReader(request, flags.logLines);
  const read: ReadPodLog = (namespace, name, container) =>
    readPodLog(
      stream,
      { namespace, name, ...(container === undefined ? {} : { container }) },
      { tailLines: flags.logLines },
    );
  if (flags.verbosity < 6) return read;
  return (ns, pod, container) =>
    traced(
      deps,
      `api: GET /api/v1/namespaces/${ns}/pods/${pod}/log (stream)`,
      () => read(ns, pod, container),
      () => '200',
    );
}

/** The whole command; returns the exit code. */
async function status(deps: Deps, flags: StatusFlags): Promise<number> {
  const kube = await deps.connectKube({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: flags.namespace,
  });
  try {
    const request = flags.verbosity >= 6 ? traceRequests(kube.client.request, deps) : kube.client.request;
    const client: CpaKubeClient = flags.verbosity >= 6 ? kubeClientOver(request) : kube.client;
    const namespace = flags.allNamespaces ? null : (flags.namespace ?? kube.namespace);
    const readLog = logReader(kube.client, request, flags, deps);
    const answer = (): Promise<View> => snapshot(deps, client, readLog, flags, namespace);
    if (flags.watch) return await watch(deps, answer);
    const view = await answer();
    if (view.items.length === 0) return nothingFound(deps, flags, namespace, view);
    deps.out.write(render(view));
    return 0;
  } finally {
    kube.client.close();
  }
}

/** The status table of one namespace, as `kubectl cpa status -n NS` prints it (the demo ends with it). */
export async function statusTable(deps: Deps, client: CpaKubeClient, namespace: string): Promise<string> {
  const flags: StatusFlags = {
    namespace,
    allNamespaces: false,
    output: 'table',
    watch: false,
    logLines: 500,
    verbosity: 0,
  };
  return render(
    await snapshot(deps, client, logReader(client, client.request, flags, deps), flags, namespace),
  );
}

/** Reads the cluster once and builds what to print. */
async function snapshot(
  deps: Deps,
  client: StatusClient,
  readLog: ReadPodLog,
  flags: StatusFlags,
  namespace: string | null,
): Promise<View> {
  const query = { namespace, ...(flags.selector === undefined ? {} : { selector: flags.selector }) };
  const collected = await collect(client, query, readLog);
  for (const warning of collected.warnings) deps.err.write(`warning: ${warning}\n`);
  const nowMs = deps.clock.nowMs();
  const items = matchName(buildItems(collected, nowMs, summarizeCpaLog), flags.name);
  const view: View = {
    items,
    output: flags.output,
    allNamespaces: flags.allNamespaces,
    tty: deps.out.isTTY,
    color: useColor(deps.env, deps.out.isTTY),
    nowMs,
  };
  if (flags.name !== undefined) view.name = flags.name;
  const [only] = items;
  if (only !== undefined && isDetail(items, flags.name, flags.output))
    view.events = await targetEvents(client, only);
  return view;
}

async function targetEvents(client: StatusClient, item: AutoscalerStatus): Promise<EventRow[] | null> {
  try {
    const target = { kind: item.target.kind, name: item.target.name, namespace: item.namespace };
    return eventRows(await listTargetEvents(client.request, target), DETAIL_EVENTS);
  } catch {
    return null;
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
  if (flags.output === 'json' || flags.output === 'yaml') deps.out.write(render(view));
  else deps.err.write(`No autoscalers found${namespace === null ? '' : ` in ${namespace} namespace`}.\n`);
  return 0;
}

/** Polls every WATCH_PERIOD_MS until SIGINT/SIGTERM; a failed poll is a warning, the next one retries. */
async function watch(deps: Deps, answer: () => Promise<View>): Promise<number> {
  const abort = new AbortController();
  const unregister = deps.onShutdownSignal(() => abort.abort());
  let seen: Seen | null = null;
  try {
    while (!abort.signal.aborted) {
      try {
        const frame = watchFrame(seen, await answer());
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
