// Runs `kubectl cpa status|logs …` through main() with hand-written fakes: an API server routed by path and
// a log streamer that answers every pod log request with the same text. No cluster, no network.
import { kubeClientOver } from '../../../src/kube/client.ts';
import { main } from '../../../src/main.ts';
import type { Deps, KubeRequest, KubeStreamer, StreamRequest } from '../../../src/ports.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeApi, T0, type Answer } from './fixtures.ts';

/** What one command printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  api: FakeApi;
  streamed: StreamRequest[];
}

export interface CliOptions {
  /** Answers the API; unrouted requests are 404. */
  route: (req: KubeRequest) => Answer | undefined;
  /** The text of every pod log stream. */
  log?: string;
  tty?: boolean;
  env?: Record<string, string>;
  /** Clock reading during the command. */
  nowMs?: number;
}

/** Runs `argv` (without the program name) and collects what it printed. */
export async function runCli(argv: string[], o: CliOptions): Promise<CliRun> {
  const api = new FakeApi(o.route);
  const streamed: StreamRequest[] = [];
  const stream: KubeStreamer = async (req) => {
    streamed.push(req);
    return (async function* () {
      yield Buffer.from(o.log ?? '');
    })();
  };
  let out = '';
  let err = '';
  const deps = {
    clock: new FakeClock(o.nowMs ?? T0 + 10_000),
    env: o.env ?? {},
    cwd: '/',
    out: { isTTY: o.tty ?? false, write: (text: string) => void (out += text) },
    err: { isTTY: false, write: (text: string) => void (err += text) },
    connectKube: async () => ({
      client: { ...kubeClientOver(api.request), stream },
      context: 'test',
      namespace: 'team-a',
      server: 'https://test',
    }),
    onShutdownSignal: () => () => {},
    host: { hostname: 'h', pid: 1, node: 'v22' },
    version: '0.0.0-test',
  } as unknown as Deps;
  const code = await main(argv, deps);
  return { code, out, err, api, streamed };
}

/** Routes the workload lists (namespaced and `-A`): `deployments` answers with `items`, other kinds are empty. */
export function workloadRoute(
  deployments: unknown[],
  extra: (req: KubeRequest) => Answer | undefined = () => undefined,
): (req: KubeRequest) => Answer | undefined {
  return (req) => {
    const answer = extra(req);
    if (answer !== undefined) return answer;
    if (/^\/apis\/apps\/v1(\/namespaces\/[^/]+)?\/deployments$/.test(req.path))
      return { body: { items: deployments } };
    if (/\/(statefulsets|replicasets|replicationcontrollers)$/.test(req.path)) return { body: { items: [] } };
    if (req.path.endsWith('/events')) return { body: { items: [] } };
    return undefined;
  };
}
