// What the sandbox's containers print, timed from the moment each started. The script is the pod's annotation
// `sandbox.kubectl-cpa.dev/log` (or `…/log.<container>`): one line per line, optionally prefixed `+SECONDS `
// (offset from the start of the script); `…/log-every: "SECONDS"` repeats the script with `{n}` numbering
// the round. Without a script a container says it started and then ticks every 5 s.
import { metaOf, type Obj } from '../wire/json.ts';

/** Annotation prefix of the sandbox's scripting hooks. */
export const SANDBOX_ANNOTATION = 'sandbox.kubectl-cpa.dev';

/** One log line and when it is written. */
export interface LogLine {
  timeMs: number;
  text: string;
}

/** What a container prints, and when. */
export interface Script {
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

/** The script of `container` in `pod`: its annotation, or a start line and a tick every 5 s. */
export function scriptFor(pod: Obj, container: string): Script {
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
