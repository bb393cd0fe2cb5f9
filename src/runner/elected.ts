// `run --leader-elect`: runMany (src/runner/many.ts) wrapped in the Lease election of src/runner/leader.ts.
// Every replica prepares its autoscalers (so a broken config fails every pod at start, not only the leader);
// only the leader runs them. A standby answers /healthz and /readyz itself, so its probes pass while it
// waits (a standby that failed them would be restarted for doing its job). The Lease is renewed over a
// connection of its own: a keep-alive pool busy with cycles never delays a renewal.
import { installLabels } from '../deploy/labels.ts';
import type { Logger } from '../logger/events.ts';
import type { ApiResponse, Deps, KubeOptions, ServerHandle } from '../ports.ts';
import { candidateIdentity, runElected } from './leader.ts';
import { runMany, type ManyOptions } from './many.ts';
import type { NamedRun } from './roster.ts';

/** The election's settings (validated `--leader-elect-*` flags). */
export interface ElectionFlags {
  name: string;
  /** undefined: the connection's namespace (in a pod, the pod's). */
  namespace?: string;
  durationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

/** The probes of a standby: alive, and ready to take over. */
async function standbyProbe(path: string): Promise<ApiResponse> {
  if (path === '/healthz' || path === '/readyz')
    return { status: 200, headers: TEXT, body: 'ok (standby: not the leader)\n' };
  return { status: 404, headers: TEXT, body: 'not found (standby: not the leader)\n' };
}

/**
 * Runs `runs` while this process holds the Lease; resolves with the exit code: the autoscalers' own when
 * they end, 0 after SIGTERM/SIGINT (the Lease released), 1 when the Lease was lost (the pod restarts as a
 * fresh candidate, as kube-controller-manager does).
 */
export async function runElectedMany(
  deps: Deps,
  runs: readonly NamedRun[],
  options: ManyOptions,
  election: ElectionFlags,
  kube: KubeOptions,
  logger: Logger,
): Promise<number> {
  const connection = await deps.connectKube({ ...kube, namespace: undefined }).catch((err: unknown) => {
    runs[0]?.prepared.client.close();
    throw err;
  });
  const stop = new AbortController();
  const unregister = deps.onShutdownSignal(() => stop.abort());
  const namespace = election.namespace ?? kube.namespace ?? connection.namespace;
  let standby: ServerHandle | undefined;
  let led = false;
  try {
    if (options.metricsAddr !== undefined)
      standby = await deps.serveHttp({
        ...options.metricsAddr,
        handle: (request) => standbyProbe(request.path),
      });
    const outcome = await runElected(
      { clock: deps.clock, request: connection.client.request, logger },
      {
        ...election,
        namespace,
        identity: candidateIdentity(deps.host, deps.env.POD_NAME),
        labels: installLabels({ name: election.name, namespace }),
      },
      stop.signal,
      async (signal) => {
        led = true;
        await standby?.close();
        standby = undefined;
        // The Lease makes this process the one writer among the replicas: a claim on a target left by the
        // replica it replaces (or by anyone) must not keep the new leader from scaling.
        return runMany(deps, runs, { ...options, takeOver: true, signal });
      },
    );
    if (outcome.kind === 'lost') {
      logger.log({
        kind: 'warning',
        message: 'exiting: leadership lost (a restart makes this a candidate again)',
      });
      return 1;
    }
    return outcome.kind === 'finished' ? outcome.exitCode : 0;
  } finally {
    unregister();
    await standby?.close();
    connection.client.close();
    // runMany closes the autoscalers' client; a process that never led closes it here.
    if (!led) runs[0]?.prepared.client.close();
  }
}
