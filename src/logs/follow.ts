// Streams the logs of an autoscaler's pods. Without follow: each pod's log once, pod after pod. With
// follow: the pod set is polled (≤ 2 s) so that a pod the operator recreates (it does on every CR change)
// is picked up, new pods are followed from their first line, and a stream that ends while its pod lives
// on (connection drop, container restart) resumes from its last stamp without repeating lines.
import { CpaError, KubeError, describeError } from '../errors.ts';
import type { Clock, KubeStreamer } from '../ports.ts';
import { LineSplitter, stampKey } from './lines.ts';
import { splitStamp } from './line.ts';
import type { FoundPods, PodRef } from './pods.ts';

/** Where streamed lines go; `note` is conversation (stderr). */
export interface LogSink {
  /** The pods being streamed now, with their container (decides whether lines carry a pod prefix). */
  pods(list: { name: string; container: string }[]): void;
  /** One line of a pod's log, with its kubelet stamp. */
  line(pod: string, raw: string): void;
  /** The stream paused after a chunk: entries held for continuation lines may be shown soon. */
  idle(pod: string): void;
  /** The pod's stream ended. */
  end(pod: string): void;
  note(text: string): void;
}

export interface FollowOptions {
  namespace: string;
  /** For messages: `customresource "web"`. */
  describe: string;
  follow: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  container?: string;
  pollMs: number;
  signal: AbortSignal;
  /** Advice when nothing of that name exists. */
  notFoundHint?: string;
}

export interface FollowDeps {
  stream: KubeStreamer;
  findPods: () => Promise<FoundPods>;
  clock: Clock;
}

interface Tracked {
  pod: PodRef;
  running: boolean;
  task?: Promise<void>;
  lastKey?: string;
  lastStamp?: string;
  /** How many lines shown so far carry the last stamp. */
  sameKey: number;
  /** The last problem said about this pod, so that a poll loop does not repeat it. */
  said?: string;
}

/** Streams the logs; resolves when done (no follow) or when `signal` aborts. Throws when nothing matches. */
export async function streamLogs(deps: FollowDeps, opts: FollowOptions, sink: LogSink): Promise<void> {
  const first = await deps.findPods();
  if (!first.exists) {
    const hint = opts.notFoundHint;
    throw new CpaError(`${opts.describe} not found in namespace "${opts.namespace}"`, { hint });
  }
  if (!opts.follow) {
    if (first.pods.length === 0) throw noPod(opts);
    sink.pods(first.pods.map((p) => shown(opts, p)));
    for (const pod of first.pods) {
      if (opts.signal.aborted) break;
      await streamPod(deps, opts, sink, { pod, running: true, sameKey: 0 }, true);
    }
    return;
  }
  await followPods(deps, opts, sink, first);
}

/** The pod and the container whose log is read. */
function shown(opts: FollowOptions, pod: PodRef): { name: string; container: string } {
  return { name: pod.name, container: opts.container ?? pod.defaultContainer };
}

function noPod(opts: FollowOptions): CpaError {
  return new CpaError(`${opts.describe} in namespace "${opts.namespace}" has no pod`, {
    hint: 'the operator creates the pod; check that it runs (kubectl get pods -A -l name=custom-pod-autoscaler-operator), or use -f to wait for it',
  });
}

