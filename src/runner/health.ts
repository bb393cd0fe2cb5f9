// /healthz, /readyz and /metrics of a `run` process. Live while it answers; ready once every autoscaler has
// completed a cycle or reported why not (a failed cycle is a report too: its error says why).
import type { CycleReport } from '../autoscaler/types.ts';
import type { ApiResponse } from '../ports.ts';
import type { Handler } from '../api/mount.ts';
import type { RunMetrics } from './prometheus.ts';

/** Which autoscalers have reported a first cycle. */
export class Readiness {
  readonly #waiting: Set<string>;
  constructor(names: readonly string[]) {
    this.#waiting = new Set(names);
  }
  /** Called after each loop cycle of `name`. */
  reported(name: string, _report: CycleReport): void {
    this.#waiting.delete(name);
  }
  /** Names still waiting for their first cycle, in the order given. */
  get waiting(): string[] {
    return [...this.#waiting];
  }
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' } as const;

/** The process routes: /healthz, /readyz, and /metrics when a registry is given. */
export function healthRoutes(readiness: Readiness, metrics: RunMetrics | undefined): Map<string, Handler> {
  const routes = new Map<string, Handler>([
    ['/healthz', async () => ({ status: 200, headers: { ...TEXT }, body: 'ok\n' })],
    ['/readyz', async () => readyz(readiness)],
  ]);
  if (metrics !== undefined) {
    routes.set('/metrics', async () => {
      const { contentType, body } = await metrics.render();
      return { status: 200, headers: { 'Content-Type': contentType }, body };
    });
  }
  return routes;
}

function readyz(readiness: Readiness): ApiResponse {
  const waiting = readiness.waiting;
  if (waiting.length === 0) return { status: 200, headers: { ...TEXT }, body: 'ok\n' };
  const list =
    waiting.length > 10
      ? `${waiting.slice(0, 10).join(', ')} and ${waiting.length - 10} more`
      : waiting.join(', ');
  return { status: 503, headers: { ...TEXT }, body: `not ready: no cycle yet from ${list}\n` };
}
