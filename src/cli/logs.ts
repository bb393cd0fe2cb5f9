// `kubectl cpa logs NAME`: flags → validate → connect → find pods → stream (raw lines or decisions).
import type { Command } from 'commander';
import { CpaError, KubeError, UsageError } from '../errors.ts';
import { parseDuration } from '../config/duration.ts';
import { streamLogs } from '../logs/follow.ts';
import { findPods, parseLogSource, type LogSource } from '../logs/pods.ts';
import { decisionPrinter, rawPrinter } from '../logs/printers.ts';
import { findLocalRun, localRunError } from '../logs/local-run.ts';
import { summarizeCpaLog } from '../logs/summary.ts';
import type { CpaKubeClient, Deps } from '../ports.ts';
import { collect } from '../status/collect.ts';
import { buildItems } from '../status/items.ts';
import type { AutoscalerStatus } from '../status/model.ts';
import { useColor } from '../status/colour.ts';
import { addKubeFlags, kubeOptions } from './kube-flags.ts';
import type { CommandState } from './state.ts';

/** Raw options as commander delivers them. */
export interface RawLogsFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  follow?: boolean;
  since?: string;
  tail?: string;
  timestamps?: boolean;
  decisions?: boolean;
  container?: string;
}

/** Validated options of one `logs`. */
export interface LogsFlags {
  source: LogSource;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  follow: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  timestamps: boolean;
  decisions: boolean;
  container?: string;
}

/** How often the pod set is read again while following (the operator recreates pods on CR changes). */
const POLL_MS = 2000;
/** Quiet time after which a decided cycle is shown (its lines arrive together). */
const IDLE_MS = 300;

const HELP_AFTER = `
NAME is a CustomPodAutoscaler (its pod is found by the operator's label v1.custompodautoscaler.com/owned-by,
then by owner reference, then by name), deployment/NAME (every pod of a Deployment running an autoscaler),
or pod/NAME. Go CPA logs (any version and verbosity) and kubectl-cpa's own text and JSON logs are understood.

--decisions prints one line per cycle: TIME  eval E  FROM → TO  REASONS  [error: …]. What the autoscaler's
logVerbosity does not log shows as ? (Go CPA logs the evaluation from logVerbosity 2, metric values from 3).

Examples:
  kubectl cpa logs my-autoscaler -f
  kubectl cpa logs my-autoscaler --decisions --since 1h
  kubectl cpa logs deployment/cpa-runner -n team-a --tail 100 --timestamps
`;

/** Validates the flags; throws one UsageError listing every problem. */
export function validateLogsFlags(name: string, raw: RawLogsFlags): LogsFlags {
  const problems: string[] = [];
  const source = parseLogSource(name);
  if (source === null) problems.push(`NAME "${name}": use NAME, cpa/NAME, deployment/NAME or pod/NAME`);
  let sinceSeconds: number | undefined;
  if (raw.since !== undefined) {
    const ms = parseDuration(raw.since);
    if (ms === null || ms <= 0)
      problems.push(`--since "${raw.since}": use a positive duration such as 30s, 5m, 1h`);
    else sinceSeconds = Math.ceil(ms / 1000);
  }
  let tailLines: number | undefined;
  if (raw.tail !== undefined) {
    const n = Number(raw.tail);
    if (!/^-?\d+$/.test(raw.tail) || n < -1)
      problems.push(`--tail "${raw.tail}": use a number of lines, or -1 for all`);
    else if (n >= 0) tailLines = n;
  }
  if (problems.length > 0) throw new UsageError(`invalid flags for logs: ${problems.join('; ')}`);
  return {
    source: source!,
    namespace: raw.namespace,
    kubeconfig: raw.kubeconfig,
    context: raw.context,
    follow: raw.follow === true,
    sinceSeconds,
    tailLines,
    timestamps: raw.timestamps === true,
    decisions: raw.decisions === true,
    container: raw.container,
  };
}