async function followPods(
  deps: FollowDeps,
  opts: FollowOptions,
  sink: LogSink,
  first: FoundPods,
): Promise<void> {
  const tracked = new Map<string, Tracked>();
  let found: FoundPods | undefined = first;
  let waiting = false;
  let listProblem = '';
  for (let round = 0; !opts.signal.aborted; round++) {
    if (found !== undefined) {
      const live = found.pods.filter((p) => !p.deleting);
      for (const pod of live) {
        let t = tracked.get(pod.uid);
        if (t === undefined) {
          t = { pod, running: false, sameKey: 0 };
          tracked.set(pod.uid, t);
          if (round > 0) sink.note(`+ pod/${pod.name}: new pod, following it`);
        }
        if (!t.running) start(deps, opts, sink, t, round === 0);
      }
      for (const [uid, t] of tracked) {
        if (live.some((p) => p.uid === uid)) continue;
        tracked.delete(uid);
        sink.note(`- pod/${t.pod.name} is gone`);
      }
      sink.pods([...tracked.values()].map((t) => shown(opts, t.pod)));
      if (live.length === 0 && !waiting) sink.note(`waiting for a pod of ${opts.describe} (Ctrl-C to stop)`);
      waiting = live.length === 0;
    }
    await deps.clock.sleep(opts.pollMs, opts.signal);
    if (opts.signal.aborted) break;
    found = await deps.findPods().catch((err: unknown) => {
      const text = `cannot list pods (retrying): ${describeError(err)}`;
      if (text !== listProblem) sink.note(text);
      listProblem = text;
      return undefined;
    });
    if (found !== undefined) listProblem = '';
  }
  await Promise.all([...tracked.values()].map((t) => t.task));
}

function start(deps: FollowDeps, opts: FollowOptions, sink: LogSink, t: Tracked, initial: boolean): void {
  t.running = true;
  t.task = streamPod(deps, opts, sink, t, initial)
    .catch((err: unknown) => {
      // 404: the pod went away (the next poll says so); 400: its container is not running (yet).
      if (err instanceof KubeError && err.details.status === 404) return;
      const text = `pod/${t.pod.name}: ${describeError(err)}`;
      if (text !== t.said)
        sink.note(err instanceof KubeError && err.details.status === 400 ? `${text}; waiting` : text);
      t.said = text;
    })
    .finally(() => {
      t.running = false;
    });
}

/** The query of one log request; a resumed stream starts at the last stamp seen. */
function logQuery(opts: FollowOptions, t: Tracked, initial: boolean): Record<string, string> {
  const query: Record<string, string> = { timestamps: 'true' };
  if (opts.follow) query.follow = 'true';
  const { container } = shown(opts, t.pod);
  if (container !== '') query.container = container;
  if (t.lastStamp !== undefined) query.sinceTime = t.lastStamp;
  else if (initial) {
    if (opts.sinceSeconds !== undefined) query.sinceSeconds = String(opts.sinceSeconds);
    if (opts.tailLines !== undefined) query.tailLines = String(opts.tailLines);
  }
  return query;
}

async function streamPod(
  deps: FollowDeps,
  opts: FollowOptions,
  sink: LogSink,
  t: Tracked,
  initial: boolean,
): Promise<void> {
  const name = t.pod.name;
  const ns = encodeURIComponent(opts.namespace);
  const chunks = await deps
    .stream({
      path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}/log`,
      query: logQuery(opts, t, initial),
      signal: opts.signal,
      call: { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: opts.namespace, name },
    })
    .catch((err: unknown) => {
      // Ctrl-C while connecting is not a failure.
      if (opts.signal.aborted) return [];
      throw err;
    });
  t.said = undefined;
  const splitter = new LineSplitter();
  const emit = resumeFilter(t, (raw) => sink.line(name, raw));
  try {
    for await (const chunk of chunks) {
      for (const raw of splitter.push(chunk)) emit(raw);
      sink.idle(name);
    }
  } finally {
    for (const raw of splitter.end()) emit(raw);
    sink.end(name);
  }
}

/**
 * Passes lines on and remembers the last stamp. Resuming from sinceTime repeats the lines at that time:
 * what was shown already is skipped. Lines of one write often share a stamp, so the lines shown at the
 * last stamp are counted, not just compared.
 */
function resumeFilter(t: Tracked, pass: (raw: string) => void): (raw: string) => void {
  const resume = t.lastKey === undefined ? undefined : { key: t.lastKey, skip: t.sameKey };
  return (raw) => {
    const stamp = splitStamp(raw)?.stamp;
    if (stamp !== undefined) {
      const key = stampKey(stamp);
      if (resume !== undefined && (key < resume.key || (key === resume.key && resume.skip-- > 0))) return;
      t.sameKey = key === t.lastKey ? t.sameKey + 1 : 1;
      t.lastKey = key;
      t.lastStamp = stamp;
    }
    pass(raw);
  };
}
