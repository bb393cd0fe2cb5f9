// The decision's memory (recommendation history, scale events) in the compact form kept in the status
// annotation, so that a restarted runner, or one taking over the target, continues the windows instead of
// starting them empty (CPA issue #168: a restart reset the downscale window). Pure.
import type { ScaleEvent, ScaleEvents } from './behavior.ts';
import type { Recommendation } from './stabilize.ts';

/** `[msBeforeAt, replicas]` pairs (recommendations) or `[msBeforeAt, change]` (scale events). */
type Pairs = [number, number][];

/** The annotation's `windows` field: times relative to `at` (epoch ms) keep it short. */
export interface EncodedWindows {
  at: number;
  rec: Pairs;
  up?: Pairs;
  down?: Pairs;
}

/** The in-memory windows. */
export interface Windows {
  history: Recommendation[];
  scaleEvents: ScaleEvents;
}

/** Most entries kept per list: a few KiB at most, whatever the interval and window. */
export const MAX_WINDOW_ENTRIES = 64;

/**
 * Drops recommendations that can never decide a window again: one with a newer entry at least as high
 * (for the scale-down maximum) and a newer entry at least as low (for the scale-up minimum) stays inside
 * every window for longer than it, so the window's max and min are unchanged without it.
 */
export function pruneRecommendations(history: readonly Recommendation[]): Recommendation[] {
  const kept: Recommendation[] = [];
  let newerMax = -Infinity;
  let newerMin = Infinity;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (entry === undefined) continue;
    if (entry.replicas > newerMax || entry.replicas < newerMin) kept.unshift(entry);
    newerMax = Math.max(newerMax, entry.replicas);
    newerMin = Math.min(newerMin, entry.replicas);
  }
  // Past the bound the oldest go first: they leave their windows soonest.
  return kept.slice(-MAX_WINDOW_ENTRIES);
}

/**
 * Bounds a list of scale events by merging the oldest two into one at the newer one's time: the merged
 * change stays counted for longer, so the rate limit can only get stricter, never looser.
 */
export function boundEvents(events: readonly ScaleEvent[]): ScaleEvent[] {
  const list = events.map((e) => ({ ...e }));
  while (list.length > MAX_WINDOW_ENTRIES) {
    const [first, second] = list;
    if (first === undefined || second === undefined) break;
    list.splice(0, 2, { atMs: second.atMs, change: first.change + second.change });
  }
  return list;
}

const pairs = <T>(list: readonly T[], at: number, f: (e: T) => [number, number]): Pairs =>
  list.map((e) => {
    const [t, v] = f(e);
    return [at - t, v];
  });

/** The compact form written into the annotation (empty event lists left out). */
export function encodeWindows(windows: Windows, atMs: number): EncodedWindows {
  const encoded: EncodedWindows = {
    at: atMs,
    rec: pairs(pruneRecommendations(windows.history), atMs, (r) => [r.atMs, r.replicas]),
  };
  const up = boundEvents(windows.scaleEvents.up);
  const down = boundEvents(windows.scaleEvents.down);
  if (up.length > 0) encoded.up = pairs(up, atMs, (e) => [e.atMs, e.change]);
  if (down.length > 0) encoded.down = pairs(down, atMs, (e) => [e.atMs, e.change]);
  return encoded;
}

const isPairs = (v: unknown): v is Pairs =>
  Array.isArray(v) &&
  v.length <= MAX_WINDOW_ENTRIES &&
  v.every(
    (p) =>
      Array.isArray(p) &&
      p.length === 2 &&
      p.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0),
  );

/** Reads the annotation's `windows` back; anything malformed yields undefined (the windows start empty). */
export function decodeWindows(value: unknown): Windows | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.at !== 'number' || !Number.isSafeInteger(v.at) || !isPairs(v.rec)) return undefined;
  const up = v.up ?? [];
  const down = v.down ?? [];
  if (!isPairs(up) || !isPairs(down)) return undefined;
  const at = v.at;
  return {
    history: v.rec.map(([ago, replicas]) => ({ atMs: at - ago, replicas })),
    scaleEvents: {
      up: up.map(([ago, change]) => ({ atMs: at - ago, change })),
      down: down.map(([ago, change]) => ({ atMs: at - ago, change })),
    },
  };
}

/**
 * The windows without their times: what a reader would decide differently from. The recorder writes when
 * this changes and otherwise only with its heartbeat, so a record's newest times may be up to one
 * heartbeat old (a restart then ends those entries' windows that much early).
 */
export function windowShape(windows: EncodedWindows): { rec: number[]; up: number[]; down: number[] } {
  const values = (pairs: Pairs | undefined): number[] => (pairs ?? []).map(([, v]) => v);
  return { rec: values(windows.rec), up: values(windows.up), down: values(windows.down) };
}
