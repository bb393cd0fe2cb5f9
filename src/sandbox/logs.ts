// `pods/{name}/log`: every container prints scripted text, timed from the moment it started. The script is
// the pod's annotation `sandbox.kubectl-cpa.dev/log` (or `…/log.<container>`): one line per line, optionally
// prefixed `+SECONDS ` (offset from the start of the script); `…/log-every: "SECONDS"` repeats the script
// with `{n}` numbering the round. Without a script a container says it started and then ticks every 5 s.
// follow, sinceSeconds, sinceTime, tailLines, timestamps and limitBytes behave as the kubelet's.
import type { ApiContext } from './context.ts';
import { findObject } from './read.ts';
import { resourceKey } from './registry.ts';
import type { ResourceRoute } from './router.ts';
import { badRequest } from './status.ts';
import { isMap, metaOf, type Obj, type SandboxResponse } from './types.ts';

/** Annotation prefix of the sandbox's scripting hooks. */
export const SANDBOX_ANNOTATION = 'sandbox.kubectl-cpa.dev';

/** One log line and when it is written. */
export interface LogLine {
  timeMs: number;
  text: string;
}

interface Script {
  /** Lines written once, at their offset from the container's start. */
  intro: { offsetMs: number; text: string }[];
  /** Lines written at their offset in every round. */
  lines: { offsetMs: number; text: string }[];
  /** Repeat period of `lines`; 0 = once. */
  everyMs: number;
}

const MAX_LINES = 100_000;

/** Reads a script text: `+SECONDS text` lines, plain lines following the previous one at the same time. */
export function parseScript(text: string, everySec: number): Script {
  let offsetMs = 0;
  const lines = text.split('\n').flatMap((raw) => {
    if (raw.trim() === '') return [];
    const m = /^\+(\d+(?:\.\d+)?)\s(.*)$/.exec(raw);
    if (m !== null) offsetMs = Math.round(Number(m[1]) * 1000);
    return [{ offsetMs, text: m === null ? raw : m[2]! }];
  });
  return { intro: [], lines, everyMs: Number.isFinite(everySec) && everySec > 0 ? everySec * 1000 : 0 };
}

function scriptFor(pod: Obj, container: string): Script {
  const annotations = metaOf(pod).annotations ?? {};
  const text =
    annotations[`${SANDBOX_ANNOTATION}/log.${container}`] ?? annotations[`${SANDBOX_ANNOTATION}/log`];
  if (text !== undefined)
    return parseScript(text, Number(annotations[`${SANDBOX_ANNOTATION}/log-every`] ?? '0'));
  return {
    ...parseScript('+5 tick {n}', 5),
    intro: [{ offsetMs: 0, text: `container ${container} started in the kubectl-cpa sandbox` }],
  };
}

/** The lines a script writes after `afterMs` up to `untilMs` (inclusive), for a container started at `startMs`. */
export function scriptedLines(script: Script, startMs: number, afterMs: number, untilMs: number): LogLine[] {
  const out: LogLine[] = [];
  for (const line of script.intro) {
    const timeMs = startMs + line.offsetMs;
    if (timeMs > afterMs && timeMs <= untilMs) out.push({ timeMs, text: line.text });
  }
  if (script.lines.length === 0) return out;
  const maxOffset = Math.max(...script.lines.map((l) => l.offsetMs));
  // Rounds that end before `afterMs` cannot contribute; skip them instead of enumerating hours of ticks.
  const first =
    script.everyMs === 0 ? 0 : Math.max(0, Math.floor((afterMs - startMs - maxOffset) / script.everyMs));
  for (let round = first; out.length < MAX_LINES; round++) {
    const base = startMs + round * script.everyMs;
    if (base > untilMs) break;
    for (const line of script.lines) {
      const timeMs = base + line.offsetMs;
      if (timeMs > afterMs && timeMs <= untilMs)
        out.push({ timeMs, text: line.text.replaceAll('{n}', String(round + 1)) });
    }
    if (script.everyMs === 0) break;
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/** When the script writes its next line after `afterMs`, or undefined when it has finished. */
export function nextLineTime(script: Script, startMs: number, afterMs: number): number | undefined {
  const offsets = [...script.intro, ...script.lines].map((l) => l.offsetMs);
  const horizon = Math.max(afterMs, startMs) + Math.max(script.everyMs, ...offsets) + 1;
  return scriptedLines(script, startMs, afterMs, horizon)[0]?.timeMs;
}

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
