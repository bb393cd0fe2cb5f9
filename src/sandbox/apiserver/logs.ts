// `pods/{name}/log`: the text a container's script (controllers/log-script.ts) has printed since it started,
// or a stream that follows it. follow, sinceSeconds, sinceTime, tailLines, timestamps and limitBytes behave
// as the kubelet's.
import type { ApiContext } from './context.ts';
import {
  nextLineTime,
  scriptedLines,
  scriptFor,
  type LogLine,
  type Script,
} from '../controllers/log-script.ts';
import { findObject } from './read.ts';
import { resourceKey } from '../store/registry.ts';
import type { ResourceRoute } from './router.ts';
import { badRequest } from '../wire/status.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';
import type { SandboxResponse } from '../wire/http.ts';

/** kubelet's fixed-width RFC 3339 timestamp (nanosecond digits). */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function containerOf(pod: Obj, query: URLSearchParams): string {
  const spec = isMap(pod.spec) ? pod.spec : {};
  const names = (Array.isArray(spec.containers) ? spec.containers : [])
    .filter(isMap)
    .map((c) => String(c.name));
  const asked = query.get('container');
  const podName = metaOf(pod).name ?? '';
  if (asked !== null && asked !== '') {
    if (!names.includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${podName}`);
    return asked;
  }
  if (names.length === 1) return names[0]!;
  throw badRequest(
    `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`,
  );
}

function startedAt(pod: Obj, container: string): number | undefined {
  const statuses =
    isMap(pod.status) && Array.isArray(pod.status.containerStatuses) ? pod.status.containerStatuses : [];
  const status = statuses.filter(isMap).find((s) => s.name === container);
  const running =
    isMap(status?.state) && isMap(status.state.running) ? status.state.running.startedAt : undefined;
  return typeof running === 'string' ? Date.parse(running) : undefined;
}

interface LogOptions {
  sinceMs?: number;
  tail?: number;
  timestamps: boolean;
  limitBytes?: number;
  follow: boolean;
}

function optionsOf(query: URLSearchParams, nowMs: number): LogOptions {
  const num = (key: string): number | undefined => {
    const v = query.get(key);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${key}: ${v}`);
    return Number(v);
  };
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Invalid value: must be greater than 0');
  const sinceMs =
    sinceSeconds !== undefined ? nowMs - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined;
  const tail = num('tailLines');
  const on = (key: string): boolean => ['true', '1'].includes(query.get(key) ?? '');
  return {
    sinceMs,
    tail: tail !== undefined && tail >= 0 ? tail : undefined,
    timestamps: on('timestamps'),
    limitBytes: num('limitBytes'),
    follow: on('follow'),
  };
}

function render(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${stamp(line.timeMs)} ${line.text}\n` : `${line.text}\n`;
}

/** What a follow stream needs: the script, the container's start, where the text so far ended, the pod. */
interface Follow {
  script: Script;
  startMs: number;
  shownUntilMs: number;
  timestamps: boolean;
  podUid: string | undefined;
  podsKey: string;
}

/** Writes each scripted line when its time comes; ends when the client leaves or the pod is deleted. */
function follow(
  ctx: ApiContext,
  f: Follow,
  write: (chunk: string) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let shownUntil = f.shownUntilMs;
    let cancel = (): void => {};
    const unsubscribe = ctx.store.subscribe((e) => {
      if (e.type === 'DELETED' && e.resource === f.podsKey && metaOf(e.object).uid === f.podUid) finish();
    });
    const next = (): void => {
      const upcoming = nextLineTime(f.script, f.startMs, shownUntil);
      if (upcoming === undefined) return;
      cancel = ctx.env.after(Math.max(0, upcoming - ctx.env.nowMs()), () => {
        const at = Math.max(ctx.env.nowMs(), upcoming);
        for (const l of scriptedLines(f.script, f.startMs, shownUntil, at)) write(render(l, f.timestamps));
        shownUntil = at;
        next();
      });
    };
    next();
    signal.addEventListener('abort', finish, { once: true });
    function finish(): void {
      cancel();
      unsubscribe();
      resolve();
    }
  });
}

/** The answer to GET `pods/{name}/log`: the whole text, or a stream that follows until the pod goes away. */
export function podLogResponse(
  ctx: ApiContext,
  route: ResourceRoute,
  query: URLSearchParams,
): SandboxResponse {
  const pod = findObject(ctx, route);
  const container = containerOf(pod, query);
  const start = startedAt(pod, container);
  if (start === undefined)
    throw badRequest(
      `container "${container}" in pod "${metaOf(pod).name ?? ''}" is waiting to start: ContainerCreating`,
    );
  const now = ctx.env.nowMs();
  const opts = optionsOf(query, now);
  const script = scriptFor(pod, container);
  let lines = scriptedLines(script, start, start - 1, now).filter(
    (l) => opts.sinceMs === undefined || l.timeMs >= opts.sinceMs,
  );
  if (opts.tail !== undefined) lines = opts.tail === 0 ? [] : lines.slice(-opts.tail);
  let text = lines.map((l) => render(l, opts.timestamps)).join('');
  if (opts.limitBytes !== undefined && opts.limitBytes > 0)
    text = Buffer.from(text).subarray(0, opts.limitBytes).toString('utf8');
  const headers = { 'Content-Type': 'text/plain' };
  if (!opts.follow) return { status: 200, headers, body: text };
  const f: Follow = {
    script,
    startMs: start,
    shownUntilMs: now,
    timestamps: opts.timestamps,
    podUid: metaOf(pod).uid,
    podsKey: resourceKey(route.def),
  };
  return {
    status: 200,
    headers: { ...headers, 'Transfer-Encoding': 'chunked' },
    run: (write, signal) => {
      if (text !== '') write(text);
      return follow(ctx, f, write, signal);
    },
  };
}
