// One read of the cluster turned into what `status` prints: the collected autoscalers, their rows and, for
// one autoscaler, its Events. Shared by `kubectl cpa status` and the demo's closing table. API calls and pod
// log reads are traced at -v 6 like kubectl.
import { describeError } from '../errors.ts';
import { readPodLog } from '../logs/read.ts';
import { summarizeCpaLog } from '../logs/summary.ts';
import type { CpaKubeClient, Deps, KubeRequester } from '../ports.ts';
import { collect, listTargetEvents, type ReadPodLog, type StatusClient } from './collect.ts';
import { useColor } from './colour.ts';
import { eventRows, type EventRow } from './events.ts';
import type { StatusFlags } from './flags.ts';
import { buildItems, matchName } from './items.ts';
import type { AutoscalerStatus } from './model.ts';
import { podLogReader } from './pod-log.ts';
import { isDetail, render, type View } from './render.ts';
import { readTyped, type TypedClient } from './typed.ts';

/** Events listed in the detail view. */
const DETAIL_EVENTS = 10;

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
export function logReader(
  kube: CpaKubeClient,
  request: KubeRequester,
  flags: StatusFlags,
  deps: Deps,
): ReadPodLog {
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

/** The wide status table of one namespace, as `kubectl cpa status -n NS -o wide` prints it (the demo ends with it). */
export async function statusTable(deps: Deps, client: CpaKubeClient, namespace: string): Promise<string> {
  const flags: StatusFlags = {
    namespace,
    allNamespaces: false,
    output: 'wide',
    watch: false,
    outputWatchEvents: false,
    logLines: 500,
    verbosity: 0,
  };
  return render(
    await snapshot(deps, client, logReader(client, client.request, flags, deps), flags, namespace),
  );
}

/** Reads the cluster once and builds what to print. */
export async function snapshot(
  deps: Deps,
  client: StatusClient & TypedClient,
  readLog: ReadPodLog,
  flags: StatusFlags,
  namespace: string | null,
): Promise<View> {
  const items =
    flags.typed === undefined
      ? await listed(deps, client, readLog, flags, namespace)
      : await readTyped(client, flags.typed, namespace ?? '', deps.clock.nowMs());
  const nowMs = deps.clock.nowMs();
  const view: View = {
    items,
    output: flags.output,
    allNamespaces: flags.allNamespaces,
    tty: deps.out.isTTY,
    color: useColor(deps.env, deps.out.isTTY),
    nowMs,
  };
  if (flags.name !== undefined) view.name = flags.name;
  if (flags.jsonpath !== undefined) view.jsonpath = flags.jsonpath;
  if (flags.columns !== undefined) view.columns = flags.columns;
  const [only] = items;
  if (only !== undefined && isDetail(items, flags.name, flags.output))
    view.events = await targetEvents(client, only);
  return view;
}

/** Every autoscaler the lists show, filtered by NAME. */
async function listed(
  deps: Deps,
  client: StatusClient,
  readLog: ReadPodLog,
  flags: StatusFlags,
  namespace: string | null,
): Promise<AutoscalerStatus[]> {
  const query = { namespace, ...(flags.selector === undefined ? {} : { selector: flags.selector }) };
  const collected = await collect(client, query, readLog);
  for (const warning of collected.warnings) deps.err.write(`warning: ${warning}\n`);
  return matchName(buildItems(collected, deps.clock.nowMs(), summarizeCpaLog), flags.name);
}

async function targetEvents(client: StatusClient, item: AutoscalerStatus): Promise<EventRow[] | null> {
  try {
    const target = { kind: item.target.kind, name: item.target.name, namespace: item.namespace };
    return eventRows(await listTargetEvents(client.request, target), DETAIL_EVENTS);
  } catch {
    return null;
  }
}