/** Registers `logs NAME`. */
export function registerLogs(program: Command, deps: Deps, state: CommandState): void {
  const command = program
    .command('logs')
    .description(
      'Print the logs of an autoscaler: the pod of a CustomPodAutoscaler, or the pods of a Deployment',
    )
    .argument('<NAME>', 'CustomPodAutoscaler name, deployment/NAME or pod/NAME');
  addKubeFlags(command, { namespace: 'namespace (default: from the kube context)' })
    .option('-f, --follow', 'stream new lines; follows the autoscaler pod when the operator recreates it')
    .option('--since <DURATION>', 'only lines newer than this, e.g. 10m, 1h')
    .option('--tail <N>', 'only the last N lines of each pod (-1: all)')
    .option('--timestamps', 'show the RFC 3339 time the kubelet recorded for each line')
    .option('--decisions', 'one line per autoscaling cycle: time, evaluation, from → to, reason, error')
    .option('-c, --container <NAME>', 'container to read (default: the pod default, else the first)')
    .addHelpText('after', HELP_AFTER)
    .action(async (name: string, raw: RawLogsFlags) => {
      state.exitCode = await logs(deps, validateLogsFlags(name, raw));
    });
}

function describe(source: LogSource): string {
  const kind = source.kind === 'cpa' ? 'custompodautoscaler' : source.kind;
  return `${kind} "${source.name}"`;
}

/** An autoscaler of that name recorded on a workload of the namespace (a local `run`); lists only. */
async function localRunOf(
  deps: Deps,
  client: CpaKubeClient,
  namespace: string,
  name: string,
): Promise<AutoscalerStatus | undefined> {
  // Only the workload lists matter here: CustomPodAutoscalers have pods, and were looked for already. This
  // look-up only explains a miss: a user allowed to read pods but not to list workloads (or a server that
  // does not serve them) still gets the plain "not found" that follows, never a list error instead.
  try {
    const collected = await collect(client, { namespace }, async () => '');
    return findLocalRun(buildItems(collected, deps.clock.nowMs(), summarizeCpaLog), name);
  } catch (err) {
    if (err instanceof KubeError) return undefined;
    throw err;
  }
}

/** The whole `logs` command; returns the exit code. */
async function logs(deps: Deps, flags: LogsFlags): Promise<number> {
  const kube = await deps.connectKube(kubeOptions(flags));
  const abort = new AbortController();
  const unregister = deps.onShutdownSignal(() => abort.abort());
  try {
    const stream = kube.client.stream;
    if (stream === undefined)
      throw new CpaError('failed to read logs: this cluster connection cannot stream');
    const namespace = flags.namespace ?? kube.namespace;
    const printer = {
      out: deps.out,
      err: deps.err,
      timestamps: flags.timestamps,
      color: useColor(deps.env, deps.out.isTTY),
    };
    const sink = flags.decisions
      ? decisionPrinter({ ...printer, clock: deps.clock, signal: abort.signal, idleMs: IDLE_MS })
      : rawPrinter(printer);
    const options = {
      namespace,
      describe: describe(flags.source),
      follow: flags.follow,
      sinceSeconds: flags.sinceSeconds,
      tailLines: flags.tailLines,
      container: flags.container,
      pollMs: POLL_MS,
      signal: abort.signal,
      notFoundHint:
        flags.source.kind === 'cpa'
          ? `no CustomPodAutoscaler and no pod of that name; for an autoscaler run by a Deployment use deployment/${flags.source.name}`
          : undefined,
    };
    const findNow = (): ReturnType<typeof findPods> => findPods(kube.client.request, namespace, flags.source);
    if (flags.source.kind === 'cpa' && !(await findNow()).exists) {
      const local = await localRunOf(deps, kube.client, namespace, flags.source.name);
      if (local !== undefined) throw localRunError(local, namespace, deps.host.hostname);
    }
    await streamLogs({ stream, findPods: findNow, clock: deps.clock }, options, sink);
    return 0;
  } finally {
    unregister();
    kube.client.close();
  }
}
