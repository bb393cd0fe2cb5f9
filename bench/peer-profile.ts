// What dominates kubectl-cpa's CPU per cycle: a V8 CPU profile (--cpu-prof through NODE_OPTIONS) of the loop,
// cut to the samples between the end of the first cycle and the end of the last, summed per function (self
// time) and for a few subtrees that the issue names (child_process.spawn, garbage collection). Pure.
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a .cpuprofile file this summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** ms per cycle: the top functions by self time, and the subtrees named by the issue. */
export interface ProfileSummary {
  top: { name: string; msPerCycle: number }[];
  subtrees: { name: string; msPerCycle: number }[];
  sampledMsPerCycle: number;
}

const label = (n: ProfileNode): string => {
  const f = n.callFrame;
  const where = f.url ? ` ${basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where}`;
};

// Subtrees worth naming: where the profile put the time.
const SUBTREES: [string, (n: ProfileNode) => boolean][] = [
  [
    'child_process spawn (inclusive)',
    (n) => n.callFrame.functionName === 'spawn' && /child_process/.test(n.callFrame.url),
  ],
  ['garbage collector', (n) => n.callFrame.functionName === '(garbage collector)'],
  ['TLS / HTTP client (inclusive)', (n) => /node:(_tls|_http|https|tls|http)/.test(n.callFrame.url)],
];

/**
 * Summarises the samples taken `fromMs`..`toMs` after the profile started, over `cycles` cycles; idle and
 * (program) samples are left out of the top list but not of the sampled total.
 */
export function summariseProfile(
  p: CpuProfile,
  fromMs: number,
  toMs: number,
  cycles: number,
): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const sub = new Map<string, number>();
  let t = 0;
  let sampled = 0;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i]! / 1000;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // the time until the next sample belongs to this one
    if (t < fromMs || t > toMs) return;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    sampled += dt;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    for (const [name, test] of SUBTREES) {
      for (let n: ProfileNode | undefined = node; n; n = byId.get(parent.get(n.id) ?? -1)) {
        if (test(n)) {
          sub.set(name, (sub.get(name) ?? 0) + dt);
          break;
        }
      }
    }
  });
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, ms]) => ({ name, msPerCycle: ms / cycles }));
  const subtrees = SUBTREES.map(([name]) => ({ name, msPerCycle: (sub.get(name) ?? 0) / cycles }));
  return { top, subtrees, sampledMsPerCycle: sampled / cycles };
}
